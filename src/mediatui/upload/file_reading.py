"""Reading a file being uploaded, without trusting it to stay what it was: opened without waiting (a FIFO or a
device put in its place would block a plain open for ever), and read whole again before its completion.

Apart from the job (job.py), which holds what is said to the server; this is what is done to the disk.
"""

from __future__ import annotations

import hashlib
import os
import stat
from typing import BinaryIO


class NotRegular(Exception):
    """What stands at the file's path is no regular file any more."""


def open_regular(path: os.PathLike[str] | str) -> BinaryIO:
    """The file for reading, opened without waiting, and only if it is a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegular
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def whole_md5(f: BinaryIO) -> str:
    """The md5 of the whole file read again now, to hold against what was sent (read from the page cache,
    usually: a few ms for the largest document)."""
    whole = hashlib.md5()
    f.seek(0)
    while block := f.read(1 << 20):
        whole.update(block)
    return whole.hexdigest()

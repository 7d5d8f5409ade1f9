"""Small makers of real files for upload tests."""

from __future__ import annotations

import hashlib
import io
import os
import random
import subprocess
import sys
import threading
import time

from PIL import Image


def png_bytes(size: int, seed: int = 0) -> bytes:
    """A valid PNG of about `size` bytes (noise does not compress)."""
    side = max(8, int((size / 3) ** 0.5))
    rng = random.Random(seed)
    img = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=0)
    return buf.getvalue()


def pdf_bytes(size: int) -> bytes:
    """A PDF-looking file of exactly `size` bytes (the sandbox checks the magic)."""
    head = b"%PDF-1.4\n"
    return head + bytes(size - len(head))


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def cli_env(server, tmp_path) -> dict[str, str]:
    """The environment of a `mediatui` subprocess against `server`, with its journal under tmp_path."""
    return dict(
        os.environ, MEDIATUI_URL=server.url, MEDIATUI_TOKEN=server.token, MEDIATUI_STATE_DIR=str(tmp_path / "state")
    )


def upload_under_way(env: dict[str, str], path) -> tuple[subprocess.Popen, str]:
    """`mediatui upload PATH` (100 KB chunks) in a subprocess, once it printed a progress line (and that line)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "mediatui", "upload", str(path), "--chunk-size", "100000"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 20
    line = ""
    while "progress" not in line and time.monotonic() < deadline:
        line = proc.stdout.readline()
    return proc, line


def wait_until(condition, timeout: float = 20.0, what: str = "", every: float = 0.01) -> None:
    """Until `condition()` holds (polled), for tests outside a pilot: a wait on the condition, never a guessed sleep."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(every)


def collect(stream) -> tuple[list[str], threading.Thread]:
    """The lines of a subprocess's pipe, appended by a thread as they come, so that a test can wait on one."""
    lines: list[str] = []

    def read() -> None:
        for line in stream:
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return lines, reader


class FullDisk:
    """A fault: the file system that holds `folder` has no blocks left, as a tmpfs that filled up.

    As there: a new empty file can still be made (inodes remain), but every write to a file under the folder
    fails with ENOSPC, and SQLite's writes to its databases there fail with "database or disk is full". Reads
    go on. `on()` and `off()` fill and free it (a test may fill it half way through an upload).
    """

    def __init__(self, monkeypatch, folder, *, files: bool = True) -> None:
        """`files=False`: only SQLite's writes fail (a database page does not fit where a lock file's few bytes
        still do)."""
        import copy
        import errno
        import sqlite3

        from mediatui import localdb

        self.folder = os.path.realpath(folder)
        self.full = False
        real_write, real_pwrite, real_truncate = os.write, os.pwrite, os.ftruncate
        real_execute = localdb._Guarded.execute

        def under(fd: int) -> bool:
            try:
                where = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                return False
            return files and self.full and (where + "/").startswith(self.folder + "/")

        def refuse(fd: int) -> None:
            if under(fd):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def write(fd, data):
            refuse(fd)
            return real_write(fd, data)

        def pwrite(fd, data, offset):
            refuse(fd)
            return real_pwrite(fd, data, offset)

        def ftruncate(fd, length):
            if length > 0:
                refuse(fd)
            return real_truncate(fd, length)

        def execute(guarded, sql, args=()):
            writes = sql.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE", "REPLACE", "ALTER"}
            if writes and self.full and os.path.realpath(guarded._path).startswith(self.folder + "/"):
                error = sqlite3.OperationalError("database or disk is full")
                if sys.version_info >= (3, 11):  # 3.10's errors carry only the message
                    error.sqlite_errorcode = localdb.SQLITE_FULL
                    error.sqlite_errorname = "SQLITE_FULL"
                faulty = copy.copy(guarded)  # our real handling of the error, on a connection that fails so
                faulty._db = _Failing(error)
                return real_execute(faulty, sql, args)
            return real_execute(guarded, sql, args)

        monkeypatch.setattr(os, "write", write)
        monkeypatch.setattr(os, "pwrite", pwrite)
        monkeypatch.setattr(os, "ftruncate", ftruncate)
        monkeypatch.setattr(localdb._Guarded, "execute", execute)

    def on(self) -> FullDisk:
        self.full = True
        return self

    def off(self) -> None:
        self.full = False


class _Failing:
    """A connection whose every statement fails with `error`."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def execute(self, sql, args=()):
        raise self.error


def pty_read(fd: int, wait: float = 0.1) -> bytes | None:
    """What a pseudo-terminal gave within `wait` seconds (b"" for nothing yet); None once the child closed it."""
    import select

    if not select.select([fd], [], [], wait)[0]:
        return b""
    try:
        data = os.read(fd, 65536)
    except OSError:  # the child closed the terminal
        return None
    return data or None

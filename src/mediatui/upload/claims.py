"""Which process owns which journal entry: one lock file per entry, held with flock.

Two `mediatui upload --resume` in two tmux panes must not both upload the
same file (that makes two media). Each process claims an entry before it
touches it; the kernel drops a claim when its process dies, even by
kill -9, so no claim outlives its owner and none needs cleaning up by hand.
A lock file holds its owner's pid, for the message that names it.

`planning()` is a short lock over the whole journal, held while a process
looks for the entries a file already has and creates new ones, so that two
processes started at once on the same file cannot both start a new upload.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mediatui.localdb import LocalDataError, describe_failure, is_full, make_private
from mediatui.upload.journal import ENV_STATE_DIR


class EntryBusy(Exception):
    """Another process (or this session) owns the journal entry asked for."""


class Claims:
    def __init__(self, journal_path: Path) -> None:
        self.folder = journal_path.with_name(journal_path.name + ".locks")
        self._held: dict[str, int] = {}  # key -> open file descriptor holding the flock
        self._lock = threading.Lock()

    def claim(self, key: str) -> int | None:
        """Take `key`: None when taken now, else the owner's pid (0 if unknown; ours if this process has it)."""
        with self._lock:
            if key in self._held:  # already uploading here: a second run of it would make a second media
                return os.getpid()
            path = self._path(key)
            fd, owner = self._lock_file(path, blocking=False)
            if fd is None:
                return owner
            try:
                os.ftruncate(fd, 0)
                os.write(fd, str(os.getpid()).encode())
            except OSError as exc:  # a full disk: the file was made, its few bytes did not fit
                os.close(fd)
                raise LocalDataError(_failure(self.folder, path, exc)) from None
            self._held[key] = fd
            return None

    def release(self, key: str) -> None:
        """Give the entry back (its upload ended, or the session closes)."""
        with self._lock:
            fd = self._held.pop(key, None)
            if fd is None:
                return
            path = self._path(key)
            try:
                if _same_file(fd, path):
                    path.unlink()  # while still holding it: a waiter on the old file re-checks the path
            except OSError:
                pass
            os.close(fd)

    def release_all(self) -> None:
        for key in list(self._held):
            self.release(key)

    @contextmanager
    def planning(self) -> Iterator[None]:
        """Hold the whole journal for a moment (blocking), while entries are looked up and created."""
        fd, _ = self._lock_file(self.folder / "journal.lock", blocking=True)
        assert fd is not None
        try:
            yield
        finally:
            os.close(fd)

    def _path(self, key: str) -> Path:
        if not key.replace("-", "").isalnum():
            raise ValueError(f"not a journal key: {key!r}")
        return self.folder / f"{key}.lock"

    def _lock_file(self, path: Path, *, blocking: bool) -> tuple[int | None, int]:
        """(an fd holding an exclusive flock on `path`, 0), or (None, the owner's pid or 0) when taken."""
        try:
            return self._try_lock(path, blocking=blocking)
        except OSError as exc:
            raise LocalDataError(_failure(self.folder, path, exc)) from None

    def _try_lock(self, path: Path, *, blocking: bool) -> tuple[int | None, int]:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        make_private(self.folder, 0o700)
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                pid = _read_pid(fd)
                os.close(fd)
                return None, pid
            if _same_file(fd, path):
                return fd, 0
            os.close(fd)  # the owner removed the file as we waited for it: lock the new one


def _failure(folder: Path, path: Path, exc: OSError) -> str:
    """What went wrong with a lock file; a full disk names the state folder (the one a person can move)."""
    return describe_failure(folder if is_full(exc, folder) else path, exc, ENV_STATE_DIR)


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _read_pid(fd: int) -> int:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return 0
    return int(text) if text.isdigit() else 0

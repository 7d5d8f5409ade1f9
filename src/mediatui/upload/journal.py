"""The resume journal: where each upload stands, kept on disk so that a killed process can go on.

SQLite in WAL mode: every write is one atomic transaction, so a kill -9
leaves the journal as it was before or after a write, never in between.
synchronous=NORMAL (one fsync per checkpoint, not per chunk: bench/upload.py
measured FULL at 0.89× a bare httpx loop, NORMAL at 1.04×) means a power cut
may lose the last few writes, never corrupt them; resume then asks the server
where it stands, as it always does. Completion is recorded before it is sent.
One file per server URL, in the platformdirs user state dir.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, fields
from pathlib import Path

from mediatui.localdb import LocalDataError, LocalDb, describe_failure, per_server_file, user_folder
from mediatui.upload.preflight import UploadItem

ENV_STATE_DIR = "MEDIATUI_STATE_DIR"

QUEUED = "queued"
UPLOADING = "uploading"
COMPLETING = "completing"  # complete was (maybe) sent: never resend without asking the server first
COMPLETED = "completed"
COMPLETION_UNKNOWN = "completion_unknown"
FAILED = "failed"
CANCELLED = "cancelled"
CHANGED = "changed"  # the file changed while uploading: closed, never resumed; a retry starts it again from zero
REFUSED = "refused"  # the server refuses the file as it is (or it cannot be read): resuming would only repeat that
#: States that `--resume` picks up.
RESUMABLE = (QUEUED, UPLOADING, COMPLETING, CANCELLED, FAILED)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    type TEXT NOT NULL,
    upload_id TEXT,
    offset INTEGER NOT NULL DEFAULT 0,
    expires TEXT,
    state TEXT NOT NULL,
    media_id INTEGER,
    error TEXT,
    updated REAL NOT NULL,
    ctime_ns INTEGER NOT NULL DEFAULT 0,
    ino INTEGER NOT NULL DEFAULT 0,
    dev INTEGER NOT NULL DEFAULT 0
)
"""
#: Columns a journal written by an earlier version lacks (added when it is opened).
_ADDED = {
    "ctime_ns": "INTEGER NOT NULL DEFAULT 0",
    "ino": "INTEGER NOT NULL DEFAULT 0",
    "dev": "INTEGER NOT NULL DEFAULT 0",
}


@dataclass(slots=True)
class Entry:
    key: str
    path: str
    size: int
    mtime_ns: int
    type: str
    upload_id: str | None
    offset: int
    expires: str | None
    state: str
    media_id: int | None
    error: str | None
    updated: float
    ctime_ns: int = 0  # with size and mtime, what the file was when the upload began (0: not known)
    ino: int = 0
    dev: int = 0


_COLUMNS = [f.name for f in fields(Entry)]


def _stored(path: str) -> str | bytes:
    """A path as SQLite can keep it: text, or its very bytes when it is not UTF-8 (`caf\xe9.png` of an old
    Latin-1 file system, read with surrogates), so that a resume opens that very file."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def _entry(row: tuple[object, ...]) -> Entry:
    entry = Entry(*row)  # type: ignore[arg-type]
    if isinstance(entry.path, bytes):
        entry.path = os.fsdecode(entry.path)
    return entry


def state_dir() -> Path:
    return user_folder(ENV_STATE_DIR, "state")


def journal_path(server_url: str, folder: Path | None = None) -> Path:
    return per_server_file(folder or state_dir(), "uploads", server_url)


class Journal(LocalDb):
    SCHEMA = _SCHEMA
    ENV_VAR = ENV_STATE_DIR

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._db.execute("PRAGMA synchronous=NORMAL")
        with self._lock:
            have = {row[1] for row in self._db.execute("PRAGMA table_info(entries)")}
            for column, kind in _ADDED.items():
                if column not in have:
                    try:
                        self._db.execute(f"ALTER TABLE entries ADD COLUMN {column} {kind}")
                    except LocalDataError as exc:  # another process added it meanwhile
                        if "duplicate column" not in str(exc):
                            raise

    @classmethod
    def for_server(cls, server_url: str, folder: Path | None = None) -> Journal:
        return cls(journal_path(server_url, folder))

    def save(self, entry: Entry) -> None:
        entry.updated = time.time()
        marks = ",".join("?" * len(_COLUMNS))
        with self._lock:
            self._db.execute(
                f"INSERT OR REPLACE INTO entries ({','.join(_COLUMNS)}) VALUES ({marks})",
                [_stored(entry.path) if c == "path" else getattr(entry, c) for c in _COLUMNS],
            )

    def get(self, key: str) -> Entry | None:
        with self._lock:
            row = self._db.execute(f"SELECT {','.join(_COLUMNS)} FROM entries WHERE key = ?", (key,)).fetchone()
        return _entry(row) if row else None

    def find_upload(self, upload_id: str) -> Entry | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {','.join(_COLUMNS)} FROM entries WHERE upload_id = ?", (upload_id,)
            ).fetchone()
        return _entry(row) if row else None

    def for_file(self, path: str, size: int, mtime_ns: int) -> list[Entry]:
        """Entries of this very file (same resolved path, size and mtime), newest first."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {','.join(_COLUMNS)} FROM entries WHERE path = ? AND size = ? "
                "AND mtime_ns = ? ORDER BY updated DESC",
                (_stored(path), size, mtime_ns),
            ).fetchall()
        return [_entry(row) for row in rows]

    def entries(self, states: tuple[str, ...] | None = None) -> list[Entry]:
        query = f"SELECT {','.join(_COLUMNS)} FROM entries"
        args: tuple[str, ...] = ()
        if states:
            query += f" WHERE state IN ({','.join('?' * len(states))})"
            args = states
        with self._lock:
            return [_entry(row) for row in self._db.execute(query + " ORDER BY updated", args)]

    def forget(self, key: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM entries WHERE key = ?", (key,)).rowcount > 0

    def prune(self, older_than: float = 7 * 86400) -> int:
        """Drop completed entries after a week; unfinished ones stay until resumed or forgotten."""
        with self._lock:
            return self._db.execute(
                "DELETE FROM entries WHERE state = ? AND updated < ?", (COMPLETED, time.time() - older_than)
            ).rowcount


def new_entry(item: UploadItem) -> Entry:
    """A queued entry for `item`, with what identifies the file as it was checked."""
    return Entry(
        item.key,
        str(item.path),
        item.size,
        item.mtime_ns,
        str(item.type),
        None,
        0,
        None,
        QUEUED,
        None,
        None,
        time.time(),
        item.ctime_ns,
        item.ino,
        item.dev,
    )


COPIED_AT_MOST = 64_000_000  # bytes of a journal and its -wal that count_resumable copies to read


def count_resumable(path: Path) -> int:
    """How many entries of the journal at `path` `--resume` would pick up, read without changing anything.

    For `mediatui doctor`, which never writes: opening the journal as the uploads do would make its folder
    private, add columns, and leave SQLite's -wal and -shm files behind. A journal with no -wal beside it is
    read as immutable, which creates nothing. One with a -wal (in use, or left by a killed upload) is read
    from a copy of both in a temporary folder: reading a -wal in place writes its -shm index, and makes one
    where there is none. 0 when there is no journal; LocalDataError when it cannot be read.
    """
    wal = path.with_name(path.name + "-wal")
    try:
        if not path.exists():
            return 0
        for file in (path, wal):
            if file.exists() and not file.is_file():  # SQLite's open() would wait for a writer to a FIFO: forever
                raise LocalDataError(
                    f"cannot use {file}: not a regular file; move it away, or set {ENV_STATE_DIR} to another folder"
                )
        copied = wal.exists() and path.stat().st_size + wal.stat().st_size <= COPIED_AT_MOST
    except FileNotFoundError:  # its -wal went (its writer closed it) between two looks
        copied = False
    except OSError as exc:  # a folder on the way that cannot be entered
        raise LocalDataError(describe_failure(path, exc, ENV_STATE_DIR)) from None
    if not copied:
        return _count(path, path, "ro&immutable=1")  # (a huge one without its -wal's last entries: not copied)
    import shutil  # here, not at the module's top: only doctor counts, and the uploads start faster without
    import tempfile

    with tempfile.TemporaryDirectory(prefix="mediatui-doctor-") as folder:
        copy = Path(folder) / path.name
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, copy.with_name(wal.name))
        except FileNotFoundError:  # its writer closed it meanwhile, merging the -wal in
            return _count(path, path, "ro&immutable=1")
        except OSError as exc:
            raise LocalDataError(describe_failure(path, exc, ENV_STATE_DIR)) from None
        return _count(path, copy, "ro")


def _count(path: Path, read: Path, mode: str) -> int:
    """The resumable entries of the journal at `path`, read from `read` in SQLite's URI `mode`."""
    import sqlite3

    try:
        db = sqlite3.connect(f"{read.absolute().as_uri()}?mode={mode}", uri=True, timeout=2)
        try:
            marks = ",".join("?" * len(RESUMABLE))
            row = db.execute(f"SELECT COUNT(*) FROM entries WHERE state IN ({marks})", RESUMABLE).fetchone()
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise LocalDataError(describe_failure(path, exc, ENV_STATE_DIR)) from None
    return int(row[0])

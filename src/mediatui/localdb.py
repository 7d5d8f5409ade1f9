"""Small local SQLite files of mediatui's own: one per server, opened the same way, filtered alike.

No Textual here. Used by the upload journal, the catalogue, and (for the
filter) the sandbox, whose list must filter exactly as the catalogue does.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import platformdirs

from mediatui._compat import Self


class LocalDataError(Exception):
    """A local file or folder of mediatui's cannot be used; the message names it and says what to do."""


def user_folder(env_var: str, kind: str) -> Path:
    """The platformdirs folder of `kind` ("data" or "state"), unless `env_var` names another."""
    override = os.environ.get(env_var)
    if override:
        return Path(override)
    find = platformdirs.user_data_dir if kind == "data" else platformdirs.user_state_dir
    return Path(find("mediatui", appauthor=False))


def per_server_file(folder: Path, kind: str, server_url: str) -> Path:
    """`kind-host-hash.sqlite`: readable, and distinct for every server URL."""
    host = re.sub(r"[^A-Za-z0-9.-]+", "_", server_url.split("://", 1)[-1].split("/", 1)[0])[:60]
    import hashlib  # here: loading OpenSSL's digests is ~2 ms of every start, and only catalogues need one

    digest = hashlib.sha256(server_url.encode()).hexdigest()[:12]
    return folder / f"{kind}-{host}-{digest}.sqlite"


def open_db(path: Path, schema: str, env_var: str = "") -> sqlite3.Connection:
    """WAL, autocommit, usable from worker threads (callers hold a lock), private to the user.

    The file is made 0600 before SQLite opens it, since SQLite gives its -wal and -shm files the
    database file's mode; the folder is made 0700 even when it existed. Any failure is a
    LocalDataError that names the path and says what to do.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        make_private(path.parent, 0o700)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        make_private(path, 0o600)
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(schema)
        except BaseException:
            db.close()
            raise
        for suffix in ("-wal", "-shm"):  # left by an older version, or made before the mode was right
            side = path.with_name(path.name + suffix)
            if side.exists():
                make_private(side, 0o600)
    except (OSError, sqlite3.Error) as exc:
        raise LocalDataError(describe_failure(path, exc, env_var)) from None
    return db


def make_private(path: Path, mode: int) -> None:
    """chmod what is ours; a folder the user pointed us at but does not own is left as it is."""
    stat = path.stat()
    if stat.st_mode & 0o777 != mode and stat.st_uid == os.getuid():
        os.chmod(path, mode)


#: What a person calls the folder that an environment variable moves (the one a full disk message names).
_FOLDER_NAMES = {"MEDIATUI_STATE_DIR": "the state folder", "MEDIATUI_DATA_DIR": "the data folder"}


def describe_failure(path: Path, exc: BaseException, env_var: str = "") -> str:
    """What is wrong with a local file, and what to do, in one sentence a person can act on."""
    elsewhere = f", or set {env_var} to another folder" if env_var else ""
    if isinstance(exc, (NotADirectoryError, FileExistsError)) or (
        isinstance(exc, OSError) and exc.errno == errno.ENOTDIR
    ):
        return f"cannot use {path}: a file stands where a folder should be; move it away{elsewhere}"
    if isinstance(exc, PermissionError):
        return f"cannot use {path}: permission denied; make its folder writable (chmod u+rwx){elsewhere}"
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        return (
            f"cannot use {path}: it is damaged or not a mediatui file ({exc}); move it away "
            f"(mv '{path}' '{path}.bad') and mediatui starts a new one"
        )
    if is_full(exc, path.parent):
        folder = _FOLDER_NAMES.get(env_var, "the folder")
        return f"{folder} is full: {path.parent} (no room for {path.name}); free some space there{elsewhere}"
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return f"cannot use {path}: {reason}{elsewhere}"


SQLITE_IOERR = 10  # SQLite's primary code for an I/O error (its extended codes keep it in the low byte)
SQLITE_FULL = 13  # and for a full disk (sqlite3.SQLITE_FULL, only since Python 3.11)
#: What SQLite says for those two (sqlite3_errstr): Python 3.10's sqlite3.Error has no sqlite_errorcode (3.11)
_SQLITE_MESSAGES = {"database or disk is full": SQLITE_FULL, "disk I/O error": SQLITE_IOERR}
MIN_ROOM = 64 * 1024  # bytes free below which a failure to write is taken for a full disk


def staying(message: str) -> str:
    """A failure's message without its advice to move the folder (`or set MEDIATUI_…_DIR to another folder`):
    for work already recorded there, which a move would leave behind (an upload resumed later from the old
    journal would make a second media)."""
    return re.sub(r",? or set MEDIATUI_[A-Z]+_DIR to another folder", "", message)


def _sqlite_code(exc: sqlite3.Error) -> int:
    """SQLite's result code of a failure: its own (Python 3.11 and later), or on 3.10 the one its message names."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code if isinstance(code, int) else _SQLITE_MESSAGES.get(str(exc), 0)


def is_full(exc: BaseException, folder: Path | None = None) -> bool:
    """The file system (or the user's quota) has no room left: SQLite's SQLITE_FULL, ENOSPC or EDQUOT; or any
    other failure to write where the folder's file system has (almost) no room: SQLite opening a database on a
    full disk says "disk I/O error" (its shared-memory file cannot grow), and a full quota reads the same."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    code = _sqlite_code(exc) if isinstance(exc, sqlite3.Error) else 0
    if code == SQLITE_FULL:
        return True
    io_error = code & 0xFF == SQLITE_IOERR
    if folder is None or not io_error:  # a refusal (EACCES, EROFS) is no full disk, however little room there is
        return False
    try:
        room = os.statvfs(folder)
    except OSError:
        return False
    return room.f_bavail * room.f_frsize < MIN_ROOM


def media_filter(type: str | None, search: str | None) -> tuple[str, list[str]]:
    """A WHERE clause over media columns type/title/description/url; search is literal (no wildcards)."""
    where, args = [], []
    if type:
        where.append("type = ?")
        args.append(type)
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(title LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\' OR url LIKE ? ESCAPE '\\')")
        args += [pattern] * 3
    return (f" WHERE {' AND '.join(where)}" if where else ""), args


class _Guarded:
    """The connection, with every SQLite failure after opening (locked for too long, disk full, a damaged
    page) turned into a LocalDataError naming the file, like the failures of opening it."""

    def __init__(self, db: sqlite3.Connection, path: Path, env_var: str) -> None:
        self._db, self._path, self._env_var = db, path, env_var

    def execute(self, sql: str, args: Sequence[object] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, args)
        except sqlite3.Error as exc:
            raise LocalDataError(describe_failure(self._path, exc, self._env_var)) from None

    def close(self) -> None:
        self._db.close()


class LocalDb:
    """One local SQLite file, shared by worker threads under a lock."""

    SCHEMA = ""
    ENV_VAR = ""  # the variable that moves this kind of file elsewhere, named in error messages

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = _Guarded(open_db(path, self.SCHEMA, self.ENV_VAR), path, self.ENV_VAR)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

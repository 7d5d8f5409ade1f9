"""Small local SQLite files of mediatui's own: one per server, opened the same way, filtered alike.

No Textual here. Used by the upload journal, the catalogue, and (for the
filter) the sandbox, whose list must filter exactly as the catalogue does.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from pathlib import Path

import platformdirs


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
    digest = hashlib.sha256(server_url.encode()).hexdigest()[:12]
    return folder / f"{kind}-{host}-{digest}.sqlite"


def open_db(path: Path, schema: str) -> sqlite3.Connection:
    """WAL, autocommit, usable from worker threads (callers hold a lock), private to the user."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(schema)
    os.chmod(path, 0o600)
    return db


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


class LocalDb:
    """One local SQLite file, shared by worker threads under a lock."""

    SCHEMA = ""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = open_db(path, self.SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> LocalDb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class LocalDataError(Exception):
    """A local file or folder of mediatui's cannot be used; the message names it and says what to do."""

"""SQLite storage of the sandbox: media rows and chunked uploads in progress.

One connection shared by the server's event loop (requests are handled one
at a time there), WAL mode so that a reader elsewhere never blocks it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediatui.localdb import media_filter


def new_media(hash_code: str, added_at: str, kind: str, **fields: Any) -> dict[str, Any]:
    """Every field of a Media, null where not given, as the real server answers for a new one."""
    data: dict[str, Any] = dict.fromkeys(_MEDIA_FIELDS)
    data.update(hash_code=hash_code, added_at=added_at, type=kind, oembed_preview_ready=False,
                oembed_available=False, order=0, choice_images=[])  # fmt: skip
    data.update(fields)
    return data


_MEDIA_FIELDS = (
    "hash_code added_at type title description url keywords entities image image_width image_height oembed_type "
    "oembed_url oembed_width oembed_height oembed_duration oembed_html oembed_preview_ready oembed_available order "
    "choice_images embed_type embed_id"
).split()


_SCHEMA = """
CREATE TABLE IF NOT EXISTS media (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner TEXT NOT NULL,
    type TEXT,
    title TEXT,
    description TEXT,
    url TEXT,
    added_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS media_newest ON media (added_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS uploads (
    upload_id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    field TEXT NOT NULL,
    filename TEXT NOT NULL,
    total INTEGER NOT NULL,
    received INTEGER NOT NULL,
    expires_at REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'uploading',
    media_id INTEGER
);
"""
#: Columns kept outside the JSON blob, for filtering and ordering.
_COLUMNS = ("type", "title", "description", "url", "added_at")


_INSERT = "INSERT INTO media (owner, type, title, description, url, added_at, data) VALUES (?,?,?,?,?,?,?)"


def _row(owner: str, data: dict[str, Any]) -> tuple[Any, ...]:
    return (owner, *(data.get(c) for c in _COLUMNS), json.dumps({k: v for k, v in data.items() if k != "id"}))


@dataclass(slots=True)
class Upload:
    upload_id: str
    owner: str
    field: str
    filename: str
    total: int
    received: int
    expires_at: float
    status: str
    media_id: int | None


class Store:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- media ----------------------------------------------------------

    def count_media(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM media").fetchone()[0]

    def insert_media(self, owner: str, data: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            media_id = self._db.execute(_INSERT, _row(owner, data)).lastrowid
        return {"id": media_id, **{k: v for k, v in data.items() if k != "id"}}

    def insert_many(self, owners: list[str], rows: list[dict[str, Any]]) -> None:
        """Many media in one transaction (seeding 100,000 takes seconds, not minutes)."""
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(_INSERT, [_row(o, r) for o, r in zip(owners, rows, strict=True)])
            self._db.execute("COMMIT")

    def get_media(self, media_id: int) -> tuple[str, dict[str, Any]] | None:
        with self._lock:
            row = self._db.execute("SELECT id, owner, data FROM media WHERE id = ?", (media_id,)).fetchone()
        return None if row is None else (row[1], {"id": row[0], **json.loads(row[2])})

    def update_media(self, media_id: int, owner: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE media SET owner=?, type=?, title=?, description=?, url=?, added_at=?, data=? WHERE id=?",
                (*_row(owner, data), media_id),
            )

    def delete_media(self, media_id: int) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM media WHERE id = ?", (media_id,)).rowcount > 0

    def list_media(
        self, limit: int, offset: int, type: str | None = None, search: str | None = None
    ) -> tuple[int, list[dict[str, Any]]]:
        clause, args = media_filter(type, search)
        with self._lock:
            count = self._db.execute(f"SELECT COUNT(*) FROM media{clause}", args).fetchone()[0]
            rows = self._db.execute(
                f"SELECT id, data FROM media{clause} ORDER BY added_at DESC, id DESC LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        return count, [{"id": r[0], **json.loads(r[1])} for r in rows]

    # -- uploads --------------------------------------------------------

    def add_upload(self, upload: Upload) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO uploads VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    upload.upload_id,
                    upload.owner,
                    upload.field,
                    upload.filename,
                    upload.total,
                    upload.received,
                    upload.expires_at,
                    upload.status,
                    upload.media_id,
                ),
            )

    def get_upload(self, upload_id: str) -> Upload | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM uploads WHERE upload_id = ?", (upload_id,)).fetchone()
        return None if row is None else Upload(*row)

    def set_upload(self, upload_id: str, **changes: Any) -> None:
        sets = ", ".join(f"{name} = ?" for name in changes)
        with self._lock:
            self._db.execute(f"UPDATE uploads SET {sets} WHERE upload_id = ?", (*changes.values(), upload_id))

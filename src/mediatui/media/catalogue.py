"""The local catalogue: media this tool created, uploaded or opened, for servers without a list.

The public SelfCommunity API cannot list media, so mediatui remembers what it
has seen, one SQLite file per server URL in the platformdirs user data dir.
Entries are refreshed with GET when shown; a 404 marks them gone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mediatui.api import Media
from mediatui.localdb import LocalDataError, LocalDb, media_filter, per_server_file, user_folder

ENV_DATA_DIR = "MEDIATUI_DATA_DIR"
MAX_IDS = 1000  # one `o` may open at most this many ids

_SCHEMA = """
CREATE TABLE IF NOT EXISTS media (
    id INTEGER PRIMARY KEY,
    type TEXT, title TEXT, description TEXT, url TEXT, added_at TEXT,
    data TEXT NOT NULL,
    gone INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS media_newest ON media (added_at DESC, id DESC);
CREATE TABLE IF NOT EXISTS uploaded (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, gone INTEGER NOT NULL DEFAULT 0
);
"""
MAX_MINE = 10_000  # ids `m` (my uploads) lists at most, the newest: one SQL list, well under SQLite's bound


def data_dir() -> Path:
    return user_folder(ENV_DATA_DIR, "data")


def catalogue_path(server_url: str, folder: Path | None = None) -> Path:
    return per_server_file(folder or data_dir(), "catalogue", server_url)


class Catalogue(LocalDb):
    SCHEMA = _SCHEMA
    ENV_VAR = ENV_DATA_DIR

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        with self._lock:  # a file from before `uploaded.gone` (CREATE TABLE IF NOT EXISTS keeps an old table)
            have = {row[1] for row in self._db.execute("PRAGMA table_info(uploaded)")}
            if "gone" not in have:
                try:
                    self._db.execute("ALTER TABLE uploaded ADD COLUMN gone INTEGER NOT NULL DEFAULT 0")
                except LocalDataError as exc:  # another process added it meanwhile
                    if "duplicate column" not in str(exc):
                        raise

    @classmethod
    def for_server(cls, server_url: str, folder: Path | None = None) -> Catalogue:
        return cls(catalogue_path(server_url, folder))

    def record(self, media: Media, *, uploaded: bool = False) -> None:
        """Remember (or refresh) a media the server just showed; it is not gone. `uploaded`: this machine
        uploaded it (`m` on the list shows those)."""
        if media.id is None:
            return
        added = media.added_at.isoformat() if media.added_at else None
        row = (
            media.id,
            str(media.type) if media.type else None,
            media.title,
            media.description,
            media.url,
            added,
            json.dumps(media.to_json()),
        )
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO media (id, type, title, description, url, added_at, data, gone) "
                "VALUES (?,?,?,?,?,?,?,0)",
                row,
            )
            if uploaded:
                self._db.execute(
                    "INSERT INTO uploaded (id) VALUES (?) ON CONFLICT (id) DO UPDATE SET gone = 0", (media.id,)
                )

    def uploads(self) -> tuple[set[int], set[int]]:
        """The media this machine uploaded to this server: those not seen deleted (the newest MAX_MINE), and those
        seen deleted (so that the upload journal's week of completed entries cannot bring them back)."""
        with self._lock:
            live = self._db.execute(
                "SELECT id FROM uploaded WHERE gone = 0 ORDER BY id DESC LIMIT ?", (MAX_MINE,)
            ).fetchall()
            gone = self._db.execute("SELECT id FROM uploaded WHERE gone = 1").fetchall()
        return {r[0] for r in live}, {r[0] for r in gone}

    def upload_gone(self, media_id: int) -> None:
        """An upload of this machine the server no longer has (a 404, or deleted here)."""
        with self._lock:
            self._db.execute(
                "INSERT INTO uploaded (id, gone) VALUES (?, 1) ON CONFLICT (id) DO UPDATE SET gone = 1", (media_id,)
            )

    def known(self, ids: set[int] | frozenset[int]) -> set[int]:
        """Which of `ids` the catalogue holds (gone ones too), at most MAX_MINE asked (one SQL list)."""
        chosen = sorted(ids, reverse=True)[:MAX_MINE]
        if not chosen:
            return set()
        with self._lock:
            rows = self._db.execute(f"SELECT id FROM media WHERE id IN ({','.join('?' * len(chosen))})", chosen)
            return {r[0] for r in rows.fetchall()}

    def mark_gone(self, media_id: int) -> None:
        with self._lock:
            self._db.execute("UPDATE media SET gone = 1 WHERE id = ?", (media_id,))
            self._db.execute("UPDATE uploaded SET gone = 1 WHERE id = ?", (media_id,))

    def remove(self, media_id: int) -> None:
        """The server confirmed it deleted: forgotten; an upload of this machine is kept as one seen deleted."""
        with self._lock:
            self._db.execute("DELETE FROM media WHERE id = ?", (media_id,))
            self._db.execute("UPDATE uploaded SET gone = 1 WHERE id = ?", (media_id,))

    def gone_ids(self, ids: list[int]) -> set[int]:
        if not ids:
            return set()
        with self._lock:
            rows = self._db.execute(
                f"SELECT id FROM media WHERE gone = 1 AND id IN ({','.join('?' * len(ids))})", ids
            ).fetchall()
        return {r[0] for r in rows}

    def page(
        self,
        limit: int,
        offset: int,
        type: str | None = None,
        search: str | None = None,
        ids: frozenset[int] | None = None,
    ) -> tuple[int, list[Media]]:
        """Newest first, filtered like the server's list; `ids`: only those (my uploads)."""
        clause, words = media_filter(type, search)
        args: list[object] = [*words]
        if ids is not None:
            chosen = sorted(ids, reverse=True)[:MAX_MINE]
            clause += f"{' AND' if clause else ' WHERE'} id IN ({','.join('?' * len(chosen)) or 'NULL'})"
            args += chosen
        with self._lock:
            count = self._db.execute(f"SELECT COUNT(*) FROM media{clause}", args).fetchone()[0]
            rows = self._db.execute(
                f"SELECT data FROM media{clause} ORDER BY added_at DESC, id DESC LIMIT ? OFFSET ?",
                [*args, limit, offset],
            ).fetchall()
        return count, [media for media in map(_media_of, rows) if media is not None]


def _media_of(row: tuple[str]) -> Media | None:
    """A remembered media; None for a row whose JSON a damaged file no longer holds (skipped: the list goes on,
    and the next GET of that media writes it again)."""
    try:
        return Media.from_json(json.loads(row[0]))
    except (ValueError, TypeError, AttributeError, KeyError):
        return None


def parse_ids(text: str) -> list[int]:
    """Ids from `12, 15, 20-30` (commas or spaces), in order, without repeats; ValueError says what is wrong."""
    ids: dict[int, None] = {}
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d{1,12})(?:-(\d{1,12}))?", part)
        if not match:
            raise ValueError(f"{part!r} is not an id or a range like 20-30")
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        if low < 1 or high < low:
            raise ValueError(f"{part!r}: ids start at 1 and a range goes low-high")
        if high - low + 1 + len(ids) > MAX_IDS:
            raise ValueError(f"at most {MAX_IDS} ids at once")
        ids.update(dict.fromkeys(range(low, high + 1)))
    if not ids:
        raise ValueError("type one or more ids, like 12, 15, 20-30")
    return list(ids)

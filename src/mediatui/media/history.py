"""The history: every change mediatui made to a community's media, from the app and the CLI alike.

No peer keeps one, and a moderator who overwrote a good description, or a
team that wants to know what was changed from this machine, had nothing to
look at. One SQLite file per community in the state folder (0600 in 0700),
beside the upload journal. Each record: when, where (host and profile, never
the token), what (delete, create, update, upload, undo, restore), which media,
its title then, the full JSON before and after, and the outcome (done, failed
with the server's status, or unknown). A record is written after the server's
answer, and a failure to write one is a warning: it never hides that answer.

The JSON is the server's: the token is blanked from it before it is stored
(a server may echo it back), and every path to the terminal makes it inert.
No Textual here: the app, the CLI and the undo share it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from mediatui._compat import UTC, fromisoformat
from mediatui.api import ApiError
from mediatui.api.credentials import TokenBlanker
from mediatui.localdb import LocalDb, per_server_file, user_folder

ENV_STATE_DIR = "MEDIATUI_STATE_DIR"  # the upload journal's folder too (mediatui.upload.journal)
DEFAULT_DAYS = 90
ACTIONS = ("update", "delete", "create", "upload", "undo", "restore")
Outcome = Literal["done", "failed", "unknown"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    host TEXT NOT NULL,
    profile TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    method TEXT,
    media_id INTEGER,
    title TEXT,
    before TEXT,
    after TEXT,
    outcome TEXT NOT NULL,
    status INTEGER,
    message TEXT NOT NULL DEFAULT '',
    undoes INTEGER
);
CREATE INDEX IF NOT EXISTS records_at ON records (at DESC, id DESC);
CREATE INDEX IF NOT EXISTS records_profile ON records (profile, at);
CREATE INDEX IF NOT EXISTS records_media ON records (media_id);
"""


COLUMNS = "id, at, host, profile, action, method, media_id, title, before, after, outcome, status, message, undoes"


@dataclass(frozen=True, slots=True)
class Record:
    id: int
    at: datetime
    host: str
    profile: str
    action: str
    method: str | None  # PATCH or PUT for an update (an undo is a PATCH)
    media_id: int | None
    title: str | None
    before: dict[str, Any] | None  # the media as the server had it before (None for a create or an upload)
    after: dict[str, Any] | None  # as the server answered (None for a delete, or when no answer came)
    outcome: str
    status: int | None  # the server's status when it failed
    message: str
    undoes: int | None  # the record this one undid

    @property
    def said(self) -> str:
        """The outcome in words: "done", "failed (403: …)", "unknown (…)". Raw: render it through the sanitizer."""
        if self.outcome == "done":
            return "done" + (f" ({self.message})" if self.message else "")
        status = f"{self.status}: " if self.status else ""
        return f"{self.outcome} ({status}{self.message})" if (status or self.message) else self.outcome


def failure_fields(error: ApiError) -> dict[str, Any]:
    """How a write that got no success is recorded: "failed" with the server's status when it refused it, else
    "unknown" (a network failure after sending, or a 5xx: the write may have been done all the same)."""
    from mediatui.api import ServerError, TransportError

    may_have = (isinstance(error, TransportError) and not error.never_sent) or isinstance(error, ServerError)
    outcome: Outcome = "unknown" if may_have else "failed"
    return {"outcome": outcome, "status": error.status, "message": error.message}


def history_path(server_url: str, folder: Path | None = None) -> Path:
    return per_server_file(folder or user_folder(ENV_STATE_DIR, "state"), "history", server_url)


def parse_since(text: str, now: datetime) -> datetime:
    """`2d`, `12h`, `30m` ago, or a date `2026-12-01` (UTC); ValueError says what is accepted."""
    text = text.strip()
    units = {"d": "days", "h": "hours", "m": "minutes"}
    wrong = ValueError(f"{text!r}: give a time ago (2d, 12h, 30m) or a date (2026-12-01, taken as UTC)")
    number = text[:-1]
    if text[-1:] in units and number.isascii() and number.isdigit() and len(text) <= 7:
        try:
            return now - timedelta(**{units[text[-1]]: int(number)})
        except OverflowError:
            raise wrong from None
    try:
        day = fromisoformat(text)
    except ValueError:
        raise wrong from None
    return day if day.tzinfo else day.replace(tzinfo=UTC)


class History(LocalDb):
    """`token`: blanked from every JSON stored; `days`: records older than that go when the file is opened."""

    SCHEMA = _SCHEMA
    ENV_VAR = ENV_STATE_DIR

    def __init__(
        self,
        path: Path,
        *,
        host: str,
        profile: str = "",
        token: str = "",
        days: int = DEFAULT_DAYS,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(path)
        self.host, self.profile, self.clock = host, profile, clock
        self._blanker = TokenBlanker(token)
        self.days = days  # this profile's retention: its own records older than this go at its next write

    @classmethod
    def for_server(
        cls,
        server_url: str,
        *,
        host: str,
        profile: str = "",
        token: str = "",
        days: int = DEFAULT_DAYS,
        clock: Callable[[], datetime] | None = None,
        folder: Path | None = None,
    ) -> History:
        return cls(
            history_path(server_url, folder),
            host=host,
            profile=profile,
            token=token,
            days=days,
            clock=clock or (lambda: datetime.now(UTC)),
        )

    def add(
        self,
        action: str,
        media_id: int | None,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        outcome: Outcome = "done",
        status: int | None = None,
        message: str = "",
        method: str | None = None,
        undoes: int | None = None,
    ) -> int:
        """Record one change (after the server's answer); its record id. LocalDataError when it cannot be kept."""
        shown = after if after is not None else before
        title = shown.get("title") if isinstance(shown, dict) else None
        row = (
            self.clock().astimezone(UTC).isoformat(timespec="seconds"),
            self.host,
            self.profile,
            action,
            method,
            media_id,
            self._blank(title) if isinstance(title, str) else None,
            self._json(before),
            self._json(after),
            outcome,
            status,
            self._blank(message),
            undoes,
        )
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO records (at, host, profile, action, method, media_id, title, before, after, outcome,"
                " status, message, undoes) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                row,
            )
            added = int(cursor.lastrowid or 0)
        self.prune(self.days)
        return added

    def records(
        self,
        *,
        since: datetime | None = None,
        media_id: int | None = None,
        action: str | None = None,
        search: str | None = None,
        limit: int = 1000,
    ) -> list[Record]:
        """Newest first; `search` looks in titles and ids (`12` or `#12`), with no regard to case."""
        where: list[str] = []
        args: list[object] = []
        if since is not None:
            where.append("at >= ?")
            args.append(since.astimezone(UTC).isoformat(timespec="seconds"))
        if media_id is not None:
            where.append("media_id = ?")
            args.append(media_id)
        if action:
            where.append("action = ?")
            args.append(action)
        if search:
            needle = search.strip().removeprefix("#")
            pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where.append("(title LIKE ? ESCAPE '\\' OR CAST(media_id AS TEXT) = ?)")
            args += [pattern, needle]
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {COLUMNS} FROM records{clause} ORDER BY at DESC, id DESC LIMIT ?", [*args, min(limit, 100_000)]
            ).fetchall()
        return [one for one in map(_record, rows) if one is not None]

    def get(self, record_id: int) -> Record | None:
        with self._lock:
            row = self._db.execute(f"SELECT {COLUMNS} FROM records WHERE id = ?", (record_id,)).fetchone()
        return _record(row) if row else None

    def undone_by(self, record_id: int) -> Record | None:
        """The undo that set this record back, if one did (and was done)."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {COLUMNS} FROM records WHERE undoes = ? AND outcome = 'done' ORDER BY id DESC LIMIT 1",
                (record_id,),
            ).fetchone()
        return _record(row) if row else None

    def prune(self, days: int) -> int:
        """This profile's records older than `days` go (retention; another profile's keep to its own, as the
        file is the community's); how many went."""
        cutoff = (self.clock() - timedelta(days=days)).astimezone(UTC).isoformat(timespec="seconds")
        with self._lock:
            return self._db.execute("DELETE FROM records WHERE at < ? AND profile = ?", (cutoff, self.profile)).rowcount

    def _json(self, data: dict[str, Any] | None) -> str | None:
        """Escaped JSON (\\uXXXX): a lone surrogate a server sent (valid JSON) is text SQLite can store."""
        return None if data is None else self._blank(json.dumps(data))

    def _blank(self, text: str) -> str:
        """The token never reaches the file, even where a server echoed it into a field (as `***`); a lone
        surrogate (a server's, or a file name's byte) becomes U+FFFD, which SQLite can store."""
        return self._blanker.text(text).encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _record(row: tuple[Any, ...]) -> Record | None:
    """A row as a record; None for a row a damaged file no longer holds whole (skipped: the others still show)."""
    (rid, at, host, profile, action, method, media_id, title, before, after, outcome, status, message, undoes) = row
    try:
        when = datetime.fromisoformat(at)
    except (TypeError, ValueError):
        return None
    return Record(
        rid,
        when,
        host,
        profile,
        action,
        method,
        media_id,
        title,
        _loads(before),
        _loads(after),
        outcome,
        status,
        message,
        undoes,
    )


def _loads(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def record_diff(record: Record) -> list[tuple[str, Any, Any]]:
    """Field by field, what the change did: (name, before, after) for each top-level field that differs (a
    create has no before, a delete no after: every field then shows on its one side). Raw server values."""
    before, after = record.before or {}, record.after or {}
    names = list(dict.fromkeys([*before, *after]))
    return [(name, before.get(name), after.get(name)) for name in names if before.get(name) != after.get(name)]

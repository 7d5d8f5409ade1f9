"""Where every upload of a session stands, as the upload screen and the list's status line show it.

Textual-free: fed the engine's events (on the UI thread, one at a time) and
pre-flight refusals; read when the screen draws. All text it returns is made
inert here (file names and server messages are untrusted) and is plain text,
never markup. `version` grows on every change, so a drawer can skip a frame
when nothing moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mediatui.api import Media
from mediatui.sanitize import inert
from mediatui.upload.console import eta as eta_text
from mediatui.upload.console import size as size_text
from mediatui.upload.events import (
    CHECK_ACCESS,
    FIX_FILE,
    RESUME,
    START_AGAIN,
    Cancelled,
    Completed,
    CompletionUnknown,
    Event,
    Failed,
    Progress,
    Queued,
    Retrying,
    Started,
    Warned,
)

QUEUED, UPLOADING, RETRYING, COMPLETED, FAILED, CANCELLED, UNKNOWN, REFUSED, OFFERED = (
    "queued",
    "uploading",
    "retrying",
    "completed",
    "failed",
    "cancelled",
    "unknown",
    "refused",
    "unfinished",
)
ACTIVE = (QUEUED, UPLOADING, RETRYING)
RETRYABLE = (FAILED, CANCELLED)

#: What to do after a failure, in the upload screen's keys (the CLI says it with its flags: console.next_step).
NEXT_ON_SCREEN = {
    RESUME: "R retries",
    START_AGAIN: "R uploads it as it is now",
    FIX_FILE: "fix the file, then R",
    CHECK_ACCESS: "check the token (c on the list), then R",
}


@dataclass(slots=True)
class Row:
    key: str
    name: str  # inert, one line
    size: int
    state: str = QUEUED
    done: int = 0
    speed: float | None = None
    eta: float | None = None
    detail: str = ""  # inert: the reason, the retry, the media id
    media_id: int | None = None
    upload_id: str | None = None
    path: str = ""  # the file itself (never shown: `name` is), for R's "upload again"

    @property
    def fraction(self) -> float:
        return self.done / self.size if self.size else 0.0

    def bytes_text(self) -> str:
        return f"{size_text(self.done)} / {size_text(self.size)}" if self.size else ""

    def speed_text(self) -> str:
        if self.state != UPLOADING or not self.speed:
            return ""
        return f"{size_text(self.speed)}/s · {eta_text(self.eta)}"

    def state_text(self) -> str:
        match self.state:
            case "completed":
                return f"completed as #{self.media_id}"
            case "unknown":
                return "completion unknown"
            case "refused":
                return "not sent"
            case "retrying":
                return f"retrying {self.detail}"
            case "unfinished":
                return f"unfinished, {self.detail}"
        return self.state

    def detail_text(self) -> str | None:
        """The long words of an ending (why it failed, what to do), shown instead of the bar; else None."""
        if self.state in (FAILED, REFUSED, UNKNOWN) or (self.state == CANCELLED and self.detail):
            return self.detail
        if self.state == OFFERED:
            return f"{self.bytes_text()} sent before · enter resumes it, ctrl+r resumes all"
        if self.state == CANCELLED:
            return f"{self.bytes_text()} · resumable: R goes on"
        return None


class Board:
    """Rows in the order files were added; counts and overall progress for the status lines."""

    def __init__(self, max_attempts: int) -> None:
        self.max_attempts = max_attempts
        self.rows: dict[str, Row] = {}
        self.version = 0

    def refuse(self, key: str, path: str, reason: str) -> None:
        """A file that pre-flight (or planning) kept back: shown with its reason, never sent."""
        self.rows[key] = Row(
            key, inert(Path(path).name or str(path), limit=120), 0, REFUSED, detail=inert(reason, limit=160)
        )
        self.version += 1

    def offer(self, key: str, path: str, size: int, done: int, age: str, error: str | None = None) -> None:
        """An unfinished entry of the journal (an earlier session's, or one killed): resumable on request."""
        if key in self.rows and self.rows[key].state != OFFERED:
            return
        why = f" ({error})" if error else ""
        self.rows[key] = Row(
            key, inert(Path(path).name, limit=120), size, OFFERED, done=done, detail=inert(f"{age}{why}", limit=160)
        )
        self.version += 1

    def apply(self, event: Event) -> Media | None:
        """Take an engine event; returns the media when one was created (for the list)."""
        key = event.item.key
        row = self.rows.get(key)
        if row is None or isinstance(event, Queued):
            row = self.rows[key] = Row(
                key, inert(event.item.name, limit=120), event.item.size, path=str(event.item.path)
            )
            if isinstance(event, Queued):
                self.version += 1
                return None
        self.version += 1
        match event:
            case Started(resumed_from=done):
                row.state, row.done, row.detail = UPLOADING, done, ""
            case Progress():
                row.state, row.done, row.speed, row.eta = UPLOADING, event.bytes_done, event.speed, event.eta
            case Retrying(attempt=attempt, delay=delay, reason=reason):
                row.state = RETRYING
                row.detail = inert(f"{attempt}/{self.max_attempts} in {delay:.0f} s: {reason}", limit=160)
            case Completed(media=media):
                row.state, row.done, row.media_id = COMPLETED, row.size, media.id
                return media
            case Failed():
                # the reason cut first, so that the next step is always there whole
                row.state, row.detail = FAILED, f"{inert(event.reason, limit=170)} · {NEXT_ON_SCREEN[event.next]}"
            case Cancelled(bytes_done=done):
                row.state, row.done = CANCELLED, done
            case CompletionUnknown(upload_id=upload_id):
                row.state, row.upload_id = UNKNOWN, upload_id
                row.detail = inert(
                    f"upload {upload_id}: the media may exist. Look for it in the list; if it is not "
                    f"there: mediatui upload --recomplete {upload_id}; if it is: --forget {upload_id}",
                    limit=400,
                )
            case Warned(message=message):
                row.detail = inert(message, limit=200)
        return None

    def requeue(self, key: str) -> None:
        row = self.rows.get(key)
        if row is not None:
            row.state, row.detail, row.speed, row.eta = QUEUED, "", None, None
            self.version += 1

    def unqueue(self, key: str, state: str, detail: str) -> None:
        """A row requeued for a run that did not take it goes back to what it was (if nothing moved it since)."""
        row = self.rows.get(key)
        if row is not None and row.state == QUEUED:
            row.state, row.detail = state, detail
            self.version += 1

    def keys(self, *states: str) -> list[str]:
        return [r.key for r in self.rows.values() if r.state in states]

    @property
    def active(self) -> int:
        return len(self.keys(*ACTIVE))

    def totals(self) -> tuple[int, int, int, int]:
        """Files done and total, bytes done and total (refused files count in neither)."""
        rows = [r for r in self.rows.values() if r.state not in (REFUSED, OFFERED)]
        done = sum(1 for r in rows if r.state == COMPLETED)
        return done, len(rows), sum(r.done for r in rows), sum(r.size for r in rows)

    def overall(self) -> str:
        done, files, sent, total = self.totals()
        if not files:  # only rows offered from before, or refused: said as such, never "no uploads"
            offered, refused = len(self.keys(OFFERED)), len(self.keys(REFUSED))
            parts = [f"{offered} unfinished from before"] if offered else []
            parts += [f"{refused} not sent"] if refused else []
            return " · ".join(parts) or "no uploads yet"
        speed = sum(r.speed or 0 for r in self.rows.values() if r.state == UPLOADING)
        left = total - sent
        line = f"{done} of {files} files · {size_text(sent)} / {size_text(total)}"
        if self.active and speed:
            line += f" · {size_text(speed)}/s · ETA {eta_text(left / speed)}"
        counts = [
            (len(self.keys(FAILED)), "failed"),
            (len(self.keys(CANCELLED)), "cancelled"),
            (len(self.keys(UNKNOWN)), "unknown"),
        ]
        return line + "".join(f" · {n} {what}" for n, what in counts if n)

    def status(self) -> str | None:
        """For the list's status line while something runs: "uploading 2 · queued 3 · done 1 of 6 · 43%"."""
        if not self.active:
            return None
        done, files, sent, total = self.totals()
        running, queued = len(self.keys(UPLOADING, RETRYING)), len(self.keys(QUEUED))
        waiting = f" · queued {queued}" if queued else ""
        return f"uploading {running}{waiting} · done {done} of {files} · {int(100 * sent / total) if total else 0}%"


def summary(shown: Board | None, elsewhere: list[tuple[Board, str]]) -> str:
    """The list's status line while uploads run: those of the community shown, then those of communities left,
    each saying where it goes ("uploading 1 of 1 · 40% to community-a"); nothing when none runs."""
    parts = [shown.status() or ""] if shown is not None else []
    parts += [f"{board.status()} to {label}" for board, label in elsewhere if board.status()]
    return " · ".join(p for p in parts if p)


def ended_note(board: Board, label: str) -> str:
    """What the uploads of a community left came to: a completion that may have landed is not a failure."""
    done, files, _, _ = board.totals()
    parts = [f"Uploads to {label} ended: {done} of {files} landed"]
    unknown, failed = len(board.keys(UNKNOWN)), len(board.keys(FAILED))
    if unknown:
        parts.append(f"{unknown} may have (completion unknown: `mediatui upload --recomplete ID` settles it)")
    if failed:
        parts.append(f"{failed} failed (resumable from {label}'s upload screen)")
    return "; ".join(parts) + "."


def ended_well(board: Board) -> bool:
    done, files, _, _ = board.totals()
    return done == files

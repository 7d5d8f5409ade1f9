"""A community's uploads in the app: one session (journal, claims) for every screen, its board, its workers.

Made by the app for the community it shows (a switch makes new ones; the old
go on to the end on their own community, which ends with them), not by the
upload screen, so that leaving the screen does not stop anything and the list
can say how far they are. The engine runs in
Textual thread workers; what it says reaches the UI as messages posted to the
app (the engine never waits for the UI), and whoever listens redraws at
most 10 times a second in all, and only when something changed. A change of
state (started, completed, failed, ...) is drawn at once when the last frame
is 0.1 s old, else once it is; progress alone waits until the last frame is
0.25 s old. Why: a frame costs the UI thread a few milliseconds of Python,
and with 10 progress frames a second the frame that showed a file's last
bytes usually took the slot its completion needed (drawn ~75 ms late).
Queued files wait like progress: a run queues its files together and their
Started follows at once, so one frame mounts all of a run's rows (one layout
pass, not one per row, while the engine threads start).

While uploads run, the interpreter's switch interval is short
(mediatui.runtime.handover).
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable, Collection
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from mediatui.api import Media
from mediatui.api.retry import RetryPolicy
from mediatui.runtime.handover import Handover
from mediatui.sanitize import inert
from mediatui.tui import background
from mediatui.upload import session as S
from mediatui.upload.board import QUEUED, Board
from mediatui.upload.events import CompletionUnknown, Event, Progress, Queued
from mediatui.upload.slots import MAX_JOBS

if TYPE_CHECKING:
    from textual.app import App

    from mediatui.community import Community
    from mediatui.upload import UploadSession

DRAW_INTERVAL = 0.1  # at most 10 redraws a second, whatever the number of files or events
PROGRESS_INTERVAL = 0.25  # progress alone (bars, bytes, speed) at most 4 times a second
QUIT_WAIT = 0.8  # seconds quitting waits for the workers to record their cancel


class UploadEvent(Message):
    """An engine event, posted from a worker thread to the app, for the uploads it came from."""

    def __init__(self, event: Event, uploads: Uploads | None = None) -> None:
        super().__init__()
        self.event = event
        self.uploads = uploads  # None: the app's current ones


class UploadRefused(Message):
    """A file kept back before sending (pre-flight, uploaded before, owned elsewhere), with why."""

    def __init__(self, path: str, reason: str, uploads: Uploads | None = None) -> None:
        super().__init__()
        self.path = path
        self.reason = reason
        self.uploads = uploads


class UploadsOffered(Message):
    """Unfinished journal entries, read on a worker thread."""

    def __init__(self, entries: list[Any], uploads: Uploads | None = None) -> None:
        super().__init__()
        self.entries = entries
        self.uploads = uploads


class UploadsIdle(Message):
    """A run of these uploads ended (posted after it let go of the switch interval): maybe the last one."""

    def __init__(self, uploads: Uploads, unplanned: dict[str, tuple[str, str]] | None = None) -> None:
        super().__init__()
        self.uploads = uploads
        #: Rows requeued for this run that it did not take (stopped first, or skipped): their state before.
        self.unplanned = unplanned or {}


class Uploads:
    def __init__(
        self,
        app: App[Any],
        community: Community,
        remember: Callable[[Community, Media], None],
        **options: Any,
    ) -> None:
        self.app = app  # the engine's events are posted to it, as messages
        self.community = community  # where these files go, whatever the app shows later
        self._remember_in = remember  # a completed upload into its community's catalogue (on a worker thread)
        self.options = options  # for UploadSession: jobs, chunk_size, retry, clock (tests inject them)
        retry = options.get("retry") or RetryPolicy()
        self.board = Board(retry.max_attempts)
        self.listeners: list[Callable[[], None]] = []
        self.on_completed: list[Callable[[Media], None]] = []
        self._session: Future[UploadSession] | None = None
        self._opening = threading.Lock()
        self._drawn = -1
        self._drawn_at = 0.0
        self._timer: Any = None
        self._due = 0.0  # when the pending timer draws
        self._soon = False  # a frame waits only for the messages queued before it
        self._handover = Handover()  # the GIL's switch interval while any run is left
        self.stopping = threading.Event()  # set when the app quits, or when these uploads end with their community

    # -- the session, opened off the UI thread ------------------------------------

    def session(self) -> Future[UploadSession]:
        """The session, opening it again when the last try failed (a full or unusable state folder that has
        been put right since: the next file added, or R, goes on without a restart)."""
        with self._opening:  # asked from several workers at once (a run, the offer): opened once
            failed = self._session is not None and self._session.done() and self._session.exception() is not None
            if self._session is None or (failed and not self.stopping.is_set()):
                self._session = background.start(self._open, name="mediatui-uploads")
            return self._session

    def _open(self) -> UploadSession:
        from mediatui.upload import UploadSession

        if self.community.closed:
            raise RuntimeError("this community was left")
        return UploadSession.open(self.community.client(), **self.options)

    @property
    def ready(self) -> UploadSession | None:
        future = self._session
        if future is None or not future.done() or future.exception() is not None:
            return None
        return future.result()

    @property
    def jobs(self) -> int:
        session = self.ready
        return session.jobs if session else int(self.options.get("jobs", 3))

    def set_jobs(self, jobs: int) -> int:
        session = self.ready
        jobs = max(1, min(MAX_JOBS, jobs))
        if session is not None:
            session.jobs = jobs
        self.options["jobs"] = jobs
        return jobs

    @property
    def running(self) -> bool:
        return self._handover.running or self.board.active > 0

    # -- starting work --------------------------------------------------------------

    def add_paths(self, paths: list[Path], type: str | None, *, again: bool = False) -> None:
        """`again`: files uploaded before are uploaded anew (R on a completed row, after its question)."""
        self._start(lambda session: session.plan_files(paths, type, again=again, all_or_nothing=False))

    def resume(self, keys: Collection[str] | None = None) -> None:
        """Unfinished journal entries (all, or these) go on; R on a failed or cancelled one is this too.

        A row shows "queued" at once; one the run does not take goes back to what it was (UploadsIdle)."""
        before = {}
        for key in keys or []:
            row = self.board.rows.get(key)
            if row is not None:
                before[key] = (row.state, row.detail)
            self.board.requeue(key)
        self.changed()
        self._start(lambda session: session.plan_resume(keys), before)

    def cancel(self, keys: Collection[str]) -> None:
        session = self.ready
        if session is not None:
            session.cancel_keys(keys)

    def _start(
        self, plan: Callable[[UploadSession], S.Plan], requeued: dict[str, tuple[str, str]] | None = None
    ) -> None:
        self._handover.run_started()
        self.app.run_worker(
            lambda: self._work(plan, requeued or {}),
            thread=True,
            group="uploads",
            exit_on_error=False,
            name="upload",
            description="upload",
        )

    def _work(self, plan_for: Callable[[UploadSession], S.Plan], requeued: dict[str, tuple[str, str]]) -> None:
        """On a worker thread: pre-flight and planning read files, then the engine runs."""
        post = self.app.post_message
        planned: set[str] = set()
        try:
            session = self.session().result()
            if self.stopping.is_set():  # shut down (quit, or their community ended) while the session opened
                return
            plan = plan_for(session)
            planned = {item.key for item in plan.items}
            for skipped in plan.skipped:
                post(UploadRefused(skipped.path, _reason(skipped), self))
            if plan.items:
                session.run(plan.items, self._poster())
        except Exception as exc:  # noqa: BLE001 - no worker exception ends the app
            reason = f"could not start: {inert(str(exc), limit=160) or type(exc).__name__}"
            post(UploadRefused("uploads", reason, self))
        finally:
            self._handover.run_ended()
            unplanned = {key: before for key, before in requeued.items() if key not in planned}
            post(UploadsIdle(self, unplanned))  # the uploads of a community left end it with their last run

    def _poster(self) -> Callable[[Event], None]:
        post = self.app.post_message

        def on_event(event: Event) -> None:
            post(UploadEvent(event, self))  # never waits for the UI

        return on_event

    # -- what comes back (on the UI thread) ------------------------------------------

    def offer_unfinished(self) -> None:
        """The journal's unfinished entries for this server, as rows that enter (or Resume all) resumes."""
        self._start_offer()

    def _start_offer(self) -> None:
        def work() -> None:
            try:
                entries = self.session().result().unfinished()
            except Exception:  # noqa: BLE001 - nothing to offer; adding files says what is wrong
                return
            self.app.post_message(UploadsOffered(entries, self))

        self.app.run_worker(work, thread=True, group="uploads-offer", exit_on_error=False, name="offer")

    def take(self, message: UploadEvent | UploadRefused | UploadsOffered) -> None:
        if isinstance(message, UploadsOffered):
            for entry in message.entries:
                self.board.offer(
                    entry.key, entry.path, entry.size, entry.offset, age_text(now() - entry.updated), entry.error
                )
            self.changed()
            return
        if isinstance(message, UploadRefused):
            self.board.refuse(f"refused-{uuid.uuid4().hex}", message.path, message.reason)
            self.changed()
            return
        event = message.event
        row = self.board.rows.get(event.item.key)
        before = row.state if row is not None else None
        media = self.board.apply(event)
        row = self.board.rows.get(event.item.key)
        if isinstance(event, Progress):  # urgent only if it ends a retry: progress alone waits
            self.changed(urgent=row is None or row.state != before)
        elif isinstance(event, Queued):  # a run queues its files together, and their Started follows
            self.changed(urgent=False, follows=True)
        else:
            self.changed()
        if media is not None:
            background.start(self._remember, media, name="mediatui-remember")
            for listener in self.on_completed:
                listener(media)
        elif isinstance(event, CompletionUnknown):  # it may have made a media: the history says so
            fields = {"outcome": "unknown", "message": f"upload {event.upload_id}: {event.reason}"}
            background.start(self._record, None, fields, name="mediatui-history")

    def _remember(self, media: Media) -> None:
        """On a worker: the completed upload into the history, then the catalogue (bookkeeping, after the row
        said it landed)."""
        self._record(media.id, {"after": media.to_json()})
        with contextlib.suppress(Exception):  # the catalogue catches up on the next GET
            self._remember_in(self.community, media)

    def _record(self, media_id: int | None, fields: dict[str, Any]) -> None:
        warning = self.community.record("upload", media_id, **fields)
        if warning:
            with contextlib.suppress(RuntimeError):  # the app ended meanwhile
                self.app.call_from_thread(self.app.notify, inert(warning, limit=300), severity="warning", markup=False)

    def changed(self, *, urgent: bool = True, follows: bool = False) -> None:
        """The board changed: draw now if the last frame is old enough, else once it will be.

        Old enough is DRAW_INTERVAL for a change of state (`urgent`), PROGRESS_INTERVAL for progress
        alone. A pending frame that comes later than a change of state needs is brought forward. A
        change that another `follows` at once (files queued, then started) waits PROGRESS_INTERVAL
        from now at most, to be drawn with that one.
        """
        if self._soon:
            return
        now = time.monotonic()
        due = self._drawn_at + (DRAW_INTERVAL if urgent else PROGRESS_INTERVAL)
        if follows:
            due = max(due, now + PROGRESS_INTERVAL)
        if self._timer is not None:
            if self._due <= due:
                return
            self._timer.stop()
            self._timer = None
        if due <= now:
            # "Now" is after the messages already queued: events the engine posted together
            # (several files started) make one frame.
            self._soon = self.app.call_later(self._soon_draw)
        else:
            self._due = due
            self._timer = self.app.set_timer(due - now + 0.001, self._timed_draw)

    def _timed_draw(self) -> None:
        self._timer = None
        self.draw()

    def _soon_draw(self) -> None:
        self._soon = False
        self.draw()

    def draw(self) -> None:
        """Listeners redraw only when the board changed since the last frame.

        The frame's time is when its listeners are done (mounting a run's rows takes a few ms):
        the next one starts DRAW_INTERVAL after this one ended.
        """
        if self.board.version == self._drawn:
            return
        self._drawn = self.board.version
        for listener in list(self.listeners):
            listener()
        self._drawn_at = time.monotonic()

    # -- quitting -------------------------------------------------------------------

    def shutdown(self) -> None:
        """Cancel everything (it stays resumable), wake requests stuck in the network, close the journal.

        Called on the way out, and when a community left ends with its last upload; returns within
        QUIT_WAIT seconds whatever the server does.
        """
        self.stopping.set()
        session = self.ready
        if session is None:
            if self._session is not None and not self._session.done():  # still opening: ended once it is open
                self._session.add_done_callback(_end_opened)
            return
        session.cancel()
        client = self.community.client_made
        if session.running and client is not None:
            client.abort()
        if session.wait_idle(QUIT_WAIT):
            session.close()


def _end_opened(future: Future[UploadSession]) -> None:
    """A session that opened after its uploads were shut down (a quit, their community ended): nothing runs on it."""
    if future.exception() is None:
        session = future.result()
        session.cancel()
        session.close()


def _reason(skipped: S.Skipped) -> str:
    if skipped.kind == S.DONE_BEFORE:
        return skipped.reason.replace("--again uploads it anyway", "not sent again")
    return skipped.reason


def age_text(seconds: float) -> str:
    if seconds < 90:
        return "just now"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / 86400:.0f} days ago"


def now() -> float:
    return time.time()


__all__ = ["Uploads", "UploadEvent", "UploadRefused", "UploadsIdle", "QUEUED", "age_text"]

"""One file's upload: its chunks in series, its md5 as it goes, where the server stands, its journal entry.

The engine (engine.py) runs one Job per file on its workers; everything about
talking to the server for that file is here, including the rule that a
completion which may have reached the server is never sent again unless the
server says the upload is still open.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, BinaryIO, Protocol

from mediatui.api import ApiError, BadRequest, Gone, NotFound, OffsetMismatch, RateLimited, TransportError
from mediatui.api.errors import UnusableAnswer, error_line
from mediatui.api.retry import is_transient, retry_after
from mediatui.localdb import LocalDataError, staying
from mediatui.upload import journal as J
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
    RateMeter,
    Retrying,
    Started,
    Throttle,
)
from mediatui.upload.file_reading import NotRegular, open_regular, whole_md5
from mediatui.upload.preflight import UploadItem

if TYPE_CHECKING:
    from mediatui.api import MediaClient
    from mediatui.api.retry import RetryPolicy

MAX_RESTARTS = 3  # expired uploads started over, per file
MAX_MISMATCHES = 20  # consecutive offset corrections before giving up


class Restart(Exception):
    """The server lost the upload (expired or unknown): start over from byte 0."""


class Stop(Exception):
    """The item ends with this event."""

    def __init__(self, event: Event) -> None:
        self.event = event


class Engine(Protocol):
    """What a job needs of the engine that runs it (engine.py): the engine imports the job, never the reverse."""

    client: MediaClient
    journal: J.Journal | None
    chunk_size: int
    retry: RetryPolicy
    stall_timeout: float
    clock: Callable[[], float]
    _on_event: Callable[[Event], None]

    def _cancelled(self, key: str) -> bool: ...

    def _wait(self, key: str, seconds: float) -> None: ...


CHANGED_WHILE_UPLOADING = "changed while uploading: start again"


class Job:
    """One file's upload: its md5 so far, where the server stands, its journal entry."""

    def __init__(self, engine: Engine, item: UploadItem) -> None:
        self.engine = engine
        self.client = engine.client
        self.item = item
        self.entry = engine.journal.get(item.key) if engine.journal else None
        self.upload_id: str | None = self.entry.upload_id if self.entry else None
        self.offset = self.entry.offset if self.entry and self.upload_id else 0
        self.md5 = hashlib.md5()
        self.hashed = 0  # bytes of the file fed into md5, from byte 0
        self.meter = RateMeter(item.size, clock=engine.clock)
        self.throttle = Throttle(0.1, clock=engine.clock)
        self.restarts = 0
        self.last_progress = time.monotonic()
        self.stage = ""  # what is being done, for a failure's message: which chunk, or the completion

    # -- the whole run ---------------------------------------------------

    def run(self) -> Event:
        item = self.item
        if self.engine._cancelled(item.key):
            return self._cancel()
        # A resumed entry that holds every byte may have sent its completion (even if a power cut lost
        # the 'completing' record): ask the server before completing: only its "still open" allows
        # completing, anything else is unknown. The local clock never decides: an upload that expired
        # by it is still asked about (its next chunk), and only the server's 410 or 404 starts it over.
        may_have_completed = (
            self.upload_id is not None
            and self.entry is not None
            and (self.entry.state in (J.COMPLETING, J.COMPLETION_UNKNOWN) or self.offset >= item.size)
        )
        self.engine._on_event(Started(item, resumed_from=self.offset))
        try:
            opened = open_regular(item.path)
        except NotRegular:  # a FIFO or a device in its place (opened plainly, a FIFO would block for ever)
            if may_have_completed:
                raise Stop(self._unknown("the file was replaced since; its completion may have been sent")) from None
            raise Stop(self._changed()) from None
        with opened as f:
            if may_have_completed and self.upload_id:
                still_open, answer = self._upload_still_open(f)
                if not still_open:
                    raise Stop(
                        self._unknown(
                            f"the completion may have been sent before, and the server no "
                            f"longer has the upload open ({answer})"
                        )
                    )
                self.offset = item.size
            # A resume too: the file must be as it was when the upload began. After the question above, so
            # that an upload which may have completed stays known (its upload id kept), never restarted.
            self._check_unchanged(f)
            while True:
                try:
                    self._send_chunks(f)
                    return self._complete(f)
                except Restart as restart:
                    self.restarts += 1
                    if self.restarts > MAX_RESTARTS:
                        return self._fail(f"the server kept losing the upload: {restart}")
                    self.engine._on_event(Retrying(item, self.restarts, 0.0, f"{restart}; starting over"))
                    self.upload_id, self.offset = None, 0
                    self.meter.restart()
                    self.record(J.UPLOADING)

    # -- chunks ------------------------------------------------------------

    def _send_chunks(self, f: BinaryIO) -> None:
        item, attempt, mismatches, still = self.item, 0, 0, 0
        self.record(J.UPLOADING)
        while self.offset < item.size:
            if self.engine._cancelled(item.key):
                raise Stop(self._cancel())
            self._check_unchanged(f)
            self.stage = f"the chunk at byte {self.offset:,}"
            self._hash_to(f, self.offset)
            f.seek(self.offset)
            chunk = f.read(min(self.engine.chunk_size, item.size - self.offset))
            try:
                status = self.client.upload_chunk(
                    chunk,
                    start=self.offset,
                    total=item.size,
                    filename=item.sent_name,
                    upload_id=self.upload_id,
                    field=item.field,
                )
            except OffsetMismatch as exc:
                mismatches += 1
                if mismatches > MAX_MISMATCHES or not 0 <= exc.offset <= item.size:
                    raise Stop(self._fail(f"the server keeps moving the offset ({exc.offset})")) from None
                self.offset = exc.offset if self.upload_id else 0
                continue
            except (Gone, NotFound) as exc:
                if self.upload_id is None:
                    raise Stop(self._refused(exc)) from None
                raise Restart(
                    "the server no longer has the upload" if isinstance(exc, NotFound) else "the upload expired"
                ) from None
            except ApiError as exc:
                attempt = self._retry_or_fail(exc, attempt)
                continue
            attempt = mismatches = 0
            if self.upload_id is not None and status.upload_id != self.upload_id:
                raise Restart("the server answered with another upload")  # never progress: MAX_RESTARTS ends it
            sent_to = self.offset + len(chunk)
            if not 0 <= status.offset <= sent_to:  # no more than the bytes sent: a media of them is never completed
                raise Stop(
                    self._fail(f"the server says it holds {status.offset:,} bytes after a chunk ending at {sent_to:,}")
                )
            if self.hashed == self.offset:
                self.md5.update(chunk)
                self.hashed += len(chunk)
            moved = status.offset > self.offset
            self.upload_id = status.upload_id
            self.offset = status.offset
            if not moved:  # a 200 that took nothing: a fault like any other, or it loops for ever
                still = self._retry_or_fail(
                    ApiError(200, f"the server accepted a chunk but its offset stayed at {status.offset}"),
                    still,
                    transient=True,
                )
                continue
            still = 0
            self.last_progress = time.monotonic()
            expires = status.expires.isoformat() if status.expires else None
            self.record(J.UPLOADING, expires=expires)
            self._progress()

    def _retry_or_fail(self, exc: ApiError, attempt: int, *, transient: bool = False) -> int:
        """Wait and return the next attempt number, or stop the item (failed, resumable)."""
        if not (transient or is_transient(exc)):
            raise Stop(self._refused(exc))
        attempt += 1
        if attempt > self.engine.retry.max_attempts:
            raise Stop(self._fail(f"gave up after {attempt - 1} retries: {error_line(exc)}"))
        stalled = time.monotonic() - self.last_progress
        if stalled > self.engine.stall_timeout:
            raise Stop(self._fail(f"no progress for {stalled:.0f} s ({error_line(exc)})"))
        delay = self.engine.retry.delay(attempt, retry_after(exc))
        self.engine._on_event(Retrying(self.item, attempt, delay, exc.message))
        self.engine._wait(self.item.key, delay)
        if self.engine._cancelled(self.item.key):
            raise Stop(self._cancel())
        return attempt

    def _hash_to(self, f: BinaryIO, offset: int) -> None:
        """Make the md5 cover exactly bytes [0, offset), re-reading from disk in chunk-sized blocks."""
        if self.hashed > offset:
            self.md5, self.hashed = hashlib.md5(), 0
        f.seek(self.hashed)
        while self.hashed < offset:
            block = f.read(min(self.engine.chunk_size, offset - self.hashed))
            if not block:
                raise Stop(self._changed())  # it got shorter
            self.md5.update(block)
            self.hashed += len(block)

    def _progress(self) -> None:
        if self.throttle.ready() or self.offset >= self.item.size:
            speed, eta = self.meter.add(self.offset)
            self.engine._on_event(Progress(self.item, self.offset, self.item.size, speed, eta))

    # -- completion --------------------------------------------------------

    def _complete(self, f: BinaryIO) -> Event:
        item, attempt, ambiguous = self.item, 0, False
        self.stage = "the completion"
        self._hash_to(f, item.size)
        self._check_unchanged(f)  # every byte sent and hashed is the file's as it was checked, or nothing completes
        digest = self.md5.hexdigest()
        if whole_md5(f) != digest:  # written without a trace in its times (through a shared mmap)
            raise Stop(self._changed())
        assert self.upload_id is not None
        while True:
            self.record(J.COMPLETING)  # before sending: a kill from here on must not lead to a blind resend
            try:
                media = self.client.complete_upload(self.upload_id, digest, item.type)
            except UnusableAnswer as exc:  # it said yes: the media may exist, so never failed (a new upload doubles)
                return self._unknown(f"the server accepted the completion, but its answer cannot be used ({exc})")
            except RateLimited as exc:
                attempt = self._retry_or_fail(exc, attempt)
                continue
            except TransportError as exc:
                if exc.never_sent:
                    attempt = self._retry_or_fail(exc, attempt)
                    continue
                ambiguous = True
                attempt = self._recheck(f, exc, attempt)
                continue
            except ApiError as exc:
                if exc.status is not None and exc.status >= 500:
                    ambiguous = True
                    attempt = self._recheck(f, exc, attempt)
                    continue
                if ambiguous:  # our earlier completion may have gone through
                    return self._unknown(f"after a lost answer the server says: {exc.message}")
                if isinstance(exc, Gone):
                    raise Restart("the upload expired before it was completed") from None
                if isinstance(exc, BadRequest) and "md5" in exc.message.lower():
                    return self._changed()  # the bytes the server has are not this file's: never resumed
                return self._refused(exc)
            if media.id is None:
                return self._unknown("the server accepted the completion, but named no media id that can be used")
            return Completed(item, media)  # recorded by the engine once the caller has it

    def _recheck(self, f: BinaryIO, exc: ApiError, attempt: int) -> int:
        """After an ambiguous completion: resend only if the server still has the upload open."""
        still_open, answer = self._upload_still_open(f)
        if not still_open:
            raise Stop(
                self._unknown(
                    f"the completion's answer was lost ({exc.message}); asked again, the server says: {answer}"
                )
            )
        return self._retry_or_fail(exc, attempt)

    def _upload_still_open(self, f: BinaryIO) -> tuple[bool, str]:
        """Whether the server still holds the upload unfinished (so no completion happened), and its words.

        The first byte is sent at offset 0: an open upload answers "Offsets do not match"; a
        completed one "already complete", an expired one 410, a forgotten one 404. None of these
        changes anything on the server.
        """
        f.seek(0)
        first, answer = f.read(1), "no answer"
        for attempt in range(1, self.engine.retry.max_attempts + 1):
            try:
                self.client.upload_chunk(
                    first,
                    start=0,
                    total=self.item.size,
                    filename=self.item.sent_name,
                    upload_id=self.upload_id,
                    field=self.item.field,
                )
            except OffsetMismatch:
                return True, "the upload is still open"
            except ApiError as exc:
                answer = exc.message
                if not is_transient(exc):
                    return False, answer
                self.engine._wait(self.item.key, self.engine.retry.delay(attempt, retry_after(exc)))
                continue
            return False, "it took a byte at offset 0"
        return False, f"no clear answer ({answer})"

    # -- endings and the journal -------------------------------------------

    def record(self, state: str, **changes: object) -> None:
        journal = self.engine.journal
        if journal is None:
            return
        entry = self.entry or J.new_entry(self.item)
        entry.state, entry.upload_id, entry.offset = state, self.upload_id, self.offset
        for name, value in changes.items():
            setattr(entry, name, value)
        journal.save(entry)
        self.entry = entry

    def record_safely(self, state: str, **changes: object) -> str | None:
        """Record, and say what went wrong instead of raising (the journal's disk may be full)."""
        try:
            self.record(state, **changes)
        except LocalDataError as exc:  # its message names the file and the folder, never a secret
            return staying(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the user by the caller
            return type(exc).__name__
        return None

    def _fail(self, message: str, next: str = RESUME) -> Failed:
        event = Failed(self.item, message, self.stage, next)
        # safely: a journal that cannot record it (a full disk) must not hide the server's reason
        self.record_safely(J.REFUSED if next == FIX_FILE else J.FAILED, error=event.reason)
        return event

    def _refused(self, exc: ApiError) -> Failed:
        """A refusal that trying again would only repeat: what to do depends on why."""
        if exc.status in (401, 403):
            return self._fail(error_line(exc), CHECK_ACCESS)
        if exc.status in (400, 413, 415, 422) and "offset" not in exc.message.lower():  # 404, 410: no file issue
            return self._fail(error_line(exc), FIX_FILE)
        return self._fail(error_line(exc))

    def _check_unchanged(self, f: BinaryIO) -> None:
        """Stop when the file is no longer as it was checked (written to, replaced, truncated): a media of mixed
        bytes must never be completed. Its open descriptor and its path are both looked at."""
        try:
            changed = self.item.changed(os.fstat(f.fileno())) or self.item.changed(os.stat(self.item.path))
        except OSError:
            changed = True  # gone, or unreadable: not as it was
        if changed:
            raise Stop(self._changed())

    def _changed(self) -> Failed:
        """Closed for good: no resume may continue the bytes sent (the server's partial upload expires); a retry
        starts it again from zero, as the file is then."""
        self.upload_id, self.offset = None, 0
        self.record(J.CHANGED, error=CHANGED_WHILE_UPLOADING)
        return Failed(self.item, CHANGED_WHILE_UPLOADING, next=START_AGAIN)

    def _cancel(self) -> Cancelled:
        self.record(J.CANCELLED)
        return Cancelled(self.item, self.offset)

    def _unknown(self, reason: str) -> CompletionUnknown:
        self.record(J.COMPLETION_UNKNOWN, error=reason)
        return CompletionUnknown(self.item, self.upload_id or "", reason)

"""The chunked-upload engine: streamed, resumable, fault-tolerant, several files at once.

Each file is read once, chunk by chunk (never more than one chunk of it in
memory), the md5 fed as it goes. Chunks of a file go strictly in series;
files go in parallel (`jobs`). Transient faults are retried with backoff; an
offset mismatch follows the server; an expired upload starts over.

Completion is not idempotent on the real server. After an ambiguous failure
(the request may have reached it) the engine asks the server whether the
upload is still open, by sending the first byte at offset 0: an open upload
answers "Offsets do not match", and only then is completion sent again.
Otherwise the item ends as CompletionUnknown, for the user to decide.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from mediatui.api import MAX_CHUNK, MediaClient
from mediatui.api.retry import RetryPolicy
from mediatui.localdb import LocalDataError, staying
from mediatui.upload import journal as J
from mediatui.upload.events import FIX_FILE, Completed, Event, Failed, Queued, Warned
from mediatui.upload.job import Job, Stop
from mediatui.upload.preflight import UploadItem
from mediatui.upload.slots import MAX_JOBS, Slots

STALL_TIMEOUT = 120.0  # seconds without a byte of progress before a file fails (resumable)


class UploadEngine:
    def __init__(
        self,
        client: MediaClient,
        *,
        journal: J.Journal | None = None,
        jobs: int = 3,
        chunk_size: int = MAX_CHUNK,
        retry: RetryPolicy | None = None,
        on_event: Callable[[Event], None] | None = None,
        stall_timeout: float = STALL_TIMEOUT,
        slots: Slots | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if jobs < 1 or not 1 <= chunk_size <= MAX_CHUNK:
            raise ValueError(f"jobs must be at least 1, and the chunk size from 1 to {MAX_CHUNK} bytes")
        self.client = client
        self.journal = journal
        self.jobs = jobs
        self.chunk_size = chunk_size
        self.retry = retry or RetryPolicy()
        self.stall_timeout = stall_timeout
        self._on_event = on_event or (lambda event: None)
        self.slots = slots  # shared by a session's runs: then it, not `jobs`, limits the files at once
        self.clock = clock  # speed, ETA and the progress throttle (injected by snapshot tests)
        self._cancel_all = threading.Event()
        self._cancel: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self.keys: set[str] = set()  # the items of its run (a session lists them as its own)

    def run(self, items: list[UploadItem]) -> list[Event]:
        """Upload every item (blocking; call it from a worker thread). Returns each item's final event."""
        for item in items:
            self._cancel_flag(item.key)
            if self.journal is not None and self.journal.get(item.key) is None:
                self.journal.save(J.new_entry(item))
            self._on_event(Queued(item))
        workers = self.jobs if self.slots is None else max(1, min(len(items), MAX_JOBS))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="upload") as pool:
            return list(pool.map(self._run_one, items))

    def cancel(self, key: str | None = None) -> None:
        """Cancel one item, or all; takes effect between chunks. A cancelled item stays resumable."""
        if key is None:
            self._cancel_all.set()
        else:
            self._cancel_flag(key).set()

    def _cancel_flag(self, key: str) -> threading.Event:
        with self._lock:
            return self._cancel.setdefault(key, threading.Event())

    def _cancelled(self, key: str) -> bool:
        return self._cancel_all.is_set() or self._cancel_flag(key).is_set()

    def _wait(self, key: str, seconds: float) -> None:
        """Sleep for a retry, waking early on cancel."""
        deadline = time.monotonic() + seconds
        flag = self._cancel_flag(key)
        while not (flag.is_set() or self._cancel_all.is_set()):
            left = deadline - time.monotonic()
            if left <= 0:
                return
            flag.wait(min(left, 0.05))

    def _run_one(self, item: UploadItem) -> Event:
        if self.slots is None:
            return self._run_job(item)
        if not self.slots.acquire(lambda: self._cancelled(item.key)):
            event: Event = Job(self, item)._cancel()  # cancelled while waiting its turn
            self._on_event(event)
            return event
        try:
            return self._run_job(item)
        finally:
            self.slots.release()

    def _run_job(self, item: UploadItem) -> Event:
        job = Job(self, item)
        try:
            event = job.run()
        except Stop as stop:
            event = stop.event
        except OSError as exc:
            event = Failed(item, exc.strerror or str(exc), "reading the file", FIX_FILE)
            job.record_safely(J.REFUSED, error=event.reason)
        except LocalDataError as exc:  # the journal cannot be written (a full disk): nothing more is sent
            event = Failed(item, f"stopped: the journal cannot record it: {staying(str(exc))}", job.stage)
            job.record_safely(J.FAILED, error=event.reason)
        except Exception as exc:  # never let one file take the others down
            # Only the type: an exception's text could quote a request header (the token).
            event = Failed(item, f"unexpected error ({type(exc).__name__}); the upload stays resumable", job.stage)
            job.record_safely(J.FAILED, error=event.reason)
        self._on_event(event)  # the server's result first, the journal after
        if isinstance(event, Completed):
            problem = job.record_safely(J.COMPLETED, media_id=event.media.id)
            if problem:
                self._on_event(
                    Warned(
                        item,
                        f"created as media {event.media.id}, but the journal could not "
                        f"record it ({problem}): a later --resume will call its completion "
                        "unknown; then --forget it",
                    )
                )
        return event

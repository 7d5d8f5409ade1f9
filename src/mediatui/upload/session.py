"""One process's uploads to one server: what to send, who owns it, and the runs. Shared by CLI and TUI.

Planning decides what each named file means before a byte is sent: a file
the journal holds unfinished continues that entry (a new upload of it would
make a second media once the old one is resumed too); a file uploaded
before is skipped with its media id unless `again`; the same file named
twice (or through a symlink or a hard link) is sent once; an entry another
process owns is left to it. Every entry this session touches is claimed
(see claims.py) and given back when its upload ends or the session closes.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from mediatui._compat import UTC
from mediatui.api import MAX_CHUNK, InvalidInput, MediaClient, MediaType
from mediatui.api.retry import RetryPolicy
from mediatui.localdb import LocalDataError
from mediatui.upload import journal as J
from mediatui.upload.claims import Claims, EntryBusy
from mediatui.upload.engine import STALL_TIMEOUT, UploadEngine
from mediatui.upload.events import Cancelled, Completed, CompletionUnknown, Event, Failed
from mediatui.upload.preflight import Limits, UploadItem, check_file
from mediatui.upload.resume import entry_item
from mediatui.upload.slots import Slots

FINAL = (Completed, Failed, Cancelled, CompletionUnknown)

# Why a file or entry is not in a plan.
PREFLIGHT = "preflight"  # the file cannot be uploaded as it is
DONE_BEFORE = "done before"  # the journal says it was uploaded already
UNKNOWN = "completion unknown"  # an earlier upload may have created it: the user decides
OWNED = "owned"  # another mediatui process is uploading it
CHANGED = "changed"  # the file changed or went away since its upload began
DUPLICATE = "duplicate"  # named twice


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str
    kind: str


@dataclass(slots=True)
class Plan:
    """What a session will upload, and what it leaves out with a reason for each."""

    items: list[UploadItem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unknown: list[J.Entry] = field(default_factory=list)  # completions the user must decide on

    def of_kind(self, *kinds: str) -> list[Skipped]:
        return [s for s in self.skipped if s.kind in kinds]


class UploadSession:
    def __init__(
        self,
        client: MediaClient,
        journal: J.Journal,
        *,
        jobs: int = 3,
        chunk_size: int = MAX_CHUNK,
        retry: RetryPolicy | None = None,
        stall_timeout: float = STALL_TIMEOUT,
        limits: Limits = Limits(),
        clock: Callable[[], float] | None = None,
    ) -> None:
        if jobs < 1:
            raise InvalidInput("jobs must be at least 1")
        try:
            self.slots = Slots(jobs)  # one limit for every run of this session (the screen adds runs)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        if not 1 <= chunk_size <= MAX_CHUNK:
            raise InvalidInput(f"the chunk size must be from 1 to {MAX_CHUNK} bytes (the server's maximum)")
        self.client = client
        self.journal = journal
        self.claims = Claims(journal.path)
        self.chunk_size = chunk_size
        self.retry = retry
        self.stall_timeout = stall_timeout
        self.limits = limits
        self.clock = clock
        self._engines: list[UploadEngine] = []
        self._cancelled = False
        self._cancelled_keys: set[str] = set()  # cancelled before their run began, or while it runs
        self._lock = threading.Lock()

    @classmethod
    def open(cls, client: MediaClient, folder: Path | None = None, **options: object) -> UploadSession:
        """The session on this server's journal (LocalDataError names the file when it cannot be used)."""
        journal = J.Journal.for_server(client.base_url, folder)
        try:
            with contextlib.suppress(LocalDataError):  # housekeeping: a full disk says so where it matters
                journal.prune()
            return cls(client, journal, **options)  # type: ignore[arg-type]
        except BaseException:
            journal.close()
            raise

    def __enter__(self) -> UploadSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Give back every claim and close the journal: call it after every run has returned."""
        self.claims.release_all()
        self.journal.close()

    @property
    def jobs(self) -> int:
        return self.slots.limit

    @jobs.setter
    def jobs(self, value: int) -> None:
        """Applies to the runs going on too: more start at once, or fewer once some have finished."""
        try:
            self.slots.limit = value
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None

    @property
    def running(self) -> bool:
        with self._lock:
            return bool(self._engines)

    def wait_idle(self, timeout: float) -> bool:
        """Until every run has returned (True), or `timeout` seconds (False)."""
        deadline = time.monotonic() + timeout
        while self.running:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    # -- planning ------------------------------------------------------------------

    def plan_files(
        self,
        paths: Sequence[str | Path],
        type: MediaType | str | None = None,
        *,
        again: bool = False,
        all_or_nothing: bool = False,
    ) -> Plan:
        """Check every file first; with `all_or_nothing`, one that fails leaves the journal untouched."""
        plan, seen, checked = Plan(), set[tuple[int, int]](), []
        for path in paths:
            try:
                item = check_file(path, type, self.limits)
                stat = os.stat(item.path)
            except ValueError as exc:
                plan.skipped.append(Skipped(str(path), str(exc), PREFLIGHT))
                continue
            except OSError as exc:
                plan.skipped.append(Skipped(str(path), f"cannot be read ({exc.strerror or exc})", PREFLIGHT))
                continue
            if (stat.st_dev, stat.st_ino) in seen:
                plan.skipped.append(Skipped(str(path), "named more than once: uploaded once", DUPLICATE))
                continue
            seen.add((stat.st_dev, stat.st_ino))
            checked.append(item)
        if all_or_nothing and plan.of_kind(PREFLIGHT):
            return plan
        with self.claims.planning():
            for item in checked:
                self._plan_file(plan, item, again)
        return plan

    def _plan_file(self, plan: Plan, item: UploadItem, again: bool) -> None:
        earlier = self.journal.for_file(str(item.path), item.size, item.mtime_ns)
        unfinished = next((e for e in earlier if e.state in J.RESUMABLE), None)
        if unfinished is not None:
            owner = self.claims.claim(unfinished.key)
            if owner is not None:
                plan.skipped.append(Skipped(str(item.path), _owned_by(owner), OWNED))
                return
            current = self.journal.get(unfinished.key)  # read again now that it is ours
            if current is not None and current.state in J.RESUMABLE and _another_version(current, item):
                # Same path, size and mtime, yet not the same file (touch -r, cp -p): its bytes sent so far are
                # of another version. That upload is closed, and this one starts from byte 0.
                current.state, current.error = J.CHANGED, "the file changed since the upload began"
                self.journal.save(current)
            if current is None or current.state not in J.RESUMABLE:
                self.claims.release(unfinished.key)
                self._plan_file(plan, item, again)  # it ended meanwhile: decide again from what it is now
                return
            plan.items.append(replace(item, key=unfinished.key))
            return
        if not again:
            for entry in earlier:
                if _another_version(entry, item):
                    continue  # the same path, size and mtime, yet another file (cp -p): not uploaded before
                if entry.state == J.COMPLETED:
                    when = datetime.fromtimestamp(entry.updated, UTC).strftime("%Y-%m-%d %H:%M UTC")
                    plan.skipped.append(
                        Skipped(
                            str(item.path),
                            f"already uploaded as #{entry.media_id} on {when}; --again uploads it anyway",
                            DONE_BEFORE,
                        )
                    )
                    return
                if entry.state == J.COMPLETION_UNKNOWN:
                    plan.skipped.append(
                        Skipped(
                            str(item.path),
                            f"an earlier upload (upload {entry.upload_id}) may "
                            "have created it: check, then --recomplete or "
                            "--forget it, or --again",
                            UNKNOWN,
                        )
                    )
                    return
        self.claims.claim(item.key)  # a new key: free, but claimed so another process sees it is ours
        self.journal.save(J.new_entry(item))
        plan.items.append(item)

    def plan_resume(self, keys: Collection[str] | None = None) -> Plan:
        """Every unfinished entry (or those of `keys`) this process can take; the others say why not.

        A key named here is no longer cancelled: a retry of a cancelled upload runs.
        """
        plan = Plan()
        # A file that changed while uploading, or that the server refused, is never resumed; named (a retry of its
        # row), it is planned again as the file is now.
        states = J.RESUMABLE if keys is None else (*J.RESUMABLE, J.CHANGED, J.REFUSED)
        with self.claims.planning():
            for entry in self.journal.entries(states):
                if keys is not None and entry.key not in keys:
                    continue
                owner = self.claims.claim(entry.key)
                if owner is not None:
                    plan.skipped.append(Skipped(entry.path, _owned_by(owner), OWNED))
                    continue
                current = self.journal.get(entry.key)  # read again now that it is ours
                if current is None or current.state not in states:
                    self.claims.release(entry.key)
                    continue
                if current.state in (J.CHANGED, J.REFUSED):
                    self._plan_again(plan, current)
                    continue
                found = entry_item(self.journal, current)
                if isinstance(found, str):
                    self.claims.release(entry.key)
                    plan.skipped.append(Skipped(entry.path, found, CHANGED))
                    continue
                plan.items.append(found)
                with self._lock:
                    self._cancelled_keys.discard(found.key)
            if keys is None:
                plan.unknown = self.journal.entries((J.COMPLETION_UNKNOWN,))
        return plan

    def _plan_again(self, plan: Plan, entry: J.Entry) -> None:
        """R on an upload closed because its file changed (or was refused): the file as it is now, planned as a
        file named anew.

        Another process may have uploaded this version meanwhile, or be uploading it: then it is theirs (said
        as owned, or as uploaded before), never sent twice. Else it starts from byte 0 under the same key, so
        that the screen's row is the one that goes on. The claim on the old key is given back otherwise.
        """
        try:
            item = replace(check_file(entry.path, entry.type, self.limits), key=entry.key)
        except (ValueError, OSError) as exc:
            self.claims.release(entry.key)
            reason = str(exc) if isinstance(exc, ValueError) else f"cannot be read ({exc.strerror or exc})"
            plan.skipped.append(Skipped(entry.path, reason, CHANGED))
            return
        try:
            self._plan_file(plan, item, again=False)
        except BaseException:  # the journal failed (a full disk): the row must stay retryable here
            self.claims.release(entry.key)
            raise
        if not any(p.key == entry.key for p in plan.items):
            self.claims.release(entry.key)
        with self._lock:  # a retry runs, whichever entry goes on (another, cancelled earlier, may)
            self._cancelled_keys.difference_update(p.key for p in plan.items)

    def unfinished(self) -> list[J.Entry]:
        """The journal's resumable entries that no run of this session holds (others' ones included)."""
        with self._lock:
            mine = {key for engine in self._engines for key in engine.keys}
        return [e for e in self.journal.entries(J.RESUMABLE) if e.key not in mine]

    def plan_recomplete(self, upload_id: str) -> Plan:
        """An upload whose completion is unknown, completed only if the server still has it open."""
        plan = Plan()
        with self.claims.planning():
            entry = self.journal.find_upload(upload_id)
            if entry is None or entry.state != J.COMPLETION_UNKNOWN:
                raise InvalidInput(f"no upload {upload_id} with an unknown completion in the journal")
            owner = self.claims.claim(entry.key)
            if owner is not None:
                raise EntryBusy(f"upload {upload_id}: {_owned_by(owner)}")
            found = entry_item(self.journal, entry)
            if isinstance(found, str):
                self.claims.release(entry.key)
                raise InvalidInput(f"upload {upload_id}: {found}; --forget it")
            # The engine asks the server first: a blind resend could only duplicate the media or be refused.
            entry.state, entry.offset = J.COMPLETING, entry.size
            self.journal.save(entry)
            plan.items.append(found)
        return plan

    def forget(self, upload_id: str) -> J.Entry:
        """Drop an entry (by upload id or key) that no process owns."""
        with self.claims.planning():
            entry = self.journal.find_upload(upload_id) or self.journal.get(upload_id)
            if entry is None:
                raise InvalidInput(f"no upload {upload_id} in the journal")
            owner = self.claims.claim(entry.key)
            if owner is not None:
                raise EntryBusy(f"upload {upload_id}: {_owned_by(owner)}")
            self.journal.forget(entry.key)
            self.claims.release(entry.key)
        return entry

    # -- running -------------------------------------------------------------------

    def run(self, items: list[UploadItem], on_event: Callable[[Event], None] | None = None) -> list[Event]:
        """Upload planned items (blocking; from a worker thread). Each claim is given back as its item ends."""
        tell = on_event or (lambda event: None)

        def relay(event: Event) -> None:
            tell(event)
            if isinstance(event, FINAL) and not isinstance(event, Completed):
                self.claims.release(event.item.key)  # a completed one once the journal has recorded it

        options = {} if self.clock is None else {"clock": self.clock}
        engine = UploadEngine(
            self.client,
            journal=self.journal,
            jobs=self.jobs,
            chunk_size=self.chunk_size,
            retry=self.retry,
            on_event=relay,
            stall_timeout=self.stall_timeout,
            slots=self.slots,
            **options,
        )
        engine.keys = {item.key for item in items}
        with self._lock:
            self._engines.append(engine)
            if self._cancelled:
                engine.cancel()
            for key in engine.keys & self._cancelled_keys:
                engine.cancel(key)
        try:
            return engine.run(items)
        finally:
            with self._lock:
                self._engines.remove(engine)
            for item in items:
                self.claims.release(item.key)

    def cancel(self, key: str | None = None) -> None:
        """Cancel one upload, or all (also those of runs that start later); cancelled ones stay resumable.

        For the CLI's Ctrl-C. A long-lived session (the upload screen) uses cancel_keys, which
        leaves later runs alone.
        """
        with self._lock:
            if key is None:
                self._cancelled = True
            else:
                self._cancelled_keys.add(key)
            engines = list(self._engines)
        for engine in engines:
            engine.cancel(key)

    def cancel_keys(self, keys: Collection[str]) -> None:
        """Cancel these uploads, running or waiting their turn, even if their run has not begun yet."""
        for key in keys:
            self.cancel(key)


def _owned_by(pid: int) -> str:
    if pid == os.getpid():
        return "it is being uploaded already (in this session)"
    who = f"pid {pid}" if pid else "another process"
    return f"another mediatui is uploading it to this server ({who})"


def _another_version(entry: J.Entry, item: UploadItem) -> bool:
    """The entry's file and `item` differ in what size and mtime do not show (0 in the entry: not known)."""
    kept, now = (entry.ctime_ns, entry.ino, entry.dev), (item.ctime_ns, item.ino, item.dev)
    return any(known and known != seen for known, seen in zip(kept, now, strict=True))

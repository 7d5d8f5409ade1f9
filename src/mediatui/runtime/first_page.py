"""The list's first page, asked for by a forked child while the app starts Textual.

Why: before the first rows can show, httpx must load, the TLS context be made and the
first list request be answered: ~100 ms of CPU that, in one process, takes turns with
Textual's first frame for the GIL (first rows came about 1.7x later than a bare Textual
app painted). A child forked before Textual loads does that work on another core, and
the app reads the page from a pipe: before its first frame if it is there already (the
rows are then in that frame), else from the connecting thread.

The child makes one attempt (a list request; on a server without a list, as the
public API is, a request for a media that cannot exist, whose JSON 404 says the
token is good: then the app opens its catalogue and asks nothing again), writes
only to its pipe and leaves with os._exit (no atexit hooks, no terminal). That
attempt is the list's first try: the app waits for it
as long as the request may take (its deadline, and GRACE more), so a slow server is
asked once (giving up earlier and asking again sent the question twice). Whatever goes
wrong (an error answer, a refused token, a timeout, no child) the app asks again the
usual way (`listing.connect`: retries, messages, the connect screen), so the user is
told what they would have been. Forking is safe only before any thread starts (a lock
held by another thread would stay held in the child) and, on macOS, before system
frameworks load: so it happens on Linux, from the command line, before the app starts;
elsewhere the app asks itself. A new interpreter instead (measured) costs ~200 ms of CPU that the first frame
then shares a machine with.
"""

from __future__ import annotations

import logging
import os
import pickle
import select
import signal
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, NoReturn

from mediatui.runtime.plain import plain

if TYPE_CHECKING:
    from mediatui.api import Page
    from mediatui.settings.config import Settings

log = logging.getLogger("mediatui.runtime.first_page")
MAX_ANSWER = 16_000_000  # a pickled page of 50 media is tens of KB; the client caps bodies at 8 MB
GRACE = 2.0  # seconds the app waits for the child past its request's deadline (a fork and an exit, on a busy machine)


class NoList:
    """The child's answer from a server without a list (the public API has none): it asked for a media that
    cannot exist, whose JSON 404 says the URL and the token are good. The app opens its catalogue, asking nothing."""


NO_LIST = NoList()


class FirstPage:
    """A child process fetching page one; `take()` (blocking: call it off the UI thread) gives it."""

    def __init__(self, pid: int, fd: int, wait: float) -> None:
        self.pid = pid
        self._fd = fd
        self._deadline = time.monotonic() + wait
        self._lock = threading.Lock()
        self._taken = False  # take() began: it alone closes the pipe and reaps the child
        #: Why the child brought no page (its error's name, or "no answer"), for the app to say as a first try.
        self.failure: str | None = None
        self._ended = False  # the child is reaped

    @classmethod
    def start(cls, settings: Settings, limit: int) -> FirstPage | None:
        """Fork the child; None where that is not safe (not Linux, threads running), nothing to ask, or plain."""
        if sys.platform != "linux" or threading.active_count() > 1 or settings.problem() is not None or plain():
            return None
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError as exc:
            log.info("first page: no child process (%s); the app asks itself", type(exc).__name__)
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:
            os.close(read_end)
            _child(write_end, settings, limit)
        os.close(write_end)
        return cls(pid, read_end, settings.timeout + GRACE)

    def ready(self) -> bool:
        """Has the child's answer (or its end) arrived? Never waits."""
        with self._lock:
            return not self._taken and bool(select.select([self._fd], [], [], 0)[0])

    def take(self) -> Page | NoList | None:
        """The child's page (or NO_LIST); None when it failed, outlived its deadline or was cancelled (then ask the
        usual way)."""
        with self._lock:
            if self._taken:
                return None
            self._taken = True
        try:
            data = _read_all(self._fd, self._deadline)
        finally:
            with self._lock:
                _end(self.pid, self._fd)
                self._ended = True
        answer = _answer_from(data) if data is not None else None
        if answer is not None and answer[0] == "no list":
            return NO_LIST
        if answer is None or answer[0] != "page":
            self.failure = answer[1] if answer else "no answer"
            log.info("first page: the child brought no page (%s); asking again", self.failure)
            return None
        return answer[1]

    def cancel(self) -> None:
        """Stop the child (the app quits, or connects elsewhere); a take() waiting on it returns None at once."""
        with self._lock:
            if self._ended:
                return
            if self._taken:  # take() is reading: the child's end wakes it, and it reaps
                _kill(self.pid)
                return
            self._taken = self._ended = True
            _end(self.pid, self._fd)


def _read_all(fd: int, deadline: float) -> bytes | None:
    data = bytearray()
    while len(data) <= MAX_ANSWER:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 65536)
        if not chunk:
            return bytes(data)
        data += chunk
    return None


def _end(pid: int, fd: int) -> None:
    """Kill (it has written all it will, or it hangs) and reap; never waits on the network."""
    os.close(fd)
    _kill(pid)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _answer_from(data: bytes) -> tuple[str, Any] | None:
    """Our own helper wrote it, through a pipe: unpickling it is as safe as its parsing of the answer was."""
    from mediatui.api import Page

    try:
        kind, value = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a helper that died mid-write
        return None
    if kind == "page" and isinstance(value, Page):
        return kind, value
    if kind == "no list":
        return kind, None
    return "failed", str(value)


def _child(fd: int, settings: Settings, limit: int) -> NoReturn:
    """In the forked child: one list request, its pickled answer to the pipe, and out (no atexit hooks)."""
    from mediatui.api import ListingUnsupported

    answer: tuple[str, object]
    try:
        with settings.make_client() as client:
            answer = ("page", client.list(limit=limit, offset=0))
    except ListingUnsupported:  # the client checked the token on a media's address: good, and no list
        answer = ("no list", None)
    except BaseException as exc:  # noqa: BLE001 - any failure: the app asks again, and says why
        answer = ("failed", type(exc).__name__)
    try:
        view = memoryview(pickle.dumps(answer))
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:  # noqa: BLE001 - the app went away: nobody to tell
        pass
    finally:
        for handler in logging.getLogger().handlers:
            handler.flush()
        os._exit(0)

"""What the engine tells its caller, as typed events (from worker threads)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from mediatui.api import Media
from mediatui.upload.preflight import UploadItem


@dataclass(frozen=True, slots=True)
class Event:
    item: UploadItem


@dataclass(frozen=True, slots=True)
class Queued(Event):
    pass


@dataclass(frozen=True, slots=True)
class Started(Event):
    resumed_from: int = 0  # bytes the server already had


@dataclass(frozen=True, slots=True)
class Progress(Event):
    bytes_done: int
    total: int
    speed: float | None  # bytes/s over the last seconds
    eta: float | None  # seconds

    @property
    def fraction(self) -> float:
        return self.bytes_done / self.total if self.total else 1.0


@dataclass(frozen=True, slots=True)
class Retrying(Event):
    attempt: int
    delay: float
    reason: str


@dataclass(frozen=True, slots=True)
class Completed(Event):
    media: Media


#: What to do after a failure (each front end says it in its own words: the CLI's flags, the screen's keys).
RESUME = "resume"  # the bytes sent are kept: go on (a network that gave up, a full disk freed)
START_AGAIN = "start again"  # the file changed: upload it as it is now
FIX_FILE = "fix the file"  # the file cannot be read, or the server refuses it as it is: resuming repeats that
CHECK_ACCESS = "check access"  # the server refused the token or its rights


@dataclass(frozen=True, slots=True)
class Failed(Event):
    error: str  # the reason; the server's status and words (inert) when it answered
    stage: str = ""  # what failed: "the chunk at byte 1,048,576", "the completion", "reading the file"
    next: str = RESUME

    @property
    def reason(self) -> str:
        return f"{self.stage}: {self.error}" if self.stage else self.error


@dataclass(frozen=True, slots=True)
class Cancelled(Event):
    bytes_done: int


@dataclass(frozen=True, slots=True)
class CompletionUnknown(Event):
    """The completion may or may not have created a media; resending could duplicate it."""

    upload_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Warned(Event):
    """Something local went wrong after the server's result (not an ending: a final event came before)."""

    message: str


class RateMeter:
    """Speed and ETA over a moving window, so that one slow chunk does not swing the figure."""

    def __init__(self, total: int, window: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.window = window
        self.clock = clock
        self._samples: deque[tuple[float, int]] = deque()

    def add(self, done: int) -> tuple[float | None, float | None]:
        now = self.clock()
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[0][0] > self.window:
            self._samples.popleft()
        t0, b0 = self._samples[0]
        if now - t0 <= 0 or done <= b0:
            return None, None
        speed = (done - b0) / (now - t0)
        return speed, (self.total - done) / speed

    def restart(self) -> None:
        self._samples.clear()


class Throttle:
    """At most one pass per `interval` seconds (progress ≤ 10/s keeps SSH output small)."""

    def __init__(self, interval: float = 0.1, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self._last = float("-inf")

    def ready(self) -> bool:
        now = self.clock()
        if now - self._last >= self.interval:
            self._last = now
            return True
        return False

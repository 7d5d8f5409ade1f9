"""How many files upload at once, across every run of a session: first come, first served.

The CLI makes one run; the upload screen makes one per batch of files added,
and `+`/`-` change the limit while they go. One shared gate keeps the limit
for all of them, so files added later wait behind those already running
instead of starting a second pool beside the first.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

MAX_JOBS = 16


class Slots:
    def __init__(self, limit: int) -> None:
        self._cond = threading.Condition()
        self._limit = _valid(limit)
        self._busy = 0
        self._waiting: deque[object] = deque()

    @property
    def limit(self) -> int:
        return self._limit

    @limit.setter
    def limit(self, value: int) -> None:
        """A higher limit starts waiting files at once; a lower one lets running files finish."""
        with self._cond:
            self._limit = _valid(value)
            self._cond.notify_all()

    @property
    def busy(self) -> int:
        return self._busy

    def acquire(self, cancelled: Callable[[], bool]) -> bool:
        """Wait for a slot in turn; False (no slot taken) as soon as `cancelled()` says so."""
        ticket = object()
        with self._cond:
            self._waiting.append(ticket)
            try:
                while self._waiting[0] is not ticket or self._busy >= self._limit:
                    if cancelled():
                        return False
                    self._cond.wait(0.05)
                self._waiting.popleft()
                self._busy += 1
                return True
            finally:
                if ticket in self._waiting:
                    self._waiting.remove(ticket)
                self._cond.notify_all()

    def release(self) -> None:
        with self._cond:
            self._busy -= 1
            self._cond.notify_all()


def _valid(limit: int) -> int:
    if not 1 <= limit <= MAX_JOBS:
        raise ValueError(f"jobs goes from 1 to {MAX_JOBS}")
    return limit

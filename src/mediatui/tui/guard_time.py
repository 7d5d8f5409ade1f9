"""When a question may take its answer: once it has been drawn and its guard time has passed since.

Over a laggy SSH link the keys typed after the one that opened a question can
arrive in the same read, before the question was ever on the screen: a `y`
meant for the list would answer it. Each question screen holds one of these
(its `guard_time`), calls `drawn()` after its first refresh and asks `armed`
when an answer comes. No Textual, so the rule is tested with a fake clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class GuardTime:
    def __init__(self, guard: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.guard = guard
        self.clock = clock
        self.drawn_at: float | None = None  # set once the question is on the screen

    def drawn(self) -> None:
        self.drawn_at = self.clock()

    @property
    def armed(self) -> bool:
        """The question has been on the screen long enough for an answer to be an answer to it."""
        return self.drawn_at is not None and self.clock() - self.drawn_at >= self.guard

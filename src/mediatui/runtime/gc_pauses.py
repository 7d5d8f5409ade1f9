"""Garbage collection out of the way of keys: the oldest generation is collected when the user rests.

Why: holding `j` over a few pages, CPython's full collections (generation 2) stopped
the event loop for 70 to 110 ms at a time (measured with gc.callbacks in bench/list.py's
probe): they scan every object the app holds, and a Textual app holds many (modules,
classes, styles, widgets, render caches). Keys waited behind them.

So, once the first rows are out: `gc.freeze()` moves everything made to start (which
lives as long as the app) out of the collector's sight, and the automatic full
collection is turned off. The young generations are still collected as usual (they are
small and quick). The full collection runs here instead: when no key has come for
IDLE seconds, or, under keys that never rest, once every FORCE seconds. Acyclic garbage
never waited for any of this: reference counting frees it at once.
No Textual here: the app calls `key()` on each key and `tick()` once a second.

Measured on CPython 3.11 only. 3.12 and later change the collector (3.14 collects the old
generation incrementally), so elsewhere the collector leaves CPython's own schedule alone:
start() does nothing until it has been measured there (bench/list.py's held-j figures).
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections.abc import Callable

from mediatui.runtime.plain import plain

IDLE = 2.0  # seconds without a key before a full collection may run
EVERY = 30.0  # seconds between full collections when the user rests
FORCE = 120.0  # seconds of keys without a rest after which one runs anyway
NO_AUTOMATIC_FULL = 1_000_000  # generation-1 collections before CPython would start a full one itself
MEASURED_ON = frozenset({(3, 11)})  # the CPython versions whose collector this was measured against


class QuietCollector:
    def __init__(
        self, clock: Callable[[], float] = time.monotonic, python: tuple[int, ...] = tuple(sys.version_info[:2])
    ) -> None:
        self.clock = clock
        # CPython only (another implementation's gc has other generations); plain: CPython's own schedule
        self.measured = sys.implementation.name == "cpython" and tuple(python[:2]) in MEASURED_ON and not plain()
        self.running = False
        self._last_key = clock()
        self._last_full = clock()

    def start(self) -> None:
        """After the first rows: freeze what exists, and take the full collections over (where measured)."""
        if self.running:
            return
        self.running = True
        if self.measured:
            _take_over()
        self._last_full = self.clock()

    def stop(self) -> None:
        """Give CPython its own schedule back once no collector runs (the app quits; tests run many apps)."""
        if self.running:
            self.running = False
            if self.measured:
                _give_back()

    def key(self) -> None:
        self._last_key = self.clock()

    def tick(self) -> bool:
        """A full collection now, if the user rests (or has not for FORCE seconds); True if one ran."""
        if not self.running or not self.measured:
            return False
        now = self.clock()
        resting = now - self._last_key >= IDLE and now - self._last_full >= EVERY
        if not resting and now - self._last_full < FORCE:
            return False
        gc.collect()
        self._last_full = self.clock()
        return True


# The schedule is the process's: the first collector to start saves it, the last to stop restores it.
_running = 0
_saved: tuple[int, int, int] = gc.get_threshold()
_lock = threading.Lock()


def _take_over() -> None:
    global _running, _saved
    with _lock:
        if _running == 0:
            _saved = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(_saved[0], _saved[1], NO_AUTOMATIC_FULL)
        _running += 1


def _give_back() -> None:
    global _running
    with _lock:
        _running -= 1
        if _running == 0:
            gc.set_threshold(*_saved)
            gc.unfreeze()

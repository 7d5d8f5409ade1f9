"""While uploads run, the interpreter's switch interval is 1 ms instead of 5.

Why: an engine thread whose socket has answered needs the GIL for a moment to send the next chunk,
and the UI thread may be drawing (pure Python) for tens of milliseconds. With 5 ms it waited up to
5 ms per hand-over, a few times per chunk; the CLI, with no UI thread, never waits. The interval is
the process's: the first run to start (of any community) saves it, the last to end gives it back. Off
with MEDIATUI_PLAIN.
"""

from __future__ import annotations

import sys
import threading

from mediatui.runtime.plain import plain

SWITCH_INTERVAL = 0.001  # seconds a thread holds the GIL while another waits, while uploads run


# The interval is the process's: the first run to start (of any community's uploads) saves it, the last gives it back.
_runs = 0
_saved: float | None = None  # the interval before the first run, while it is changed
_lock = threading.Lock()


class Handover:
    """One set of uploads' runs; the interval itself is shared by every Handover of the process."""

    def __init__(self) -> None:
        self._runs = 0

    @property
    def running(self) -> bool:
        """A run of these uploads is between planning and its end."""
        return self._runs > 0

    def run_started(self) -> None:
        global _runs, _saved
        with _lock:
            self._runs += 1
            if _runs == 0 and not plain():
                _saved = sys.getswitchinterval()
                sys.setswitchinterval(min(_saved, SWITCH_INTERVAL))
            _runs += 1

    def run_ended(self) -> None:
        global _runs, _saved
        with _lock:
            self._runs -= 1
            _runs -= 1
            if _runs == 0 and _saved is not None:
                sys.setswitchinterval(_saved)
                _saved = None

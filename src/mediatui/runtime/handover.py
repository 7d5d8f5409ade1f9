"""While uploads run, the interpreter's switch interval is 1 ms instead of 5.

Why: an engine thread whose socket has answered needs the GIL for a moment to send the next chunk,
and the UI thread may be drawing (pure Python) for tens of milliseconds. With 5 ms it waited up to
5 ms per hand-over, a few times per chunk; the CLI, with no UI thread, never waits. The interval is
the process's: the first run to start saves it, the last to end gives it back. Off with MEDIATUI_PLAIN.
"""

from __future__ import annotations

import sys
import threading

from mediatui.runtime.plain import plain

SWITCH_INTERVAL = 0.001  # seconds a thread holds the GIL while another waits, while uploads run


class Handover:
    def __init__(self) -> None:
        self._runs = 0
        self._saved = sys.getswitchinterval()
        self._lock = threading.Lock()
        self.enabled = not plain()

    @property
    def running(self) -> bool:
        """A run is between planning and its end."""
        return self._runs > 0

    def run_started(self) -> None:
        with self._lock:
            if self._runs == 0 and self.enabled:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, SWITCH_INTERVAL))
            self._runs += 1

    def run_ended(self) -> None:
        with self._lock:
            self._runs -= 1
            if self._runs == 0 and self.enabled:
                sys.setswitchinterval(self._saved)

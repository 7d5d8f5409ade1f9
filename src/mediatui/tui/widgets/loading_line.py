"""A one-line loading indicator that appears only when a wait is long enough to notice.

Fast answers then cause no flicker, and the first paint does not style an
animation it will not show. Unlike a widget's `loading` overlay it never takes
focus away from what the user is on.
"""

from __future__ import annotations

from textual.containers import Container
from textual.timer import Timer
from textual.widgets import LoadingIndicator


class LoadingLine(Container):  # a container: empty, it shows nothing and takes no room
    DEFAULT_CSS = """
    LoadingLine { height: auto; }
    LoadingLine > LoadingIndicator { height: 1; }
    """

    def __init__(self, delay: float = 0.15, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.delay = delay
        self._timer: Timer | None = None
        self._busy = False

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        if not busy:
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            self.remove_children()
        elif self._timer is None and not self.children:
            self._timer = self.set_timer(self.delay, self._show)

    def _show(self) -> None:
        self._timer = None
        if self._busy:
            self.mount(LoadingIndicator())

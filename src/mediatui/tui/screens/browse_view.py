"""What the list screen's parts may ask of it: a narrow, typed outline, never the screen class itself.

The list screen (browse_screen.py) composes parts: page loading
(browse_loading.py), operations on media (browse_operations.py) and its side
of uploads (browse_uploads.py). Each holds its own state and is handed the
screen as this outline, so no part imports the screen (no import circle) and
what a part may touch is written here. Textual's own methods are named with
the arguments the parts use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from textual.app import App

    from mediatui.media.list_state import ListState
    from mediatui.tui.list_context import ListContext
    from mediatui.tui.widgets.media_detail import MediaDetail
    from mediatui.tui.widgets.media_table import MediaTable

Severity = Literal["information", "warning", "error"]


class ListScreenView(Protocol):
    state: ListState
    context: ListContext

    @property
    def app(self) -> App[Any]: ...

    @property
    def table(self) -> MediaTable: ...

    @property
    def detail(self) -> MediaDetail: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_mounted(self) -> bool: ...

    def render_status(self) -> None:
        """The status line and the notice say what the state is now."""

    def say(self, text: str) -> None:
        """A message on the status line, until the next key or a few seconds on."""

    def show_current(self) -> None:
        """The detail panel shows the row under the cursor."""

    def show_current_soon(self) -> None:
        """The detail panel follows once the cursor rests."""

    def notify(
        self, message: str, *, title: str = ..., severity: Severity = ..., markup: bool = ..., timeout: float = ...
    ) -> None: ...

    def run_worker(self, work: Any, *, group: str = ..., exclusive: bool = ..., exit_on_error: bool = ...) -> Any: ...

    def call_after_refresh(self, callback: Callable[..., Any], *args: Any) -> bool: ...

    def set_timer(self, delay: float, callback: Callable[[], Any]) -> Any: ...

    def set_focus(self, widget: Any) -> None: ...

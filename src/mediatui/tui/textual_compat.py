"""Every use of a private Textual name, in one room, each with a contract test (tests/test_textual_compat.py).

Textual is pinned exactly (pyproject.toml); on an upgrade the contract tests say
which of these no longer matches the Textual it was written against, before a
moderator meets the difference.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import RenderableType
from textual.app import App
from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.events import Mount
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets import Header as TextualHeader
from textual.widgets._footer import FooterKey  # private: one key of the footer (its `key` is the binding's)
from textual.widgets._header import HeaderTitle  # private: the title part of the header

#: The Textual whose internals the names below were read from.
WRITTEN_FOR = "8.2.8"


class Header(TextualHeader):
    """Textual's Header, without its crash when a screen is replaced before it is drawn.

    Header._on_mount (private) watches the app's title and sub_title, and its watcher
    looks up its HeaderTitle, catching only NoScreen. When a screen with a header is
    replaced at once (a switch of community right after another) while the app's
    sub_title changes, the watcher runs after the HeaderTitle is gone and raises
    NoMatches, which ends the app. This is the same method, catching NoMatches too; it stops
    Textual's (prevent_default ends the walk up the classes) and does Widget's part itself.
    """

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()
        Widget._on_mount(self, event)

        async def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title())
            except (NoScreen, NoMatches):  # being taken down: nothing to draw
                pass

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)


class HookedApp(App[None]):
    """Textual's App with public names for the three private hooks mediatui needs.

    - `on_crash(error)`: told first when the app crashes (App._handle_exception);
    - `crash_report()`: what is printed instead of Textual's crash screen, or None for Textual's
      (App._fatal_error, which also uses App._exit_renderables and App._close_messages_no_wait);
    - `before_exit()`: awaited on the way out, while the driver still writes (App._on_exit_app).
    """

    def on_crash(self, error: Exception) -> None:
        """Told first when the app crashes."""

    def crash_report(self) -> RenderableType | None:
        """What to print instead of Textual's crash screen; None keeps Textual's."""
        return None

    async def before_exit(self) -> None:
        """Awaited on the way out, before Textual stops the driver."""

    def _handle_exception(self, error: Exception) -> None:
        self.on_crash(error)
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        report = self.crash_report()
        if report is None:
            super()._fatal_error()
            return
        self.bell()
        self._exit_renderables.append(report)
        self._close_messages_no_wait()

    async def _on_exit_app(self) -> None:
        await self.before_exit()
        await super()._on_exit_app()


class QuietHoverTable(DataTable[Any]):
    """A DataTable that repaints the mouse's hover row only when the hover cursor really changes.

    Every cursor key switches the hover cursor off (DataTable._set_hover_cursor), and DataTable then
    repaints the hovered row (row 0 when no mouse was used) even when it was off already: ~300 bytes a
    move on the link for nothing (DataTable._show_hover_cursor says whether it is on).
    """

    def _set_hover_cursor(self, active: bool) -> None:
        if active or self._show_hover_cursor:
            super()._set_hover_cursor(active)


def write_to_terminal(app: App[Any], data: str) -> None:
    """Bytes for the terminal itself (Kitty graphics), in order with the frames: App._driver writes them
    on its writer thread; nothing once the app has closed (App._closed)."""
    driver = app._driver
    if driver is not None and not app._closed:
        driver.write(data)


def layout_pending(widgets: Iterable[Widget]) -> bool:
    """A layout (or the repaint a resize asks for) is still to come for one of `widgets`: Textual says so only
    in private flags (Widget._layout_required, Widget._repaint_required)."""
    return any(w._layout_required or w._repaint_required for w in widgets)


def footer_keys(footer: Widget) -> list[tuple[Widget, str]]:
    """The footer's key widgets, each with the key of the binding it shows (FooterKey is Textual's private class:
    the footer hides those a narrow terminal has no room for)."""
    return [(key, key.key) for key in footer.query(FooterKey)]


def is_footer_key(widget: Widget) -> str | None:
    """The binding's key that `widget` shows, when it is one of the footer's keys."""
    return widget.key if isinstance(widget, FooterKey) else None


__all__ = [
    "Header",
    "HookedApp",
    "QuietHoverTable",
    "WRITTEN_FOR",
    "footer_keys",
    "is_footer_key",
    "layout_pending",
    "write_to_terminal",
]

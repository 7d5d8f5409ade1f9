"""Every use of a private Textual name, in one room, each with a contract test (tests/test_textual_compat.py).

Textual is pinned exactly (pyproject.toml); on an upgrade the contract tests say
which of these no longer matches the Textual it was written against, before a
moderator meets the difference.
"""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.events import Mount
from textual.widget import Widget
from textual.widgets import Header as TextualHeader
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


__all__ = ["Header", "WRITTEN_FOR"]

"""Contracts for the private Textual names in mediatui.tui.textual_compat: each fails loudly on a Textual upgrade."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from textual.app import App
from textual.screen import Screen
from textual.widgets import Header as TextualHeader
from textual.widgets import Static

from mediatui.tui import textual_compat
from mediatui.tui.textual_compat import Header


def test_written_for_the_pinned_textual():
    assert version("textual") == textual_compat.WRITTEN_FOR, "read textual_compat.py against this Textual again"


def test_the_header_replaces_textuals_own_mount_and_nothing_else_changed():
    """Header._on_mount is copied with one more exception caught: Textual's must still be what was copied."""
    source = inspect.getsource(TextualHeader._on_mount)
    assert "self.query_one(HeaderTitle).update(self.format_title())" in source
    assert "except NoScreen:" in source
    for watched in ('self.app, "title"', 'self.app, "sub_title"', 'self.screen, "title"', 'self.screen, "sub_title"'):
        assert f"self.watch({watched}, set_title)" in source
    assert source.count("self.watch(") == 4
    # ours stops the walk up the classes: only Widget's _on_mount is left above, and ours calls it
    above = [cls.__name__ for cls in TextualHeader.__mro__ if "_on_mount" in cls.__dict__ or "on_mount" in cls.__dict__]
    assert above == ["Header", "Widget"]


class Titled(Screen[None]):
    def __init__(self, header: type[TextualHeader]) -> None:
        super().__init__()
        self.header = header

    def compose(self):  # noqa: ANN201
        yield self.header()
        yield Static("x")


async def replace_at_once(header: type[TextualHeader]) -> bool:
    """A screen with a header replaced before it is drawn while the app's sub_title changes (a quick second
    switch of community): whether the app still runs."""
    app = App[None]()
    async with app.run_test() as pilot:
        app.push_screen(Titled(header))
        await pilot.pause()
        for n in range(6):
            app.sub_title = f"community {n}"
            app.switch_screen(Titled(header))
        await pilot.pause()
        await pilot.pause()
        return app.is_running and app.screen.query_one(header).query_one("HeaderTitle") is not None


def test_textuals_header_still_crashes_when_its_screen_is_replaced_at_once():
    """Why ours exists; once this fails, Textual fixed it and ours can go. In a child process: the crashed app
    leaves its title watchers unawaited, and their warnings would land on whichever test collects them."""
    script = (
        "import asyncio, test_textual_compat as t\n"
        "from textual.widgets import Header\n"
        "try:\n    asyncio.run(t.replace_at_once(Header))\n"
        "except Exception as exc:\n    print('crashed:', type(exc).__name__, exc)\n"
    )
    child = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)},
    )
    assert "crashed: NoMatches" in child.stdout and "HeaderTitle" in child.stdout, child.stdout + child.stderr


async def test_our_header_survives_its_screen_being_replaced_at_once():
    assert await replace_at_once(Header)


def test_the_private_app_hooks_are_still_there_as_used():
    """HookedApp overrides and calls these; a Textual that renames one would skip mediatui's crash report (the
    token could show in Textual's locals), its uploads' shutdown on the way out, or its crash log."""
    from textual.app import App as TextualApp

    for name in ("_handle_exception", "_fatal_error", "_on_exit_app", "_close_messages_no_wait"):
        assert callable(getattr(TextualApp, name, None)), name
    assert list(inspect.signature(TextualApp._handle_exception).parameters) == ["self", "error"]
    assert list(inspect.signature(TextualApp._fatal_error).parameters) == ["self"]
    assert inspect.iscoroutinefunction(TextualApp._on_exit_app)
    app = TextualApp()
    assert app._exit_renderables == [] and app._driver is None and app._closed is False


async def test_the_private_layout_flags_are_still_there():
    from textual.widgets import Static as StaticWidget

    from mediatui.tui.textual_compat import layout_pending

    app = App[None]()
    async with app.run_test() as pilot:
        widget = StaticWidget("x")
        await app.screen.mount(widget)
        await pilot.pause()
        assert isinstance(widget._layout_required, bool) and isinstance(widget._repaint_required, bool)
        assert not layout_pending([widget])
        widget.update("y" * 50, layout=True)
        assert layout_pending([widget, app.screen])


def test_the_private_hover_cursor_hook_is_still_there():
    from textual.widgets import DataTable

    assert list(inspect.signature(DataTable._set_hover_cursor).parameters) == ["self", "active"]
    assert "self._show_hover_cursor" in inspect.getsource(DataTable._set_hover_cursor)

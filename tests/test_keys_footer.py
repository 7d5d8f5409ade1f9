"""The footer is rebuilt only when the keys it shows change (Textual's rebuilds on every focus move)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from mediatui.tui.widgets.keys_footer import KeysFooter


class WithKey(Input):
    BINDINGS = [Binding("f6", "noop", "Only here")]


class Form(App[None]):
    BINDINGS = [Binding("f2", "noop", "Save")]

    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield Input(id="b")
        yield WithKey(id="c")
        yield KeysFooter()


def shown(app: App[None]) -> list[str]:
    return [key.description for key in app.query(FooterKey)]


async def test_a_focus_move_that_changes_no_key_keeps_the_footer_and_one_that_does_rebuilds_it():
    app = Form()
    async with app.run_test(size=(80, 10)) as pilot:
        app.query_one("#a").focus()
        await pilot.pause()
        keys = list(app.query(FooterKey))
        assert "Save" in shown(app) and "Only here" not in shown(app)
        await pilot.press("tab")  # a -> b: the same keys
        await pilot.pause()
        assert app.focused.id == "b" and list(app.query(FooterKey)) == keys  # the same widgets: not rebuilt
        await pilot.press("tab")  # b -> c: a key of its own
        await pilot.pause()
        assert app.focused.id == "c" and "Only here" in shown(app)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused.id == "b" and "Only here" not in shown(app)


@pytest.mark.parametrize(
    "width, shown",
    [
        (80, ["Help", "Quit", "Search", "Delete", "Edit", "Upload"]),
        (100, ["Help", "Quit", "Search", "Type", "Open id", "Mark", "Delete", "Edit", "Upload", "New"]),
    ],
)
async def test_the_lists_footer_shows_what_fits_and_f1_and_the_palette_the_full_names(sandbox, width, shown):
    """Edit, Upload and New used to be left out of the footer. At 80 columns it shows the six a moderator
    reaches for; from 100 columns also Type, Open id, Mark and New ("New" there; the full name elsewhere)."""
    from textual.widgets import Footer

    from mediatui.tui.textual_compat import footer_keys
    from tui_helpers import make_app, settle

    app = make_app(sandbox)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        labels = [widget.description for widget, key in footer_keys(footer) if widget.display and key != "ctrl+p"]
        assert labels == shown
        assert all(widget.region.right <= width for widget, _ in footer_keys(footer) if widget.display)  # none cut
        palette = [c.title for c in app.get_system_commands(app.screen)]
        assert "New media (URL, Vimeo, embed)" in palette and "New" not in palette
        from mediatui.tui.screens.help_modal import key_help

        assert ("n", "New media (URL, Vimeo, embed)") in key_help(app.screen)


async def test_f1_on_a_small_terminal_scrolls_and_cuts_no_key_name(sandbox):
    """At 60x20 the help is one column of keys, each name whole, and it scrolls to the last one."""
    from textual.containers import VerticalScroll

    from mediatui.tui.screens.help_modal import HelpModal, key_help
    from tui_helpers import make_app, plain, settle

    app = make_app(sandbox)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        rows = key_help(app.screen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        shown = "\n".join(plain(s.content, width=s.content_region.width) for s in app.screen.query("Static"))
        assert all(name in shown for _, name in rows), shown
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y

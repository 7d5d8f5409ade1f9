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


@pytest.mark.smoke
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


def readme_keys() -> dict[str, set[str]]:
    """The README's key table (`## Keys`): each key in backticks → the names in its name column ("a / b")."""
    from pathlib import Path

    text = Path(__file__).parent.parent.joinpath("README.md").read_text()
    table = text.split("\n## Keys\n", 1)[1].split("\n## ", 1)[0]
    named: dict[str, set[str]] = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("key", "---"):
            continue
        for key in cells[0].split("`")[1::2]:
            named.setdefault(key, set()).update(name.strip() for name in cells[1].split(" / "))
    return named


async def test_the_readme_key_table_f1_and_the_palette_agree_on_keys_and_full_names(sandbox):
    """Issue 24: one name per key, wherever a moderator reads it. The README names what F1 and the palette do."""
    from mediatui.tui.screens.help_modal import key_help
    from tui_helpers import make_app, settle

    readme = readme_keys()
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        helped = key_help(app.screen)
        palette = {c.title: c.help for c in app.get_system_commands(app.screen)}
    for keys, name in helped:
        names = {part.strip() for part in name.split(" / ")}
        for key in keys.split():
            assert key in readme, f"F1's {key!r} ({name}) is not in the README's key table"
            assert names & readme[key] or name in readme[key], (key, name, readme[key])
    for title, help_ in palette.items():
        if help_.startswith("key: "):
            key = help_.removeprefix("key: ")
            assert title in readme.get(key, set()), f"the palette's {title!r} (key {key}) is not so named in the README"

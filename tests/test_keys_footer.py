"""The footer is rebuilt only when the keys it shows change (Textual's rebuilds on every focus move)."""

from __future__ import annotations

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

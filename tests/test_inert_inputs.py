"""Text boxes draw control characters visibly: a value, and a completion suggested from a file name."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.suggester import SuggestFromList

from mediatui.sanitize import is_inert
from mediatui.tui.widgets.form_fields import InertInput
from tui_helpers import wait_for

HOSTILE = "photo\x1b]0;pwned\x07\x9b2J\u202e.png"


class OneBox(App[None]):
    def compose(self) -> ComposeResult:
        yield InertInput(value="", suggester=SuggestFromList([HOSTILE]), id="box")


async def test_a_suggested_file_name_is_drawn_inert_and_kept_as_it_is():
    app = OneBox()
    async with app.run_test(size=(60, 3)) as pilot:
        box = app.query_one(InertInput)
        box.focus()
        await pilot.press("p", "h")
        await wait_for(pilot, lambda: box._suggestion == HOSTILE, what="the suggestion")  # the real name, to add
        drawn = "".join(segment.text for segment in box.render_line(0))
        assert "oto" in drawn and "pwned" in drawn
        assert is_inert(drawn), repr(drawn)
        box.value = HOSTILE
        drawn = "".join(segment.text for segment in box.render_line(0))
        assert is_inert(drawn) and box.value == HOSTILE

"""Hostile server text is shown literally on every screen; nothing is parsed, no action fires."""

from __future__ import annotations

from rich.text import Text

from mediatui.api import ApiError, MediaClient
from mediatui.sandbox.seed import HOSTILE_TITLES
from mediatui.tui.formatting import one_line
from mediatui.tui.screens.delete_modal import DeleteModal
from mediatui.tui.wording import explain
from tui_helpers import detail, make_app, notice, settle, titles

HOSTILE_DESCRIPTION = "[b]x[/b] [/] [@click=app.quit]q[/] [link=http://x]x[/link] \x1b[2J\nsecond line"


async def test_hostile_titles_in_table_detail_and_delete_dialog(make_sandbox):
    server = make_sandbox(seed=40)
    with MediaClient(server.url, server.token) as client:
        client.patch(1, {"description": HOSTILE_DESCRIPTION})
    app = make_app(server)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        shown = titles(app)
        for title in HOSTILE_TITLES:
            assert one_line(title)[:40] in "\n".join(shown)  # cells are cut to the column width
        table = app.screen.query_one("#table")
        for row in table.ordered_rows:
            assert all(isinstance(c, Text) for c in table.get_row(row.key))
        assert "[@click=app.quit]quit[/]" in shown
        assert "␛[2J␛[31mred terminal␛[0m" in shown  # the escape is visible, not sent
        body = detail(app)
        assert "[b]x[/b] [/] [@click=app.quit]q[/] [link=http://x]x[/link] ␛[2J" in body
        assert "second line" in body
        # Click the title of every row that holds a hostile one (the seed's rows 1, 4, 7, ...; row 0 is drawn at
        # y=2 under the header): a parsed @click would quit the app.
        hostile_rows = range(1, len(HOSTILE_TITLES) * 3, 3)
        cells = [" ".join(map(str, table.get_row_at(i))) for i in hostile_rows]
        assert all(one_line(title)[:20] in cell for title, cell in zip(HOSTILE_TITLES, cells, strict=True)), cells
        for i in hostile_rows:
            await pilot.click("#table", offset=(40, 2 + i))
        await pilot.pause()
        assert app.is_running
        row = table.get_row_index("8")  # "[@click=app.quit]quit[/]"
        table.move_cursor(row=row)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DeleteModal)
        assert "#8 image [@click=app.quit]quit[/]" in str(app.screen.query_one("#names").render())
        await pilot.click("#names", offset=(12, 0))
        await pilot.press("n")
        assert app.is_running


async def test_hostile_error_message_is_literal(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hostile = "[@click=app.quit]quit[/] [b]bold[/b]"
        app.screen.query_one("#table").reset()
        app.screen.loader.fail(explain(ApiError(500, hostile)))
        await settle(pilot)
        assert hostile in notice(app)
        await pilot.click("#notice", offset=(24, 1))
        assert app.is_running

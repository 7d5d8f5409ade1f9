"""One current media, marks, the cursor after deletions, pages during deletions; layout at small sizes."""

from __future__ import annotations

import pytest

from mediatui.api import NotFound
from mediatui.sandbox import Faults
from mediatui.tui.screens.delete_modal import DeleteModal
from tui_helpers import burst, detail, make_app, plain, settle, status, wait_for


async def _confirm(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, DeleteModal) and app.screen.armed, what="the dialog")
    await pilot.press("y")
    await wait_for(pilot, lambda: app.screen.state == "done", what="the deletions")
    await pilot.press("enter")
    await settle(pilot)


async def test_o_30_then_d_y_deletes_30(sandbox, client):
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, "o30\r")
        await settle(pilot)
        table = app.screen.query_one("#table")
        assert table.current.id == 30 and "id          30" in detail(app).replace("  ", " ") or "30" in detail(app)
        await pilot.press("d")
        await _confirm(pilot)
    with pytest.raises(NotFound):
        client.get(30)
    assert client.get(1).id == 1


async def test_opening_ids_beyond_the_loaded_pages_pins_them(make_sandbox):
    server = make_sandbox(seed=120)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, "o#100, 110, 9999\r")
        await settle(pilot)
        table = app.screen.query_one("#table")
        shown = [int(r.key.value) for r in table.ordered_rows]
        assert 100 in shown and 110 in shown
        assert table.current.id == 100
        assert "opened 2, 1 not found" in status(app)
        assert "opening" not in status(app)
        assert "50 of 120 loaded" in status(app)  # pinned rows are not pages


async def test_cursor_stays_on_its_media_after_a_bulk_delete(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        await pilot.press("space", "space", "space")  # marks 1, 2, 3; the cursor is on 4
        await pilot.press("j", "j")  # on 6
        await pilot.press("D")
        await _confirm(pilot)
        assert table.current.id == 6
        # Now delete the current one among marked: the nearest row that is left.
        await pilot.press("k", "space", "space", "k")  # marks 5 and 6, the cursor back on 6
        assert table.current.id == 6 and table.marked == {5, 6}
        await pilot.press("D")
        await _confirm(pilot)
        assert table.current.id == 7


async def test_marks_survive_reload_search_and_type(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        await pilot.press("space", "space")  # 1 (image) and 2 (url)
        await pilot.press("r")
        await settle(pilot)
        assert table.marked == {1, 2} and "2 marked" in status(app)
        burst(app, "/Community\r")
        await settle(pilot)
        assert table.marked == {1, 2}
        assert "1 not shown" in status(app) or "hidden" in status(app)
        burst(app, "/\x15\r")  # ctrl+u clears the search
        await settle(pilot)
        assert "2 marked" in status(app) and "not shown" not in status(app)
        assert "●" in str(table.get_cell("1", "id"))


async def test_deleting_while_the_next_page_loads_loses_no_row(make_sandbox):
    faults = Faults()
    server = make_sandbox(seed=120, faults=faults)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#table")
        faults.latency_ms = 1500  # the next page's request waits in the server...
        await pilot.press("G")  # asks for page 2
        await wait_for(pilot, lambda: "loading" in status(app), what="the load")
        await wait_for(pilot, lambda: 1500 in faults.held, what="the page's request held in the server")
        faults.latency_ms = 0  # ...and the deletion below is handled before it
        # delete row 3 (id 3) while the page is in flight
        table.move_cursor(row=2)
        await pilot.press("d")
        await _confirm(pilot)
        await wait_for(pilot, lambda: "loading" not in status(app), timeout=20, what="the page")
        await settle(pilot)
        await pilot.press("G")
        await wait_for(
            pilot, lambda: "loading" not in status(app) and "119 of 119" in status(app), timeout=30, what="every page"
        )
        ids = [int(r.key.value) for r in table.ordered_rows]
        assert sorted(ids) == [i for i in range(1, 121) if i != 3]


async def test_focused_panel_is_visible_at_80x24(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one("#detail")
        before = panel.styles.border_top
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is panel
        assert panel.styles.border_top != before


async def test_60x20_drops_columns_before_cutting_numbers(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        keys = [c.key.value for c in table.ordered_columns]
        assert "host" not in keys and "size" not in keys
        for column in table.ordered_columns:
            if column.key.value == "id":
                assert column.width >= 5
        footer = app.screen.query_one("Footer")
        shown = " ".join(str(w.render()) for w in footer.query("FooterKey") if w.region.right <= 60 and w.region.width)
        assert "Help" in shown and "Quit" in shown
        await pilot.press("d")
        await settle(pilot)
        hint = app.screen.query_one("#hint")
        assert hint.region.height >= 1 and hint.region.bottom <= 20


async def test_help_shows_q_without_scrolling_at_80x24(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = "\n".join(plain(s.content) for s in app.screen.query("Static"))
        assert "Quit" in text
        dialog = app.screen.query_one("#dialog")
        assert dialog.max_scroll_y == 0
        palette = {
            c.title for c in app.get_system_commands(app.screen.source if hasattr(app.screen, "source") else app.screen)
        }
        assert "Reload" in palette and "Refresh" not in palette
        assert "Reload" in text


async def test_z_shows_and_hides_empty_fields(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "keywords" not in detail(app) and "empty fields hidden (z shows them)" in detail(app)
        await pilot.press("z")
        await settle(pilot)
        assert "keywords" in detail(app) and "null" in detail(app)
        await pilot.press("z")
        await settle(pilot)
        assert "keywords" not in detail(app)


async def test_escape_stops_a_delete_the_server_holds_and_says_it_may_have_happened(make_sandbox):
    """A DELETE that hangs (a slow link, a stuck server): escape must not wait out its retries and timeouts."""
    import time

    server = make_sandbox(seed=40)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        faults = server.config.faults
        faults.only_method, faults.latency_ms = "DELETE", 60_000
        await pilot.press("space", "space", "D")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteModal) and app.screen.armed, what="the dialog")
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(faults.held), what="the server holding the first DELETE")
        started = time.monotonic()
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.state == "done", timeout=3, what="the dialog to stop")
        assert time.monotonic() - started < 2
        results = str(app.screen.query_one("#results-body").render())
        assert "may be deleted all the same" in results
        assert "1 not tried (stopped)" in str(app.screen.query_one("#question").render())
        faults.release.set()


async def test_escape_clears_the_search_then_the_type_then_the_pins_saying_each(make_sandbox):
    server = make_sandbox(seed=30)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        burst(app, "o7\r")
        await wait_for(pilot, lambda: "opened 1" in status(app), what="#7 pinned")
        await pilot.press("t")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TypeFilterModal", what="the type choice")
        app.screen.dismiss("image")
        burst(app, "/Team\r")
        await wait_for(pilot, lambda: screen.state.where.search == "Team" and not screen.state.fetching)
        await pilot.press("escape")  # the table has the focus already: the search goes
        await wait_for(pilot, lambda: "search “Team” cleared · escape: type filter next" in status(app))
        assert screen.state.where.search is None and screen.state.where.type == "image"
        await pilot.press("escape")
        await wait_for(pilot, lambda: "type filter (image) cleared · escape: pinned rows next" in status(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: "1 pinned row cleared" in status(app))
        await wait_for(pilot, lambda: not screen.state.fetching, what="the reload")
        assert 7 not in screen.table.pinned and [int(r.key.value) for r in screen.table.ordered_rows][:2] == [1, 2]


async def test_a_status_message_goes_on_the_next_key(make_sandbox):
    server = make_sandbox(seed=30)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, "o7\r")
        await wait_for(pilot, lambda: "opened 1" in status(app), what="the message")
        await pilot.press("j")
        await wait_for(pilot, lambda: "opened" not in status(app), what="gone on the next key")


async def test_x_unpins_the_pinned_row_under_the_cursor(make_sandbox):
    server = make_sandbox(seed=120)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, "o110\r")
        await wait_for(pilot, lambda: "opened 1" in status(app), what="#110 pinned")
        screen = app.screen
        assert 110 in screen.table.pinned and screen.table.current.id == 110
        await pilot.press("x")
        await wait_for(pilot, lambda: "#110 unpinned" in status(app), what="said")
        assert 110 not in screen.table.pinned and 110 not in screen.table.rows_media  # beyond the loaded pages
        burst(app, "o30\r")  # one the first page holds: back at its place
        await wait_for(pilot, lambda: screen.table.current.id == 30 and 30 in screen.table.pinned, what="#30")
        await pilot.press("x")
        await wait_for(pilot, lambda: "#30 unpinned" in status(app), what="said")
        order = [int(r.key.value) for r in screen.table.ordered_rows]
        assert order[28:31] == [29, 30, 31] and screen.table.current.id == 30
        await pilot.press("x")  # not a pinned row: says what x does
        said = lambda: any("x unpins a row opened with o" in str(n.message) for n in app._notifications)  # noqa: E731
        await wait_for(pilot, said, what="why nothing happened")


async def test_pinned_rows_obey_the_search_and_o_on_a_hidden_one_says_so(make_sandbox):
    server = make_sandbox(seed=30)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        shown = lambda: [int(r.key.value) for r in screen.table.ordered_rows]  # noqa: E731
        burst(app, "o7\r")
        await wait_for(pilot, lambda: "opened 1" in status(app), what="#7 pinned")
        title = screen.table.rows_media[7].title
        burst(app, "/Release notes\r")  # a search #7 (Board game night) does not match
        await wait_for(pilot, lambda: screen.state.where.search and not screen.state.fetching, what="the search")
        assert 7 not in shown() and all("Release notes" in screen.table.rows_media[i].title for i in shown())
        burst(app, "o7\r")
        await wait_for(pilot, lambda: "#7 is pinned but hidden by the search: escape clears it" in status(app))
        assert 7 not in shown() and "Release" not in title
        await pilot.press("escape")  # the search goes: #7 is back, pinned first
        await wait_for(pilot, lambda: not screen.state.where.search and not screen.state.fetching, what="cleared")
        assert shown()[0] == 7 and 7 in screen.table.pinned

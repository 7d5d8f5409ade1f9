"""The list screen against a real sandbox: every key path, server-list and catalogue mode."""

from __future__ import annotations

import socket

import pytest

from mediatui.api import MediaClient, MediaType, NotFound
from mediatui.sandbox import Faults
from mediatui.settings.config import Secret, Settings
from mediatui.tui.app import MediaTuiApp
from mediatui.tui.screens.delete_modal import DeleteModal
from tui_helpers import detail, make_app, notice, settle, status, titles, wait_for


@pytest.mark.smoke
async def test_first_page_with_its_detail(sandbox, tricks):
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert status(app) == "server list · 40 of 40 loaded"
        assert "Community guidelines v3" in detail(app)
    assert app.sub_title.endswith("· connected")


async def test_pages_load_near_the_end(make_sandbox):
    server = make_sandbox(seed=120)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "50 of 120 loaded" in status(app)
        await pilot.press("G")
        await settle(pilot)
        assert "100 of 120 loaded" in status(app)
        await pilot.press("G")
        await settle(pilot)
        assert "120 of 120 loaded" in status(app)
        table = app.screen.query_one("#table")
        assert len({row.key.value for row in table.ordered_rows}) == 120


async def test_moving_and_focusing_the_detail(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        await pilot.press("j", "j", "down")
        assert table.cursor_row == 3
        await pilot.press("k")
        assert table.cursor_row == 2
        await pilot.press("G")
        assert table.cursor_row == table.row_count - 1
        await pilot.press("g")
        assert table.cursor_row == 0
        await pilot.press("enter")
        assert app.focused.id == "detail"
        await pilot.press("escape")
        assert app.focused is table


async def test_search_and_type_filter_go_to_the_server(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"[@click")
        await pilot.press("enter")
        await settle(pilot)
        assert titles(app) == ["[@click=app.quit]quit[/]"]
        assert "search '[@click'" in status(app)
        await pilot.press("slash", "ctrl+u", "enter")
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        options = app.screen.query_one("#types")
        options.highlighted = options.get_option_index("doc")
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one("#table")
        assert table.row_count > 0
        assert {m.type for m in table.rows_media.values()} == {MediaType.DOC}
        assert "type doc" in status(app)


async def test_refresh_shows_new_media(sandbox, client):
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        client.create("url", url="https://example.com/fresh")
        await pilot.press("r")
        await settle(pilot)
        assert status(app) == "server list · 41 of 41 loaded"


@pytest.mark.smoke
async def test_bulk_delete_removes_only_confirmed_rows(sandbox, client):
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        # rows 1, 2, 3, 4 (4 belongs to someone else: the server refuses)
        await pilot.press("space", "space", "space", "space")
        assert "4 marked" in status(app)
        client.delete(2)  # gone meanwhile: counts as already gone
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteModal) and app.screen.armed)
        await pilot.press("y")
        await settle(pilot)
        results = str(app.screen.query_one("#results-body").render())
        assert "✓ #1 deleted" in results and "✓ #2 already gone" in results
        assert "✗ #4 not deleted: only the media's creator may delete it (403)" in results
        assert "3 removed, 1 not deleted" in str(app.screen.query_one("#question").render())
        await pilot.press("enter")
        await pilot.pause()
        assert set(table.rows_media) >= {4} and not {1, 2, 3} & set(table.rows_media)
        assert table.marked == {4}
    for gone in (1, 2, 3):
        with pytest.raises(NotFound):
            client.get(gone)
    assert client.get(4).id == 4


@pytest.mark.smoke
async def test_delete_asks_and_no_keeps(sandbox, client):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        names = str(app.screen.query_one("#names").render())
        assert "#1 image Community guidelines v3" in names and "cannot be undone" in names
        await pilot.press("n")
        await pilot.press("d", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, DeleteModal)
        await pilot.press("D")  # nothing marked: says what to do
        await pilot.pause()
    assert client.get(1).id == 1


async def test_copy_url(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "y")
        assert app.clipboard == "https://news.example.net/posts/1001"


async def test_catalogue_mode_opens_ids_and_marks_gone(make_sandbox):
    server = make_sandbox(seed=12, listing=False)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert status(app).startswith("catalogue (no server list; o opens by id)")
        assert "press o to open media by id" in notice(app)
        await pilot.press("o")
        await pilot.press(*"abc", "enter")
        await pilot.pause()
        assert "'abc' is not an id" in str(app.screen.query_one("#ids-error").render())
        await pilot.press("ctrl+u", *"1, 3-5, 999", "enter")
        await settle(pilot)
        assert sorted(app.screen.query_one("#table").rows_media) == [1, 3, 4, 5]
        with MediaClient(server.url, server.token) as client:
            client.delete(3)
        table = app.screen.query_one("#table")
        table.move_cursor(row=table.get_row_index("3"))
        await settle(pilot)
        assert "The server no longer has this media (404)." in detail(app)
        assert 3 in table.gone
    # The catalogue persists: a new session shows what was opened.
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "4 of 4 loaded" in status(app)


async def test_wrong_token_explains_and_does_not_crash(sandbox):
    app = make_app(sandbox, token="wrong")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "The token was refused (401): Invalid token." in notice(app)
        assert "MEDIATUI_TOKEN" in notice(app)
        await pilot.press("j", "d", "D", "y", "slash", "escape", "r")
        await settle(pilot)
        assert type(app.screen).__name__ == "BrowseScreen" and titles(app) == []  # nothing to ask about
        assert "The token was refused (401): Invalid token." in notice(app)  # still said after r


async def test_no_token_says_how_to_give_one(sandbox):
    app = MediaTuiApp(Settings(sandbox.url, Secret("")))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "export MEDIATUI_TOKEN=" in notice(app)


async def test_unreachable_then_retry(sandbox):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = MediaTuiApp(Settings(f"http://127.0.0.1:{port}", Secret("t")))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Cannot reach the community: could not connect" in notice(app)


async def test_keys_work_while_a_page_loads(make_sandbox):
    server = make_sandbox(seed=120, faults=Faults(latency_ms=1000))  # wide: two key presses fit in it on a slow machine
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        await pilot.press("G")
        assert "loading…" in status(app)
        await pilot.press("k", "k")
        assert table.cursor_row == 47 and "loading…" in status(app)
        await settle(pilot)
        assert "100 of 120" in status(app)


async def test_layout_follows_the_terminal_width(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table, panel = app.screen.query_one("#table"), app.screen.query_one("#detail")
        assert panel.region.y > table.region.y and panel.region.x == table.region.x
        assert [c.key.value for c in table.ordered_columns] == ["id", "type", "title", "added", "size"]
        await pilot.resize_terminal(200, 60)
        await settle(pilot)
        assert panel.region.x > table.region.x
        assert [c.key.value for c in table.ordered_columns][-1] == "host"


async def test_help_palette_and_later_screens(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpModal"
        await pilot.press("escape")
        titles_ = [c.title for c in app.get_system_commands(app.screen)]
        for expected in (
            "Search",
            "Type",
            "Open id",
            "Mark",
            "Delete",
            "Delete marked",
            "Copy URL",
            "Reload",
            "Edit",
            "Upload",
            "Help",
            "Down",
            "Up",
            "First",
            "Last",
        ):
            assert expected in titles_
        # Textual's own Keys (a panel that squeezes the detail, deaf to escape), Maximize and Screenshot (an SVG
        # written into the server's working folder) are not offered; its Theme and Quit are
        assert {"Theme", "Quit"} <= set(titles_) and not {"Keys", "Maximize", "Minimize", "Screenshot"} & set(titles_)
        mark = next(c for c in app.get_system_commands(app.screen) if c.title == "Mark")
        result = mark.callback()
        if hasattr(result, "__await__"):
            await result
        await pilot.pause()
        assert app.screen.query_one("#table").marked == {1}
        await pilot.press("e", "u")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "EditFormScreen", what="the edit form")
        assert app.focused.id == "f-title" and "u" in app.focused.value  # the key after e went to the form's box


async def test_loading_indicator_during_a_slow_load(make_sandbox):
    from textual.widgets import LoadingIndicator

    faults = Faults(latency_ms=60_000)  # held until released: however slow the machine, the wait shows
    server = make_sandbox(seed=10, faults=faults)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.screen.query(LoadingIndicator), what="the indicator while the server waits")
        faults.release.set()  # the answers come now
        await wait_for(pilot, lambda: "10 of 10 loaded" in status(app), what="the rows")
        await wait_for(pilot, lambda: not app.screen.query(LoadingIndicator), what="the indicator gone")


async def test_a_short_wait_never_shows_the_indicator():
    from textual.app import App
    from textual.widgets import LoadingIndicator

    from mediatui.tui.widgets.loading_line import LoadingLine

    class One(App):
        def compose(self):
            yield LoadingLine(delay=0.15)

    app = One()
    async with app.run_test() as pilot:
        line = app.query_one(LoadingLine)
        line.set_busy(True)
        line.set_busy(False)  # the answer came before the delay
        await pilot.pause(0.3)  # twice the delay: time is what this asserts, nothing to wait on
        assert not app.query(LoadingIndicator)
        line.set_busy(True)
        await wait_for(pilot, lambda: app.query(LoadingIndicator), what="the indicator after the delay")
        line.set_busy(False)
        await pilot.pause()
        assert not app.query(LoadingIndicator)


async def test_a_share_is_listed_and_shown_and_e_says_why_it_cannot_be_edited(make_sandbox):
    server = make_sandbox(seed=25)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        [share] = [m for m in MediaClient(server.url, server.token).list(limit=30).results if m.type == "share"]
        assert app.screen.table.move_to(share.id)
        await wait_for(pilot, lambda: "sc_shared_object" in detail(app), what="the share's embed in the panel")
        assert "meta type" in detail(app) and "post" in detail(app)
        await pilot.press("e")
        said = lambda: any("Share media cannot be edited" in str(n.message) for n in app._notifications)  # noqa: E731
        await wait_for(pilot, said, what="why")
        assert app.screen is not None and type(app.screen).__name__ == "BrowseScreen"


async def delete_the_current_row(pilot) -> None:
    """d, then y once the question counts it, until the results show."""
    app = pilot.app
    await settle(pilot)
    await pilot.press("d")
    await wait_for(pilot, lambda: isinstance(app.screen, DeleteModal) and app.screen.armed)
    await pilot.press("y")
    await wait_for(pilot, lambda: app.screen.state == "done", what="the result")


async def test_a_key_after_a_delete_closes_the_results_and_does_its_own_job(sandbox):
    """The j typed to move on after a delete used to be swallowed by the result dialog: now enter and escape
    only close it, and any other key closes it and then acts on the list."""
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await delete_the_current_row(pilot)
        await pilot.press("j")
        await wait_for(pilot, lambda: not isinstance(app.screen, DeleteModal), what="closed")
        await wait_for(pilot, lambda: app.screen.table.current.id == 3, what="j moved the cursor on")


async def test_keys_typed_together_after_a_delete_act_in_their_order(sandbox):
    """`jd` in one read after a delete: j moves to #3, and d asks about #3 (d ran first and asked about #2)."""
    from tui_helpers import burst

    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await delete_the_current_row(pilot)
        burst(app, "jd")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteModal) and app.screen.state == "asking")
        assert "#3 " in str(app.screen.query_one("#names").render())

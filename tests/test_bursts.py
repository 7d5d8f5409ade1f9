"""Keys that arrive in one read (a laggy SSH link) never act on the wrong thing.

Every burst here is parsed by Textual's own input parser and posted whole
before the app handles any of it; then the server must still hold every media.
"""

from __future__ import annotations

import pytest

from mediatui.tui.screens.delete_modal import DeleteModal
from tui_helpers import burst, make_app, settle, status, wait_for


def _count(client) -> int:
    return client.list(limit=1).count


async def test_slash_daisy_searches_and_deletes_nothing(sandbox, client):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "/daisy")
        await settle(pilot)
        assert not isinstance(app.screen, DeleteModal)
        assert app.screen.query_one("#search").value == "daisy"
        burst(app, "\rj")  # enter applies; the key after it moves the list, not the box
        await settle(pilot)
        assert app.screen.query_one("#search").value == "daisy"
        assert "search 'daisy'" in status(app)
    assert _count(client) == 40


async def test_slash_d_five_times_deletes_nothing(sandbox, client):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(5):
            burst(app, "/dy\x1b")
            await settle(pilot)
    assert _count(client) == 40


async def test_slash_today_types_into_the_box(sandbox, client):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "/today")
        await settle(pilot)
        assert type(app.screen).__name__ == "BrowseScreen"
        assert app.screen.query_one("#search").value == "today"
    assert _count(client) == 40


async def test_digits_after_o_reach_the_box(make_sandbox):
    server = make_sandbox(seed=60)
    app = make_app(server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "o55\r")
        await settle(pilot)
        table = app.screen.query_one("#table")
        assert table.current is not None and table.current.id == 55
        assert "opened 1" in status(app)


async def test_keys_after_t_go_to_the_type_list(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "t\x1b[B\x1b[B\r")  # two downs from "every type": vimeo → url
        await settle(pilot)
        assert "type url" in status(app)


async def test_y_too_early_is_dropped_with_a_hint(sandbox, client):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "dy")
        await settle(pilot)
        assert isinstance(app.screen, DeleteModal)
        assert "press y again to confirm" in str(app.screen.query_one("#hint").render())
        assert _count(client) == 40
        await wait_for(pilot, lambda: app.screen.armed, what="the guard time")
        await pilot.press("y")
        await settle(pilot)
        assert "1 removed" in str(app.screen.query_one("#question").render())
    assert _count(client) == 39


async def test_bulk_delete_confirmation_is_guarded_too(sandbox, client):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "   Dy")
        await settle(pilot)
        assert isinstance(app.screen, DeleteModal) and app.screen.state == "asking"
    assert _count(client) == 40


async def test_cursor_keys_in_a_burst_go_first_and_the_box_still_gets_what_follows(sandbox, client):
    """j, k, G and arrows skip the wait for their effects (they only move the cursor); what comes after does not."""
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        burst(app, "jjj\x1b[Bk/daisy")
        await settle(pilot)
        assert not isinstance(app.screen, DeleteModal)
        assert app.screen.query_one("#search").value == "daisy"
        assert table.cursor_row == 3  # j j j down k
    assert _count(client) == 40


async def test_a_question_after_cursor_keys_is_about_the_row_they_reached(sandbox, client):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        burst(app, "jjjGkkdy")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteModal), what="the delete question")
        await settle(pilot)
        assert table.cursor_row == table.row_count - 3
        names = str(app.screen.query_one("#names").render())
        assert f"#{table.current.id} " in names
        assert isinstance(app.screen, DeleteModal)  # the y that came with the burst was not taken as yes
    assert _count(client) == 40


async def test_a_key_after_the_enter_that_closes_a_box_is_not_left_waiting(make_sandbox):
    """`o30⏎d` in one read: the walk behind ⏎ went through the box that ⏎ closed; d must still come."""
    server = make_sandbox(seed=60)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, "o30\rd")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteModal), timeout=5, what="the delete question")
        assert "#30 " in str(app.screen.query_one("#names").render())


async def test_a_key_never_waits_on_a_walk_that_was_lost(sandbox):
    """The walk behind a key goes through the nodes of its path; a step queued on a node that was removed

    meanwhile (a box closed by that very key) is lost. The next key must not wait for it forever.
    """
    import time

    from textual.widgets import Static

    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        gone = Static()
        await app.screen.mount(gone)
        await gone.remove()
        app.keys._key_busy_until = time.monotonic() + 60  # as if the walk behind the last key had been lost with it
        app.keys._busy_path = [gone, app.screen, app]
        burst(app, "j")
        await wait_for(pilot, lambda: table.cursor_row == 1, timeout=2, what="the key after the lost walk")
        app.keys._key_busy_until = time.monotonic() + 0.3  # lost on a node still there: the wait ends with the timeout
        app.keys._busy_path = [app.screen, app]
        app.keys._after = lambda *a, **k: None  # nothing walks
        burst(app, "j")
        await wait_for(pilot, lambda: table.cursor_row == 2, timeout=2, what="the key after the timeout")


async def test_only_the_current_walk_releases_the_next_key(sandbox):
    """A walk made void (a later key, a walk started again after a box closed) must not let a key go early."""
    import time

    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        path = [app.screen, app]
        current, void = object(), object()
        app.keys._walking = current
        app.keys._key_busy_until = time.monotonic() + 60
        app.keys._busy_path = path
        app.keys._after(path, 2, 0, void)  # the old walk ends...
        burst(app, "j")
        await settle(pilot)
        assert table.cursor_row == 0  # ...and the key still waits for the current one
        app.keys._after(path, 2, 0, current)
        await wait_for(pilot, lambda: table.cursor_row == 1, timeout=2, what="the key after the current walk")


async def test_keys_after_an_open_that_takes_long_are_dropped_not_aimed_at_another_row(make_sandbox):
    from mediatui.sandbox import Faults

    server = make_sandbox(seed=60, faults=Faults(only_path="/api/v2/media/30/", latency_ms=2500))
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        burst(app, "o30\rd")
        said = lambda: any("still opening: 1 key(s)" in str(n.message) for n in app._notifications)  # noqa: E731
        await wait_for(pilot, said, timeout=5, what="the dropped keys said")
        assert not isinstance(app.screen, DeleteModal)
        await wait_for(pilot, lambda: table.current is not None and table.current.id == 30, timeout=10)
        assert not isinstance(app.screen, DeleteModal)


@pytest.mark.serial
async def test_q_after_an_open_that_hangs_still_quits_within_a_second(make_sandbox):
    import time

    from mediatui.sandbox import Faults

    server = make_sandbox(seed=60, faults=Faults(only_path="/api/v2/media/30/", latency_ms=30_000))
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, "o30\rq")
        started = time.monotonic()
        await wait_for(pilot, lambda: not app.is_running, timeout=5, what="the app to quit")
        assert time.monotonic() - started < 1.5


async def test_keys_after_an_id_that_is_not_found_are_dropped(make_sandbox):
    """`jjo999⏎d`: the d was for #999; it must not ask about the row the cursor happens to be on."""
    server = make_sandbox(seed=60)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst(app, "jjo999\rd")
        said = lambda: any("nothing opened: 1 key(s)" in str(n.message) for n in app._notifications)  # noqa: E731
        await wait_for(pilot, said, timeout=5, what="the dropped key said")
        await settle(pilot)
        assert not isinstance(app.screen, DeleteModal)
        assert "1 not found (999)" in status(app)


async def test_keys_after_a_search_or_a_type_go_to_its_rows(sandbox):
    """`/board⏎jj` and `t↓↓⏎jj` in one read: the j's move over the filtered rows, not the old ones."""
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        sandbox.config.faults.latency_ms = 300  # the filtered rows come a little later than the keys
        burst(app, "/e\rjj")
        await settle(pilot)
        assert "search 'e'" in status(app) and table.row_count > 3
        assert table.cursor_row == 2
        burst(app, "t\x1b[B\x1b[B\rjj")
        await settle(pilot)
        assert "type url" in status(app) and table.row_count > 3
        assert table.cursor_row == 2


async def test_downs_past_the_loaded_rows_go_on_once_the_next_page_is_here(make_sandbox):
    """60 j's in one read with 50 rows loaded: the cursor ends on row 60, not stuck on row 49."""
    server = make_sandbox(seed=300)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        assert table.row_count == 50
        server.config.faults.latency_ms = 400  # the next page comes after the keys
        burst(app, "j" * 60)
        await settle(pilot)
        assert table.row_count == 100 and table.cursor_row == 60


async def test_escape_then_a_key_in_one_read_is_escape_then_the_key_where_no_alt_binding_takes_it(sandbox):
    """Over a laggy link `escape` and `j` arrive in one read, and the terminal parser makes them alt+j. The
    list has no alt+j: it is escape (back to the table) and then j (down), as typed."""
    from textual import events

    from tui_helpers import make_app, settle, wait_for

    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.detail.focus()  # enter went into the panel; escape comes back to the table
        await settle(pilot)
        app.post_message(events.Key("alt+j", "j"))  # what Textual's parser makes of "\x1bj" in one read
        await wait_for(pilot, lambda: app.screen.table.has_focus and app.screen.table.current.id == 2, what="both")

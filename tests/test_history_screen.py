"""Issue 26 on the screens: the app records its changes, `H` shows them, enter their diff, `U` undoes an edit."""

from __future__ import annotations

import pytest

from mediatui.api import MediaClient
from mediatui.media.history import History
from mediatui.sanitize import is_inert
from mediatui.settings.config import Secret, Settings
from mediatui.tui.app import MediaTuiApp
from mediatui.tui.screens import confirm_modal
from mediatui.tui.screens.browse_screen import BrowseScreen
from mediatui.tui.screens.confirm_modal import GuardedConfirm
from mediatui.tui.screens.conflict_modal import ConflictModal
from mediatui.tui.screens.delete_modal import DeleteModal
from mediatui.tui.screens.edit_form_screen import EditFormScreen
from mediatui.tui.screens.history_record_modal import RecordModal
from mediatui.tui.screens.history_screen import HistoryScreen
from tui_helpers import NOW, make_app, plain, settle, wait_for


@pytest.fixture
def quick_guard(monkeypatch):
    monkeypatch.setattr(confirm_modal, "GUARD", 0.0)


def rows(app) -> list[list[str]]:
    table = app.screen.query_one("#history-table")
    return [[str(cell) for cell in table.get_row(row.key)] for row in table.ordered_rows]


async def to_row(pilot, media_id: int) -> None:
    table = pilot.app.screen.query_one("#table")
    table.move_cursor(row=[row.key.value for row in table.ordered_rows].index(str(media_id)))
    await settle(pilot)


async def answer_yes(pilot, kind=GuardedConfirm) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind) and pilot.app.screen.armed, what="asked")
    await pilot.press("y")


async def open_history(pilot) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, BrowseScreen), what="the list")
    await pilot.press("H")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, HistoryScreen) and bool(rows(pilot.app)), what="H")


def an_edit_recorded(server, **fields):
    """#2 edited with PATCH, and the edit in the history as the app records one: (#2 before it, the record's id)."""
    with MediaClient(server.url, server.token) as client:
        before = client.get(2)
        after = client.patch(2, fields)
    with History.for_server(server.url, host="h", clock=lambda: NOW) as log:
        record = log.add("update", 2, method="PATCH", before=before.to_json(), after=after.to_json())
    return before, record


@pytest.mark.smoke
async def test_the_apps_edits_and_deletes_are_recorded_shown_and_diffed(sandbox, quick_guard):
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await to_row(pilot, 2)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, EditFormScreen), what="the form")
        await settle(pilot)
        app.screen.query_one("#f-title").focus()
        await pilot.press("home", "ctrl+k", *"Renamed")
        await pilot.press("ctrl+s")
        await answer_yes(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, BrowseScreen), what="saved")
        await to_row(pilot, 3)
        await pilot.press("d")
        await answer_yes(pilot, DeleteModal)
        await wait_for(pilot, lambda: bool(app.screen.outcomes) and app.screen.state == "done", what="deleted")
        await pilot.press("enter")
        await open_history(pilot)
        await wait_for(pilot, lambda: len(rows(app)) == 2, what="both recorded")
        (delete, update) = rows(app)
        assert delete[2:4] == ["delete", "#3"] and delete[5] == "done"
        assert update[2:] == ["update PATCH", "#2", "Renamed", "done"]
        await pilot.press("j", "enter")  # the update's diff
        await wait_for(pilot, lambda: isinstance(app.screen, RecordModal), what="the diff")
        diff = plain(app.screen.query_one("#record-diff").content)
        assert "title" in diff and "“Renamed”" in diff
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen), what="back")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowseScreen), what="the list again")


async def test_u_undoes_an_edit_after_a_guarded_question_and_records_the_undo(sandbox, quick_guard):
    before, edit = an_edit_recorded(sandbox, title="Oops", description="wrong")
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_history(pilot)
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="asked")
        question = str(app.screen.query_one("#question").render())
        assert f"Undo record {edit}" in question and "#2" in question
        await pilot.press("y")
        await wait_for(pilot, lambda: len(rows(app)) == 2, what="the undo recorded")
        assert rows(app)[0][2] == f"undo ←{edit}"
    with MediaClient(sandbox.url, sandbox.token) as client:
        now = client.get(2)
    assert now.title == before.title and now.description == before.description


async def test_u_with_a_later_change_shows_the_conflict_and_keeps_theirs(sandbox, quick_guard):
    before, _ = an_edit_recorded(sandbox, title="Oops", description="wrong")
    with MediaClient(sandbox.url, sandbox.token) as other:
        other.patch(2, {"title": "Theirs"})  # another moderator, since
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_history(pilot)
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictModal) and app.screen.armed, what="conflict")
        table = plain(app.screen.query_one("#conflict-table").content)
        assert "title" in table and "“Theirs”" in table and "description" not in table
        await pilot.press("t")  # keep the server's title; the description is still set back
        await answer_yes(pilot)
        await wait_for(pilot, lambda: len(rows(app)) == 2, what="the undo recorded")
    with MediaClient(sandbox.url, sandbox.token) as client:
        now = client.get(2)
    assert now.title == "Theirs" and now.description == before.description


async def test_read_only_sees_the_history_but_cannot_undo(sandbox):
    log = History.for_server(sandbox.url, host="h", clock=lambda: NOW)
    log.add("update", 2, method="PATCH", before={"title": "a"}, after={"title": "b"})
    log.close()
    app = MediaTuiApp(Settings(sandbox.url, Secret(sandbox.token), read_only=True), clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_history(pilot)
        assert app.screen.check_action("undo", ()) is False  # so the footer, F1 and the palette leave it out
        await pilot.press("U")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
    with MediaClient(sandbox.url, sandbox.token) as client:
        assert client.get(2).title != "a"


async def test_hostile_titles_in_the_history_are_inert(sandbox):
    nasty = "\x1b]0;PWNED\x07\x9b31m\u202eevil"
    log = History.for_server(sandbox.url, host="h", clock=lambda: NOW)
    log.add("update", 2, method="PATCH", before={"title": "a"}, after={"title": nasty, "url": nasty})
    log.close()
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_history(pilot)
        assert all(is_inert(cell) for row in rows(app) for cell in row)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecordModal), what="the diff")
        diff = plain(app.screen.query_one("#record-diff").content)
        assert is_inert(diff.replace("\n", " ")) and "PWNED" in diff


async def test_escape_while_the_undo_is_on_its_way_still_records_it(make_sandbox, quick_guard):
    """Found in review: the screen's worker ended with the screen, so a PATCH that landed was never recorded."""
    from mediatui.sandbox import Faults

    faults = Faults()
    server = make_sandbox(seed=40, faults=faults)
    an_edit_recorded(server, title="Oops")
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_history(pilot)
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="asked")
        faults.only_method, faults.latency_ms = "PATCH", 60_000  # held until released
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(faults.held), what="the PATCH held")
        await pilot.press("escape")  # back to the list while it is on its way
        await wait_for(pilot, lambda: isinstance(app.screen, BrowseScreen), what="the list")
        faults.release.set()
        await wait_for(pilot, lambda: any("Undone" in str(n.message) for n in app._notifications), what="said")

    def undone() -> list:
        with History.for_server(server.url, host="h") as log:
            return [r for r in log.records() if r.action == "undo"]

    assert len(undone()) == 1


async def test_a_change_made_while_the_undo_asks_is_never_overwritten(sandbox, quick_guard):
    an_edit_recorded(sandbox, title="Oops")
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_history(pilot)
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="asked")
        with MediaClient(sandbox.url, sandbox.token) as other:  # another moderator, while the question is open
            other.patch(2, {"title": "Theirs"})
        await pilot.press("y")
        await wait_for(pilot, lambda: any("changed while you were asked" in str(n.message) for n in app._notifications))
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictModal), what="asked again, with the conflict")
    with MediaClient(sandbox.url, sandbox.token) as client:
        assert client.get(2).title == "Theirs"

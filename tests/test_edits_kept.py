"""Edits are never lost: typing is never dropped without a question, and a save never undoes another moderator.

Pilots against the sandbox; the second moderator is a direct API call. Every
send is checked in the sandbox's request log (what the server received).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Static

from mediatui.tui.screens import confirm_modal
from mediatui.tui.screens.confirm_modal import GuardedConfirm
from mediatui.tui.screens.conflict_modal import ConflictModal
from mediatui.tui.screens.create_form_screen import CreateFormScreen
from mediatui.tui.screens.edit_form_screen import EditFormScreen
from test_edit_form import body_text, open_form, retype
from tui_helpers import make_app, plain, settle, wait_for


@pytest.fixture
def quick_guard(monkeypatch):
    monkeypatch.setattr(confirm_modal, "GUARD", 0.0)  # the guard has its own tests in test_edit_form


def writes(sandbox) -> list[tuple[str, dict]]:
    return [(r.method, r.body) for r in sandbox.sandbox.request_log if r.method in ("PATCH", "PUT", "POST", "DELETE")]


def question(app) -> str:
    return str(app.screen.query_one("#question").render())


async def asked(pilot) -> GuardedConfirm:
    await wait_for(
        pilot, lambda: isinstance(pilot.app.screen, GuardedConfirm) and pilot.app.screen.armed, what="the question"
    )
    return pilot.app.screen


# -- typing is never dropped without a question ------------------------------------------------------------


async def test_q_on_the_type_dropdown_does_nothing_and_keeps_the_typing(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        await retype(pilot, "title", "Typed, not saved")
        form.query_one("#f-type", Select).focus()
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running and app.screen is form
        assert form.query_one("#f-title", Input).value == "Typed, not saved"
        footer = [b.binding.key for b in form.active_bindings.values() if b.binding.show]
        assert "q" not in footer
    assert not writes(sandbox)


async def test_q_types_into_a_text_box_of_the_form(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        await retype(pilot, "title", "quiet quay")
        await settle(pilot)
        assert app.screen is form and form.query_one("#f-title", Input).value == "quiet quay"


async def test_q_after_typing_on_the_new_media_form_keeps_it(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, CreateFormScreen), what="the create form")
        await settle(pilot)
        form = app.screen
        form.query_one("#c-url").focus()
        await pilot.press(*"https://example.com/a")
        form.query_one("#c-type", Select).focus()
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running and app.screen is form and form.query_one("#c-url", Input).value.endswith("/a")


@pytest.mark.parametrize("how", ["ctrl+q", "palette"])
async def test_quitting_with_unsaved_changes_asks_and_names_them(sandbox, how):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        await retype(pilot, "title", "Typed")
        await retype(pilot, "keywords", "more")
        if how == "ctrl+q":
            await pilot.press("ctrl+q")
        else:  # the palette's own Quit command, as ctrl+p offers it
            [quit_command] = [c for c in app.get_system_commands(app.screen) if c.title == "Quit"]
            result = quit_command.callback()
            if result is not None:
                await result
        await asked(pilot)
        assert question(app) == "Discard the changes to #1 (title, keywords) and quit?"
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is form)
        assert app.is_running and form.query_one("#f-title", Input).value == "Typed"
    assert not writes(sandbox)


async def test_switching_community_from_a_form_with_changes_asks_first(sandbox, tmp_path):
    from mediatui.settings.config import Secret, Settings

    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        await retype(pilot, "title", "Typed")
        app.switching.chosen(Settings(sandbox.url + "/", Secret(sandbox.token)))  # what the connect screen's F4 does
        await asked(pilot)
        assert question(app) == "Discard the changes to #1 (title) and switch?"
        await pilot.press("n")  # the connect screen again, with what was chosen there; escape back to the form
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConnectScreen" and app.focused is not None)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is form)
        assert form.query_one("#f-title", Input).value == "Typed"


async def test_escape_names_the_fields_it_would_discard(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        await retype(pilot, "title", "Typed")
        await pilot.press("escape")
        await asked(pilot)
        assert question(app) == "Discard the changes to #1 (title)?"
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is form)


# -- a write never silently undoes another moderator -----------------------------------------------------------


async def test_put_after_a_concurrent_change_keeps_it(sandbox, client, quick_guard):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, 1)
        client.patch(1, {"description": "Changed by another moderator"})
        await retype(pilot, "title", "Mine")
        await pilot.press("f5")
        shown = body_text(await asked(pilot))
        assert "description:" not in shown and "left as it is now: description" in shown  # not this form's change
        await pilot.press("y")
        await wait_for(pilot, lambda: not isinstance(app.screen, (GuardedConfirm, EditFormScreen)), what="the list")
    assert client.get(1).description == "Changed by another moderator" and client.get(1).title == "Mine"
    [(method, body)] = writes(sandbox)[1:]
    assert method == "PUT" and body["description"] == "Changed by another moderator"


async def open_conflict(pilot, client, **theirs: str) -> ConflictModal:
    """#1 opened, its title changed there by another moderator (and any of `theirs`), title and keywords here."""
    app = pilot.app
    await open_form(pilot, 1)
    client.patch(1, {"title": "Theirs", **theirs})
    await retype(pilot, "title", "Mine")
    await retype(pilot, "keywords", "boats")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, ConflictModal) and app.screen.armed, what="the conflict")
    return app.screen


async def test_a_both_sides_change_shows_three_columns(sandbox, client):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        conflict = await open_conflict(pilot, client)
        table = plain(conflict.query_one("#conflict-table", Static).content)
        assert "when opened" in table and "on the server now" in table and "yours" in table
        row = next(line for line in table.splitlines() if line.lstrip().startswith("title"))
        assert row.index("Community guidelines") < row.index("Theirs") < row.index("Mine")
    assert writes(sandbox)[1:] == []


async def test_use_mine_sends_mine_only_after_the_choice_and_the_confirmation(sandbox, client, quick_guard):
    """And PATCH never sends back a field only the server changed (the description here)."""
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_conflict(pilot, client, description="Changed by another moderator")
        assert writes(sandbox)[1:] == []
        await pilot.press("m")
        shown = body_text(await asked(pilot))
        assert "title: “Theirs” → “Mine”" in shown  # before is the server's value now
        await pilot.press("y")
        await wait_for(pilot, lambda: not isinstance(app.screen, (GuardedConfirm, EditFormScreen)), what="the list")
    assert writes(sandbox)[1:] == [("PATCH", {"title": "Mine", "keywords": "boats"})]
    assert client.get(1).description == "Changed by another moderator"


async def test_keep_theirs_sends_the_rest(sandbox, client, quick_guard):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_conflict(pilot, client)
        await pilot.press("t")
        shown = body_text(await asked(pilot))
        assert "title" not in shown and "keywords" in shown
        await pilot.press("y")
        await wait_for(pilot, lambda: not isinstance(app.screen, (GuardedConfirm, EditFormScreen)), what="the list")
    assert writes(sandbox)[1:] == [("PATCH", {"keywords": "boats"})]
    assert client.get(1).title == "Theirs"


async def test_back_to_the_form_sends_nothing_and_keeps_the_typing(sandbox, client):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_conflict(pilot, client)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, EditFormScreen), what="the form")
        assert app.screen.query_one("#f-title", Input).value == "Mine"
    assert writes(sandbox)[1:] == []


async def test_a_change_while_the_question_is_open_is_not_overwritten(make_sandbox, quick_guard):
    from mediatui.api import MediaClient

    server = make_sandbox(seed=40)
    app = make_app(server)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, 1)
        await retype(pilot, "title", "Mine")
        await pilot.press("ctrl+s")
        await asked(pilot)
        with MediaClient(server.url, server.token) as other:
            other.patch(1, {"title": "Theirs, while you read the question"})
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, (EditFormScreen, ConflictModal)), what="the form")
        await settle(pilot)
        with MediaClient(server.url, server.token) as other:
            assert other.get(1).title == "Theirs, while you read the question"
    assert [m for m, _ in writes(server)] == ["PATCH"]  # only the other moderator's


async def test_a_failed_read_before_the_write_sends_nothing(make_sandbox, quick_guard):
    server = make_sandbox(seed=40)
    app = make_app(server)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        await retype(pilot, "title", "Mine")
        faults = server.config.faults
        faults.only_method, faults.only_path, faults.fail_next = "GET", "/api/v2/media/1/", 50
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Not saved" in str(form.query_one("#form-status").render()), timeout=20)
        assert app.screen is form and form.query_one("#f-title", Input).value == "Mine"
    assert not writes(server)


# -- mediatui update follows the same rule ---------------------------------------------------------------------


def test_update_if_unchanged_refuses_and_sends_nothing_when_the_server_differs(sandbox, client, capsys, monkeypatch):
    from mediatui import cli

    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    client.patch(1, {"title": "Changed by another moderator"})
    argv = ["--url", sandbox.url, "update", "1", "--set", "keywords=k", "--if-unchanged"]
    assert cli.main([*argv, "title=Community guidelines v3"]) == 1
    err = capsys.readouterr().err
    assert "not sent: title is “Changed by another moderator” on the server, not “Community guidelines v3”" in err
    assert writes(sandbox)[1:] == []
    assert cli.main([*argv, "title=Changed by another moderator"]) == 0
    assert writes(sandbox)[1:] == [("PATCH", {"keywords": "k"})]
    assert cli.main([*argv, "order=3"]) == 2  # not a field one can expect: refused before anything


def test_update_put_keeps_what_another_moderator_changed_between_its_reads(capsys, monkeypatch):
    """Its base is its first read; --put reads again just before sending and sends the server's values then."""
    import json

    from hostile_server import HostileServer, send_json
    from mediatui import cli

    opened = {"id": 7, "type": "image", "title": "Old", "image": "https://cdn.example/7.png", "description": "A"}
    versions = [opened, {**opened, "description": "B, by another moderator"}]
    with HostileServer() as server:
        server.route(
            "GET",
            "/api/v2/media/7/",
            lambda h: send_json(h, 200, versions.pop(0) if len(versions) > 1 else versions[0]),
        )
        server.route("PUT", "/api/v2/media/7/", lambda h: send_json(h, 200, {**versions[0], "title": "New"}))
        monkeypatch.setenv("MEDIATUI_TOKEN", "t")
        assert cli.main(["--url", server.url, "update", "7", "--put", "--set", "title=New"]) == 0
        [(method, _, body)] = server.bodies
    sent = json.loads(body)
    assert method == "PUT" and sent["title"] == "New" and sent["description"] == "B, by another moderator"
    assert "kept as it is: description" in capsys.readouterr().err


async def test_a_url_typed_right_after_n_lands_in_the_url_box(sandbox):
    """On a laggy link `n` and the URL come in one read: the URL is for the new media's box, whole."""
    from tui_helpers import burst

    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "nhttps://example.org/quiz")
        await wait_for(pilot, lambda: isinstance(app.screen, CreateFormScreen), what="the create form")
        await wait_for(pilot, lambda: app.screen.query_one("#c-url", Input).value == "https://example.org/quiz")
        assert app.is_running


async def test_a_title_typed_right_after_e_lands_in_the_title(sandbox):
    from tui_helpers import burst

    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "e quay")
        await wait_for(pilot, lambda: isinstance(app.screen, EditFormScreen), what="the edit form")
        title = app.screen.query_one("#f-title", Input)
        await wait_for(pilot, lambda: title.value.endswith(" quay"), what="typing")
        assert title.value == "Community guidelines v3 quay"  # added to the title, never replacing it


# -- found by trying it on a laggy link -------------------------------------------------------------------------


async def save_held_on_its_way(pilot, faults) -> EditFormScreen:
    """#1's title changed, saved with y, and the PATCH held by the sandbox (until `faults.release`)."""
    form = await open_form(pilot, 1)
    await retype(pilot, "title", "Saved")
    await pilot.press("ctrl+s")
    await asked(pilot)
    faults.only_method, faults.latency_ms = "PATCH", 60_000
    await pilot.press("y")
    await wait_for(pilot, lambda: bool(faults.held), what="the PATCH on its way")
    return form


async def test_typing_after_y_while_the_save_is_on_its_way_is_kept(sandbox, quick_guard):
    faults = sandbox.config.faults
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await save_held_on_its_way(pilot, faults)
        form.query_one("#f-title").focus()
        await pilot.press("end", *" more")
        faults.release.set()
        await wait_for(pilot, lambda: "typed since is kept" in str(form.query_one("#form-status").render()))
        assert app.screen is form and form.query_one("#f-title", Input).value == "Saved more"
        assert form.unsaved_work() == "the changes to #1 (title)"
    assert writes(sandbox) == [("PATCH", {"title": "Saved"})]


async def test_a_save_that_ends_under_another_screen_closes_the_form_only_when_it_shows_again(sandbox, quick_guard):
    faults = sandbox.config.faults
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await save_held_on_its_way(pilot, faults)
        await pilot.press("f1")  # the help over the form while it saves
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HelpModal", what="the help")
        faults.release.set()
        await wait_for(pilot, lambda: not form.sending, what="the save")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpModal"  # the save did not pop the help
        await pilot.press("escape")
        await wait_for(pilot, lambda: not form.is_attached, what="the form to close")
        assert app.screen.query_one("#table").rows_media[1].title == "Saved"


async def test_a_key_in_the_same_read_as_ctrl_s_is_for_the_box_never_typed_into_the_field(sandbox, client):
    from tui_helpers import burst

    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        client.patch(1, {"title": "Theirs"})
        await retype(pilot, "title", "Mine")
        burst(app, "\x13m")  # ctrl+s and m in one read: m is for the conflict box, which comes after a read
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictModal), what="the conflict box")
        await settle(pilot)
        assert form.query_one("#f-title", Input).value == "Mine" and isinstance(app.screen, ConflictModal)
    assert writes(sandbox)[1:] == []


async def test_escape_while_the_form_reads_again_sends_nothing(sandbox):
    faults = sandbox.config.faults
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        await retype(pilot, "title", "Mine")
        faults.only_method, faults.only_path, faults.latency_ms = "GET", "/api/v2/media/1/", 60_000
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(faults.held), what="the read held")
        await pilot.press("escape")
        faults.release.set()
        await wait_for(pilot, lambda: "nothing was sent" in str(form.query_one("#form-status").render()))
        await settle(pilot)
        assert app.screen is form and form.query_one("#f-title", Input).value == "Mine"
    assert writes(sandbox) == []


def test_update_if_unchanged_is_checked_even_when_nothing_would_change(sandbox, client, capsys, monkeypatch):
    from mediatui import cli

    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    argv = ["--url", sandbox.url, "update", "1", "--set", "title=Community guidelines v3"]
    assert cli.main([*argv, "--if-unchanged", "keywords=something else"]) == 1
    assert "not sent" in capsys.readouterr().err
    assert cli.main([*argv, "--if-unchanged", "type=share"]) == 1  # a choice the server does not hold: 1, not 2


async def test_no_to_discard_and_switch_keeps_the_connect_screens_typing_too(sandbox, make_sandbox):
    b = make_sandbox(seed=2)
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        await retype(pilot, "title", "Typed")
        await app.run_action("switch_community")  # the palette's Switch community
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConnectScreen" and app.focused is not None)
        app.screen.query_one("#url", Input).value = b.url
        app.screen.query_one("#token", Input).value = b.token
        await pilot.press("f4")
        await asked(pilot)
        assert question(app) == "Discard the changes to #1 (title) and switch?"
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConnectScreen", what="the connect screen again")
        await settle(pilot)
        assert app.screen.query_one("#url", Input).value == b.url  # what was typed there is still there
        assert form.query_one("#f-title", Input).value == "Typed" and app.community.settings.url == sandbox.url


async def test_the_connect_screen_keeps_what_was_typed_there(sandbox, tmp_path):
    from test_connect_screen import app_for, connect_shown

    app = app_for(tmp_path, sandbox.url, sandbox.token)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: connect_shown(app), what="the connect screen")
        connect = app.screen
        connect.query_one("#url", Input).value = "https://typed.example"
        connect.query_one("#profile", Select).focus()
        await pilot.press("q")  # on the profile list: nothing
        await settle(pilot)
        assert app.is_running and app.screen is connect
        await pilot.press("escape")
        await asked(pilot)
        assert question(app) == "Discard what was typed on the connect screen (URL)?"
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is connect)
        assert connect.query_one("#url", Input).value == "https://typed.example"


async def test_keys_held_for_the_question_are_never_typed_into_the_field_when_escape_stops_it(sandbox):
    from tui_helpers import burst

    faults = sandbox.config.faults
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        await retype(pilot, "title", "Mine")
        faults.only_method, faults.only_path, faults.latency_ms = "GET", "/api/v2/media/1/", 60_000
        burst(app, "\x13y")  # ctrl+s and y (for the question) in one read; the read is slow
        await wait_for(pilot, lambda: bool(faults.held), what="the read held")
        await pilot.press("escape")  # stop: it goes ahead of the y held
        faults.release.set()
        await wait_for(pilot, lambda: "nothing was sent" in str(form.query_one("#form-status").render()))
        await settle(pilot)
        assert form.query_one("#f-title", Input).value == "Mine"  # the y went nowhere
    assert writes(sandbox) == []


async def test_after_a_save_with_typing_since_every_box_that_differs_from_the_server_is_a_change(sandbox, client):
    """Theirs kept for the title, and keywords typed while the save was on its way: the title box still shows
    yours, which the server does not have, so leaving asks about both."""
    faults = sandbox.config.faults
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_conflict(pilot, client)
        await pilot.press("t")
        await asked(pilot)
        faults.only_method, faults.latency_ms = "PATCH", 60_000
        await pilot.press("y")
        await wait_for(pilot, lambda: bool(faults.held), what="the PATCH on its way")
        app.screen.query_one("#f-keywords").focus()
        await pilot.press("end", *" more")
        faults.release.set()
        await wait_for(pilot, lambda: "typed since is kept" in str(app.screen.query_one("#form-status").render()))
        assert app.screen.unsaved_work() == "the changes to #1 (title, keywords)"


async def test_choosing_another_profile_asks_before_it_drops_what_was_typed(sandbox, tmp_path):
    from test_connect_screen import app_for, connect_shown

    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(
        f'[profiles.main]\nurl = "{sandbox.url}"\ntoken = "{sandbox.token}"\n'
        '[profiles.other]\nurl = "https://other.example"\ntoken = "tok-other-123"\n'
    )
    app = app_for(tmp_path, sandbox.url, sandbox.token, profile="main")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: connect_shown(app), what="the connect screen")
        connect = app.screen
        connect.query_one("#token", Input).value = "tok-typed-by-hand"
        connect.query_one("#profile", Select).value = "other"
        await asked(pilot)
        assert question(app) == "Discard what was typed on the connect screen (token)?"
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is connect)
        await settle(pilot)
        assert connect.query_one("#profile", Select).value == "main"
        assert connect.query_one("#token", Input).value == "tok-typed-by-hand"

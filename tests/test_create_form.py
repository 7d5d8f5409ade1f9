"""The create form through the pilot against a real sandbox: each type, the checks, a lost answer."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from mediatui.sandbox import Faults
from mediatui.tui.screens import confirm_modal
from mediatui.tui.screens.confirm_modal import GuardedConfirm
from mediatui.tui.screens.create_form_screen import CreateFormScreen
from tui_helpers import make_app, plain, settle, wait_for


@pytest.fixture(autouse=True)
def quick_guard(monkeypatch):
    monkeypatch.setattr(confirm_modal, "GUARD", 0.0)  # the guard has its own tests in test_edit_form


async def open_create(pilot) -> CreateFormScreen:
    app = pilot.app
    await settle(pilot)
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, CreateFormScreen), what="the create form")
    await settle(pilot)
    return app.screen


async def fill(pilot, form: CreateFormScreen, kind: str, **values: str) -> None:
    form.query_one("#c-type", Select).value = kind
    await pilot.pause()
    for name, value in values.items():
        form.query_one(f"#c-{name}").focus()
        await pilot.press(*value)


async def send(pilot) -> str:
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, GuardedConfirm) and pilot.app.screen.armed)
    shown = plain(pilot.app.screen.query_one("#confirm-body").render())
    shown += "\n" + plain(pilot.app.screen.query_one("#question").render())
    await pilot.press("y")
    await settle(pilot)
    return shown


@pytest.mark.parametrize(
    "kind, values",
    [
        pytest.param("url", {"url": "https://example.com/new-post"}, marks=pytest.mark.smoke),
        ("vimeo", {"url": "https://vimeo.com/123"}),
        ("embed", {"embed_type": "youtube", "embed_id": "abc123"}),
    ],
)
async def test_create_each_type_and_it_opens_at_the_top(sandbox, client, kind, values):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_create(pilot)
        await fill(pilot, form, kind, **values)
        shown = send_lines = await send(pilot)
        assert f"type: “{kind}”" in shown and all(v in send_lines for v in values.values())
        assert f"Create {'an' if kind == 'embed' else 'a'} {kind} media?" in shown
        assert not form.is_attached
        table = app.screen.query_one("#table")
        top = table.current
        assert top is not None and str(top.type) == kind and table.cursor_row == 0
        assert top.id == 41 and "41" in plain(app.screen.query_one("#detail-body").content)
    assert sandbox.sandbox.request_log[-1].body == {"type": kind, **values}
    assert client.list(limit=1).results[0].id == 41


async def test_fields_follow_the_type_and_are_checked(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_create(pilot)
        assert form.query_one("#row-url").display and not form.query_one("#row-embed_id").display
        await fill(pilot, form, "url", url="example.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "absolute http(s) URL" in str(form.query_one("#err-url").render())
        await fill(pilot, form, "embed")
        assert not form.query_one("#row-url").display and form.query_one("#row-embed_type").display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert form.query_one("#err-embed_id").display and app.screen is form
    assert not sandbox.sandbox.request_log


async def test_a_lost_answer_is_looked_for_and_not_resent(make_sandbox):
    server = make_sandbox(seed=5, faults=Faults(only_method="POST", lose_rate=1.0))
    app = make_app(server)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_create(pilot)
        await fill(pilot, form, "url", url="https://example.com/lost")
        await send(pilot)
        assert not form.is_attached  # found in the server's list: it opens like a created one
        assert app.screen.query_one("#table").current.url == "https://example.com/lost"
    assert [r.method for r in server.sandbox.request_log] == ["POST"]


async def test_a_lost_answer_without_a_list_keeps_the_form(make_sandbox):
    server = make_sandbox(seed=5, listing=False, faults=Faults(only_method="POST", lose_rate=1.0))
    app = make_app(server)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_create(pilot)
        await fill(pilot, form, "vimeo", url="https://vimeo.com/77")
        await send(pilot)
        assert app.screen is form
        assert "may have been created" in str(form.query_one("#form-problems").render())
        assert form.query_one("#c-url", Input).value == "https://vimeo.com/77"
    assert len(server.sandbox.request_log) == 1

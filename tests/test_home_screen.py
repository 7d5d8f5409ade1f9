"""The first screen against a real sandbox: connected, catalogue mode, bad token, no token, unreachable."""

import socket

from rich.text import Text

from mediatui.api import ApiError
from mediatui.config import Secret, Settings
from mediatui.tui.app import MediaTuiApp


def texts(app):
    state = app.screen.query_one("#state").render()
    hint = app.screen.query_one("#hint").render()
    return str(state), str(hint)


async def run_home(settings):
    app = MediaTuiApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        return texts(app), app.sub_title


async def test_connected_to_a_listing_server(sandbox):
    (state, hint), sub = await run_home(Settings(sandbox.url, Secret(sandbox.token)))
    assert state == "Connected" and "40 in all" in hint
    assert sub == f"{sandbox.url} · connected"
    assert sandbox.token not in sub + hint


async def test_connected_without_a_list(make_sandbox):
    server = make_sandbox(seed=2, listing=False)
    (state, hint), _ = await run_home(Settings(server.url, Secret(server.token)))
    assert state == "Connected" and "no media list" in hint


async def test_wrong_token_says_what_to_do(sandbox):
    (state, hint), _ = await run_home(Settings(sandbox.url, Secret("nope")))
    assert state == "Not connected" and "Invalid token." in hint and "MEDIATUI_TOKEN" in hint


async def test_no_token_says_how_to_give_one(sandbox):
    (state, hint), _ = await run_home(Settings(sandbox.url, Secret("")))
    assert state == "Not connected" and "export MEDIATUI_TOKEN=" in hint


async def test_unreachable_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (state, hint), _ = await run_home(Settings(f"http://127.0.0.1:{port}", Secret("t")))
    assert state == "Not connected" and "could not connect" in hint


async def test_recheck_key_probes_again(sandbox):
    app = MediaTuiApp(Settings(sandbox.url, Secret(sandbox.token)))
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        sandbox.config.users.clear()  # the token is revoked meanwhile
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert texts(app)[0] == "Not connected"


async def test_hostile_server_message_is_shown_literally(sandbox):
    hostile = "[@click=app.quit]quit[/] [b]bold[/b] [link=http://x]x[/link] \x1b[2J"
    app = MediaTuiApp(Settings(sandbox.url, Secret(sandbox.token)))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        app.screen._failed(ApiError(500, hostile))
        await pilot.pause()
        hint = app.screen.query_one("#hint").render()
        assert isinstance(hint, Text) or hasattr(hint, "plain")
        assert hostile.replace("\x1b", "") in str(hint).replace("\x1b", "")
        await pilot.click("#hint", offset=(1, 0))
        await pilot.pause()
        assert app.is_running  # no action fired

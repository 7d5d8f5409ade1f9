"""The palette's "Diagnose": the doctor's report on the community shown, in a dialog; escape closes it, even
while a hung server keeps the checks waiting."""

from __future__ import annotations

import pytest

from hostile_server import HostileServer
from mediatui.tui.screens.diagnose_modal import DiagnoseModal
from tui_helpers import make_app, plain, settle, wait_for


@pytest.fixture(autouse=True)
def terminal(monkeypatch):
    for name in ("LC_ALL", "LC_CTYPE", "TMUX", "STY", "NO_COLOR", "KITTY_WINDOW_ID", "TERM_PROGRAM", "MEDIATUI_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("LANG", "C.UTF-8")


async def diagnose(pilot) -> None:
    """Through the command palette, by name, as a moderator would."""
    from textual.command import CommandList, CommandPalette

    await pilot.press("ctrl+p")
    await pilot.press(*"Diagnose")
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    await wait_for(pilot, lambda: palette.query_one(CommandList).option_count > 0, what="the palette's match")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiagnoseModal), what="the dialog")


def shown(app) -> str:
    return "".join(plain(app.screen.query_one(f"#diagnose-{part}").content, 76) for part in ("summary", "lines"))


@pytest.mark.smoke
async def test_diagnose_shows_the_report_of_the_community_shown(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await diagnose(pilot)
        await wait_for(pilot, lambda: app.screen.report is not None, what="the report")
        text = shown(app)
        assert "Everything is OK." in text
        assert "community: " + sandbox.url + " answered in " in text
        assert "token: typed in; the API accepts it (40 media)" in text  # the app was given it
        assert "80x24" in text  # the app's own size, not the environment's
        assert sandbox.token not in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, DiagnoseModal), what="closed")


async def test_a_refused_token_is_said(sandbox):
    app = make_app(sandbox, token="a-wrong-token-of-some-length")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await diagnose(pilot)
        await wait_for(pilot, lambda: app.screen.report is not None, what="the report")
        text = shown(app)
        assert "1 of 9 checks need a fix (!!)." in text
        assert "!! token: typed in; the API refused it (401)" in text
        assert "a-wrong-token-of-some-length" not in text


async def test_hostile_text_in_the_report_is_shown_literally_and_never_acts(tmp_path, monkeypatch):
    """A community whose error page holds terminal sequences, markup that would quit the app if parsed, and the
    token echoed back; a hostile TERM: the dialog shows each as text, the token as ***, and a click does nothing."""
    from hostile_server import NASTY, send
    from mediatui.sanitize import is_inert
    from mediatui.settings.config import Secret, Settings
    from mediatui.tui.app import MediaTuiApp

    token = "hostile-test-token-0123"
    markup = "[@click=app.quit]quit[/] [b]bold[/b] [link=http://x]x[/link]"

    def page(handler) -> None:
        body = f"<html><h1>{markup} {handler.headers.get('Authorization')} {NASTY}</h1></html>"
        send(handler, 500, body, "text/html")

    monkeypatch.setenv("LANG", "\x1b]0;T\x07[@click=app.quit]q[/]")
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", page)
        app = MediaTuiApp(Settings(server.url, Secret(token)))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await diagnose(pilot)
            await wait_for(pilot, lambda: app.screen.report is not None, what="the report")
            text = plain(app.screen.query_one("#diagnose-lines").content, 1000)
            assert all(is_inert(line) for line in text.splitlines()) and token not in text
            assert f"community: {server.url} answered 500 in " in text and "Bearer ***" in text
            assert "[@click=app.quit]quit[/] [b]bold[/b]" in text
            assert "locale ␛]0;T␇[@click=app.quit]q[/] is not UTF-8" in text
            lines = app.screen.query_one("#diagnose-lines")
            for y in range(min(lines.region.height, 8)):  # the terminal's and the community's lines, wrapped
                for x in (20, 60):
                    await pilot.click("#diagnose-lines", offset=(x, y))
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, DiagnoseModal)


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_escape_or_q_closes_at_once_while_the_server_hangs(key):
    from mediatui.settings.config import Secret, Settings
    from mediatui.tui.app import MediaTuiApp

    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", server.hang())
        app = MediaTuiApp(Settings(server.url, Secret("sandbox-token")))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await diagnose(pilot)
            assert "Checking… (at most 15 s)" in shown(app)
            await pilot.press(key)
            await wait_for(pilot, lambda: not isinstance(app.screen, DiagnoseModal), timeout=1, what="closed")
            assert app.is_running  # q closed the dialog, not the app


async def test_a_config_on_a_hung_mount_is_said_not_waited_for(sandbox, tmp_path, monkeypatch, hung_mount):
    """The dialog read the config file again on its thread, with no bound: on a mount that hangs, 'Checking… (at
    most 15 s)' stayed for ever. Now the config's line says so in time (its budget made short here)."""
    from mediatui.community import doctor

    monkeypatch.setattr(doctor, "CONFIG_BUDGET", 1.0)
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        path = hung_mount("config")
        await diagnose(pilot)
        await wait_for(pilot, lambda: app.screen.report is not None, timeout=5, what="the report")
        text = plain(app.screen.query_one("#diagnose-lines").content, 1000)
        assert f"!! config: {path}/config.toml: no answer within 1 s" in text
        assert "OK community: " in text

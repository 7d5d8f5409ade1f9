"""The connect screen, read-only mode, the header's warnings and the theme, in the app against real sandboxes."""

from __future__ import annotations

import socket
import stat

import pytest

from mediatui.settings.config import Secret, Settings
from mediatui.settings.profiles import load
from mediatui.tui.app import MediaTuiApp
from tui_helpers import NOW, settle, titles, wait_for


def app_for(tmp_path, url: str = "", token: str = "", **options) -> MediaTuiApp:
    """An app started the way `mediatui` starts it: with a config file path (the connect screen may save)."""
    config = tmp_path / "config" / "config.toml"
    return MediaTuiApp(Settings(url, Secret(token), config_path=config, **options), clock=lambda: NOW)


def screen_name(app) -> str:
    return type(app.screen).__name__


def connect_shown(app) -> bool:
    """The connect screen is up and ready for keys: its widgets mounted and one focused (what the app waits for

    before it lets keys through). Its reason line alone is not enough: the rows below it mount a moment later."""
    return screen_name(app) == "ConnectScreen" and app.focused is not None and app.focused.screen is app.screen


def result(app) -> str:
    return str(app.screen.query_one("#connect-result").render())


async def fill(pilot, url: str, token: str) -> None:
    """Type as a person would: the URL, tab, the token."""
    app = pilot.app
    app.screen.query_one("#url").value = ""
    app.screen.query_one("#url").focus()
    await pilot.press(*url, "tab", *token)
    await pilot.pause()


async def press_test(pilot, expected: str) -> None:
    await pilot.press("f2")
    await wait_for(pilot, lambda: expected in result(pilot.app), what=expected)


@pytest.mark.smoke
async def test_no_token_opens_the_connect_screen_and_a_good_token_connects(sandbox, tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_name(app) == "ConnectScreen"
        assert "No community URL" in str(app.screen.query_one("#connect-reason").render())
        await fill(pilot, sandbox.url, sandbox.token)
        assert app.screen.query_one("#token").password  # shown as dots
        await press_test(pilot, "OK: 40 media")
        await pilot.press("f4")
        await wait_for(pilot, lambda: screen_name(app) == "BrowseScreen" and len(titles(app)) == 40)
        assert app.settings.url == sandbox.url and len(app.screen_stack) == 2


async def test_bad_token_says_401_and_a_refused_token_opens_the_screen(sandbox, tmp_path):
    app = app_for(tmp_path, sandbox.url, "wrong-token")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: connect_shown(app))
        assert "refused the token (401)" in str(app.screen.query_one("#connect-reason").render())
        await fill(pilot, sandbox.url, "still-wrong")
        await press_test(pilot, "401: the server refused the token")
        assert "still-wrong" not in result(app)


async def test_closed_port_says_unreachable(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
        app = app_for(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await fill(pilot, url, "t")
            await press_test(pilot, "unreachable: could not connect")


async def test_no_list_endpoint_says_catalogue_mode(make_sandbox, tmp_path):
    server = make_sandbox(listing=False)
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await fill(pilot, server.url, server.token)
        await press_test(pilot, "no list endpoint")


async def test_saving_a_profile_writes_a_private_file(sandbox, tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: "name first" in result(app))
        app.screen.query_one("#name").focus()
        await pilot.press(*"work")
        await fill(pilot, sandbox.url, sandbox.token)
        await pilot.press("f3")
        await wait_for(pilot, lambda: "Saved profile work" in result(app))
        assert sandbox.token not in result(app)
    path = tmp_path / "config" / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    config = load(path)
    assert config.default_profile == "work"
    assert config.profiles["work"].url == sandbox.url and config.profiles["work"].token.reveal() == sandbox.token


async def test_c_and_the_palette_go_back_to_the_connect_screen(sandbox, tmp_path, make_sandbox):
    other = make_sandbox(seed=3)
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    path.write_text(
        f'[profiles.one]\nurl = "{sandbox.url}"\ntoken = "{sandbox.token}"\n'
        f'[profiles.two]\nurl = "{other.url}"\ntoken = "{other.token}"\n'
    )
    app = MediaTuiApp(Settings.resolve(load(path), profile="one", environ={}), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert len(titles(app)) == 40
        assert "Switch community" in [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("c")
        await wait_for(pilot, lambda: connect_shown(app))
        app.screen.query_one("#profile").value = "two"
        await pilot.pause()
        assert app.screen.query_one("#url").value == other.url and app.screen.query_one("#token").value == ""
        await pilot.press("f4")
        await wait_for(pilot, lambda: screen_name(app) == "BrowseScreen" and len(titles(app)) == 3)
        assert app.settings.profile == "two" and "two" in app.sub_title
        await pilot.press("c")
        await wait_for(pilot, lambda: connect_shown(app))
        await pilot.press("escape")  # back as it was
        await wait_for(pilot, lambda: screen_name(app) == "BrowseScreen")
        assert len(titles(app)) == 3


MUTATING_TITLES = ("Delete", "Delete marked", "Edit", "New media (URL, Vimeo, embed)", "Upload")


async def test_read_only_hides_every_change_and_refuses_its_keys(sandbox, tmp_path):
    from mediatui.tui.screens.help_modal import key_help

    app = app_for(tmp_path, sandbox.url, sandbox.token, read_only=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert "read-only" in app.sub_title
        palette = [c.title for c in app.get_system_commands(app.screen)]
        helped = [d for _, d in key_help(app.screen)]
        footer = [b.binding.description for b in app.screen.active_bindings.values() if b.binding.show]
        for title in MUTATING_TITLES:
            assert title not in palette and title not in helped and title not in footer, title
        assert "Search" in palette and "Search" in helped  # the rest is still there
        before = len(titles(app))
        await pilot.press("space", "d", "D", "e", "n", "u")
        await settle(pilot)
        assert screen_name(app) == "BrowseScreen"
        assert any("read-only profile" in str(n.message) for n in app._notifications)
        assert len(titles(app)) == before and not sandbox.sandbox.request_log
        from mediatui.api import MediaClient

        with MediaClient(sandbox.url, sandbox.token) as client:
            assert client.list(limit=1).count == 40  # every media still there: nothing was sent


async def test_insecure_warns_in_the_header_of_every_screen(sandbox, tmp_path):
    app = app_for(tmp_path, sandbox.url, sandbox.token, verify=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "TLS NOT VERIFIED" in app.sub_title
        for key in ("f1", "escape", "c"):
            await pilot.press(key)
            await pilot.pause()
            header = app.screen.query("Header")
            if header:
                assert "TLS NOT VERIFIED" in app.sub_title


async def test_the_theme_chosen_is_saved_to_the_config(sandbox, tmp_path):
    app = app_for(tmp_path, sandbox.url, sandbox.token)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await wait_for(pilot, lambda: (tmp_path / "config" / "config.toml").exists())
    assert load(tmp_path / "config" / "config.toml").theme == "nord"
    again = MediaTuiApp(Settings.resolve(load(tmp_path / "config" / "config.toml"), url=sandbox.url, environ={}))
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


def test_no_color_is_honoured(monkeypatch):
    from textual.filter import Monochrome, NoColor

    monkeypatch.setenv("NO_COLOR", "1")
    app = MediaTuiApp(Settings("", Secret("")))
    assert app.no_color and any(isinstance(f, (Monochrome, NoColor)) for f in app._filters)


@pytest.mark.parametrize("read_only", [False, True])
async def test_every_binding_is_described_in_help_and_palette(sandbox, tmp_path, read_only):
    """Walk the full screens: each binding has a description and is in the help and the palette alike."""
    from mediatui.tui.screens.help_modal import key_help
    from mediatui.tui.widgets.keys_footer import full_name

    app = app_for(tmp_path, sandbox.url, sandbox.token, read_only=read_only)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        openers = {
            None: "BrowseScreen",
            "c": "ConnectScreen",
            "u": "UploadScreen",
            "e": "EditFormScreen",
            "n": "CreateFormScreen",
        }
        for opener, name in openers.items():
            if read_only and opener in ("u", "e", "n"):
                continue  # refused in a read-only profile (tested above)
            if opener:
                await wait_for(pilot, lambda: screen_name(app) == "BrowseScreen")
                await pilot.press(opener)
                await wait_for(pilot, lambda name=name: screen_name(app) == name, what=name)
            screen = app.screen
            helped = {d for _, d in key_help(screen)}
            palette = {c.title for c in app.get_system_commands(screen)}
            for binding in screen.BINDINGS:
                if screen.check_action(binding.action, ()) is False or binding.action == "stay":
                    continue  # refused (read-only), or q where no text box takes it: it does nothing, on purpose
                assert binding.description, (screen_name(app), binding.key)
                if binding.action == "back" and name == "BrowseScreen":  # help row: "Into the detail (escape back)"
                    assert any("escape back" in row for row in helped)
                    continue
                shown = helped | {part for row in helped for part in row.split(" / ")}  # "Down / Up" names both
                name_ = full_name(binding)  # the footer's short label ("New") is the long name elsewhere
                assert name_ in shown, (screen_name(app), name_)
                assert name_ in palette, (screen_name(app), name_)
            await pilot.press("f1")
            await wait_for(pilot, lambda: screen_name(app) == "HelpModal")
            await pilot.press("escape")
            await wait_for(pilot, lambda name=name: screen_name(app) == name)
            if opener:
                await pilot.press("escape")  # back to the list


async def test_the_apps_log_holds_workers_and_requests_and_no_secret(sandbox, tmp_path):
    from mediatui.settings.logsetup import start_log, stop_log

    path = tmp_path / "tui.log"
    handler = start_log(path, secrets=[sandbox.token])
    try:
        app = app_for(tmp_path, sandbox.url, sandbox.token)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("c")
            await wait_for(pilot, lambda: connect_shown(app))
            await fill(pilot, sandbox.url, "typed-SECRET-token")
            await press_test(pilot, "401")
    finally:
        stop_log(handler)
    text = path.read_text()
    assert "worker mediatui-connect start" in text and "worker mediatui-connect end: ok" in text
    assert "GET /api/v2/media/?limit=50&offset=0 -> 200" in text and "-> 401" in text
    for secret in (sandbox.token, "typed-SECRET-token", "Authorization", "Bearer"):
        assert secret not in text, secret


async def test_keys_typed_right_after_c_land_in_the_connect_screen(sandbox, tmp_path):
    from tui_helpers import burst

    app = app_for(tmp_path, sandbox.url, sandbox.token)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "c" + "\x15" + "http://typed.example")  # ctrl+u clears the URL field, then the new one
        await wait_for(
            pilot,
            lambda: connect_shown(app) and app.screen.query_one("#url").value == "http://typed.example",
        )


async def test_a_refused_token_puts_the_cursor_in_the_token_box_and_keeps_the_url(sandbox, tmp_path):
    """After a 401 the URL was right: focus on the URL with its text selected made a pasted token (or a q)
    replace it. The token box has the focus, the URL is kept and not selected."""
    app = app_for(tmp_path, sandbox.url, "wrong-token")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: connect_shown(app))
        await settle(pilot)
        url = app.screen.query_one("#url")
        assert app.focused is app.screen.query_one("#token")
        assert url.value == sandbox.url and url.selection.is_empty
        await pilot.press("q", *sandbox.token)
        await pilot.pause()
        assert url.value == sandbox.url and app.screen.query_one("#token").value == "q" + sandbox.token


async def test_a_token_refused_on_a_later_page_opens_the_connect_screen(tmp_path):
    """The token may expire while the list is open: a 401 on page 2 (not only on page 1) asks for a new one."""
    from urllib.parse import parse_qs, urlparse

    from hostile_server import HostileServer, media, send_json

    def pages(handler) -> None:
        offset = int(parse_qs(urlparse(handler.path).query).get("offset", ["0"])[0])
        if offset:
            send_json(handler, 401, {"detail": "Token expired."})
            return
        send_json(handler, 200, {"count": 120, "results": [media(i, title=f"m{i}") for i in range(120, 70, -1)]})

    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", pages)
        app = app_for(tmp_path, server.url, "tok-expired-1")
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: len(titles(app)) == 50, what="page one")
            await pilot.press("G")
            await wait_for(pilot, lambda: connect_shown(app), what="the connect screen")
            assert "refused the token (401)" in str(app.screen.query_one("#connect-reason").render())


def header(app) -> str:
    """The header's words as drawn (Textual's HeaderTitle: title, then sub-title)."""
    return " ".join(str(widget.render()) for widget in app.screen.query("HeaderTitle"))


async def test_every_screen_names_the_community_by_profile_and_host_at_80x24(sandbox, tmp_path):
    """Issue 24: the list, the edit form, the new-media form and the upload screen each say which community:
    the profile and the host, as the profile gives both (never one profile's name beside another's URL)."""
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir()
    path.write_text(f'[profiles.team-a]\nurl = "{sandbox.url}"\ntoken = "{sandbox.token}"\n')
    host = sandbox.url.removeprefix("http://")
    app = MediaTuiApp(Settings.resolve(load(path), profile="team-a", environ={}), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert f"team-a · {host} · connected" in header(app), header(app)
        for key, name in (("e", "EditFormScreen"), ("n", "CreateFormScreen"), ("u", "UploadScreen")):
            await pilot.press(key)
            await wait_for(pilot, lambda name=name: screen_name(app) == name and app.focused is not None, what=name)
            await pilot.pause()
            assert f"team-a · {host}" in header(app), (name, header(app))
            assert "http://" not in header(app), (name, header(app))
            await pilot.press("escape")
            await wait_for(pilot, lambda: screen_name(app) == "BrowseScreen", what="back")

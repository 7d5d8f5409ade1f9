"""Issue 25, on the list: Y copies the media's JSON, ctrl+y its id, O shows its links as OSC 8 hyperlinks.

Against the sandbox, or the hostile server for text that must stay inert. The clipboard is checked where the
terminal would get it: the OSC 52 sequence written to the app's driver (decoded), not only `app.clipboard`.
"""

from __future__ import annotations

import base64
import json
import re

import httpx
import pytest
from textual.geometry import Region

from hostile_server import NASTY, HostileServer, media, send_json
from mediatui.sanitize import is_inert
from tui_helpers import make_app, settle, wait_for

OSC52 = re.compile(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


def clipboard_writes(app) -> list[str]:
    """Every OSC 52 payload the app writes to its terminal from now on, decoded (a spy on the driver's writes)."""
    payloads: list[str] = []
    driver = app._driver
    write = driver.write

    def spy(data: str) -> None:
        payloads.extend(base64.b64decode(found).decode() for found in OSC52.findall(data))
        write(data)

    driver.write = spy
    return payloads


def toasts(app) -> list[tuple[str, str]]:
    return [(str(n.title or ""), str(n.message)) for n in app._notifications]


async def test_capital_y_copies_the_media_json_and_ctrl_y_its_id(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        copied = clipboard_writes(app)
        await pilot.press("j")
        await settle(pilot)
        media_id = app.screen.table.current.id
        await pilot.press("Y")
        await wait_for(pilot, lambda: len(copied) == 1, what="the JSON on the clipboard")
        auth = {"Authorization": f"Bearer {sandbox.token}"}
        served = httpx.get(f"{sandbox.url}/api/v2/media/{media_id}/", headers=auth)
        assert json.loads(copied[0]) == served.json()  # the media as the server gave it, fields it alone knows too
        assert "\n" not in copied[0]  # one line: pasted into a shell, it is one argument, never a command
        title, said = toasts(app)[-1]
        assert title == "JSON copied" and said.startswith('{"') and len(said) <= 120
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: len(copied) == 2, what="the id on the clipboard")
        assert copied[1] == str(media_id)
        assert toasts(app)[-1] == ("Id copied", str(media_id))


async def test_copied_json_of_a_hostile_media_is_inert_and_still_the_same_json():
    def page(handler):
        send_json(handler, 200, {"count": 1, "next": None, "previous": None, "results": [media(5)]})

    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", page)
        app = make_app(server, token="t")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            copied = clipboard_writes(app)
            await pilot.press("Y")
            await wait_for(pilot, lambda: len(copied) == 1, what="copied")
    assert is_inert(copied[0])
    assert json.loads(copied[0])["title"] == f"title {NASTY}"  # escaped, not lost: the same text, pasted back
    assert all(is_inert(title) and is_inert(said) for title, said in toasts(app))


def drawn(widget) -> tuple[str, str]:
    """The widget's lines as the terminal would get them (escape sequences included), and as text."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "".join(strip.render(widget.app.console) for strip in lines), "".join(strip.text for strip in lines)


@pytest.mark.smoke
async def test_capital_o_shows_the_links_as_osc_8_hyperlinks_and_plain_text(sandbox):
    from mediatui.tui.screens.links_modal import LinksModal

    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j")  # #2: a url media with a link and a picture
        await settle(pilot)
        current = app.screen.table.current
        await pilot.press("O")
        await wait_for(pilot, lambda: isinstance(app.screen, LinksModal), what="the links")
        await pilot.pause()
        body = app.screen.query_one("#links-body")
        out, plain = drawn(body)
        assert "\x1b]8;id=" in out and f";{current.url}\x1b\\" in out  # a hyperlink the terminal opens
        assert current.url in plain.replace(" ", "")  # and the text itself, to select where links do not work
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LinksModal), what="closed")


async def test_a_link_that_could_break_out_of_osc_8_is_plain_text_only():
    """A URL with controls, spaces or another scheme is shown inert and never made a hyperlink."""
    bad = "https://x.invalid/a\x1b\\\x1b]8;;https://evil.invalid\x1b\\"

    def page(handler):
        results = [media(5, type="url", url=bad, image="javascript:alert(1)")]
        send_json(handler, 200, {"count": 1, "next": None, "previous": None, "results": results})

    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", page)
        app = make_app(server, token="t")
        async with app.run_test(size=(80, 24)) as pilot:
            from mediatui.tui.screens.links_modal import LinksModal

            await settle(pilot)
            await pilot.press("O")
            await wait_for(pilot, lambda: isinstance(app.screen, LinksModal), what="the links")
            await pilot.pause()
            body = app.screen.query_one("#links-body")
            out, plain = drawn(body)
    assert "\x1b]8;" not in out and "evil.invalid" in plain and is_inert(plain)
    assert "not a web link" in plain

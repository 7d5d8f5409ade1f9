"""The list screen against a failing, slow or strange server, over real loopback HTTP."""

from __future__ import annotations

import random
import select
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from mediatui.sandbox import Faults
from mediatui.sanitize import is_inert
from mediatui.settings.config import Secret, Settings
from mediatui.tui.app import MediaTuiApp
from tui_helpers import NOW, detail, make_app, notice, settle, status, titles, wait_for


@contextmanager
def hostile_server(handler_body):
    """A tiny HTTP server written in the test: `handler_body(handler)` answers each request."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            handler_body(self)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _json(handler, status_code: int, body: bytes, headers: dict | None = None) -> None:
    handler.send_response(status_code)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        handler.send_header(k, v)
    handler.end_headers()
    handler.wfile.write(body)


def _app(url: str, token: str = "t") -> MediaTuiApp:
    return MediaTuiApp(Settings(url, Secret(token)), clock=lambda: NOW)


async def test_reads_are_retried_on_5xx_and_429(make_sandbox):
    faults = Faults(fail_rate=1.0, seed=1)
    server = make_sandbox(seed=10, faults=faults)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: "retrying" in status(app), what="a retry in the status line")
        faults.fail_rate = 0.0
        await wait_for(pilot, lambda: "10 of 10 loaded" in status(app), what="the page after retries")
        assert app.sub_title.endswith("connected") and "disconnected" not in app.sub_title


async def test_a_failed_page_goes_to_the_status_line_once_and_G_retries(make_sandbox):
    faults = Faults()
    server = make_sandbox(seed=120, faults=faults)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        faults.fail_rate = 1.0
        await pilot.press("G")
        await wait_for(pilot, lambda: "page 2 failed" in status(app), timeout=30, what="the failure")
        assert "r retries" in status(app)
        assert "disconnected" in app.sub_title
        for _ in range(5):
            await pilot.press("k", "j")
        await settle(pilot)
        assert len(app._notifications) <= 1  # one toast per distinct error, not one per key
        faults.fail_rate = 0.0
        await pilot.press("G")  # on the last row: tries the failed page again
        await wait_for(pilot, lambda: "100 of 120 loaded" in status(app), timeout=30, what="the retried page")
        assert "disconnected" not in app.sub_title


@pytest.mark.serial
async def test_q_quits_within_a_second_while_a_request_hangs():
    with socket.socket() as listener:  # accepts, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        result: dict = {}

        def run() -> None:
            import asyncio

            async def main() -> None:
                app = _app(url)
                async with app.run_test(size=(80, 24)) as pilot:
                    # until the app's request waits in the listener's backlog (never accepted, never answered)
                    await wait_for(pilot, lambda: select.select([listener], [], [], 0)[0], what="the request")
                    result["pressed"] = time.monotonic()
                    await pilot.press("q")

            asyncio.run(main())  # like App.run: asyncio.run waits for the default executor
            result["done"] = time.monotonic()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(15)
        assert "done" in result, "the app did not quit while a request hung"
        assert result["done"] - result["pressed"] < 1.0


async def test_401_with_escape_sequences_is_inert_and_says_what_to_do():
    body = b'{"detail": "Invalid token.\\u001b]0;pwned\\u0007 \\u001b[2J \\u009b31m"}'
    with hostile_server(lambda h: _json(h, 401, body)) as url:
        app = _app(url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            shown = notice(app)
            assert "the token was refused" in shown.lower()
            assert "MEDIATUI_TOKEN" in shown and " r " in shown + " "
            assert is_inert(shown.replace("\n", " "))
            assert "␛]0;pwned␇" in shown
            assert is_inert(status(app))


@pytest.mark.parametrize("url", ["ftp://x", "http://h:notaport"])
async def test_an_invalid_url_is_shown_not_a_traceback(url):
    app = _app(url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.is_running
        assert "not connected" in status(app)
        assert notice(app).strip()


def _page(media: list[dict]) -> bytes:
    import json

    return json.dumps({"count": len(media), "next": None, "previous": None, "results": media}).encode()


ODD = [
    {"id": 1, "type": "share", "title": "naive time", "added_at": "2026-11-28T11:00:00"},
    {"id": 2, "type": "mystery", "title": ["a", "list"], "added_at": "yesterday"},
    {
        "id": "3",
        "type": "image",
        "title": "numbers as strings",
        "image_width": "640",
        "image_height": "480.0",
        "added_at": 1764000000,
    },
    {
        "id": 4,
        "type": ["image"],
        "title": {"en": "dict"},
        "url": ["https://x"],
        "description": 12,
        "choice_images": "nope",
        "embed": ["x"],
        "added_at": "2026-13-45T99:00:00Z",
    },
    {"id": 5, "type": None, "title": "C1 \u009b2J and bidi \u202eevil", "added_at": "2026-11-28T11:00:00+02:00"},
]


async def test_odd_data_never_crashes():
    with hostile_server(lambda h: _json(h, 200, _page(ODD))) as url:
        app = _app(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert app.is_running
            assert "5 of 5 loaded" in status(app)
            for _ in range(5):
                await pilot.press("j")
                await settle(pilot)
                assert is_inert(detail(app).replace("\n", " "))
            assert all(is_inert(t) for t in titles(app))
            assert any("⟨U+009B⟩" in t for t in titles(app))


async def test_copy_never_puts_control_characters_on_the_clipboard():
    media = [{"id": 1, "type": "url", "title": "t", "url": "https://x/\x1b[2J\u009b0m"}]
    with hostile_server(lambda h: _json(h, 200, _page(media))) as url:
        app = _app(url)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert app.clipboard and is_inert(app.clipboard)
            for note in app._notifications:
                assert is_inert(note.message) and is_inert(note.title or "")


async def test_gone_is_reset_on_reload():
    """Catalogue mode: #2 answered 404, then the server has it again; r shows it undimmed."""
    import json

    has_two = {"now": True}
    media = {
        1: {"id": 1, "type": "url", "title": "one", "added_at": "2026-11-28T11:00:00Z"},
        2: {"id": 2, "type": "url", "title": "two", "added_at": "2026-11-28T10:00:00Z"},
    }

    def answer(h):
        parts = [p for p in h.path.split("?")[0].split("/") if p]
        if parts == ["api", "v2", "media"]:
            return _json(h, 404, b'{"detail": "Not found."}')
        media_id = int(parts[-1])
        if media_id in media and (media_id != 2 or has_two["now"]):
            return _json(h, 200, json.dumps(media[media_id]).encode())
        return _json(h, 404, b'{"detail": "Not found."}')

    with hostile_server(answer) as url:
        app = _app(url)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            burst_keys = ["o", *"1, 2", "enter"]
            await pilot.press(*burst_keys)
            await settle(pilot)
            table = app.screen.query_one("#table")
            has_two["now"] = False
            table.move_cursor(row=table.get_row_index("2"))
            await settle(pilot)
            assert 2 in table.gone
            has_two["now"] = True
            table.move_cursor(row=table.get_row_index("1"))
            await settle(pilot)
            await pilot.press("r")
            await settle(pilot)
            assert table.get_row_index("1") == table.cursor_row
            assert 2 not in table.gone


async def test_crash_screen_shows_no_locals(sandbox):
    app = make_app(sandbox)
    printed: list = []
    print_errors = app._print_error_renderables
    app._print_error_renderables = lambda: (printed.extend(app._exit_renderables), print_errors())
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)

            def bug(token=sandbox.token):  # a local that a traceback with locals would print
                return token and 1 / 0

            app.call_later(bug)
            await pilot.pause()
            await pilot.pause()
    rendered = ""
    for renderable in printed:
        rendered += "".join(segment.text for segment in renderable.segments)
    assert "ZeroDivisionError" in rendered
    assert sandbox.token not in rendered


class _LongestWaits(random.Random):
    """The retries' clock at its longest draw, so that a retry's words stay up 2 s and more (a draw near 0 let
    the three tries and their words pass between two looks of a test on a loaded machine)."""

    def uniform(self, a: float, b: float) -> float:
        return b


async def test_the_header_says_disconnected_while_the_first_page_is_retried(make_sandbox, monkeypatch):
    from mediatui.api import retry

    monkeypatch.setattr(retry.READ_POLICY, "rng", _LongestWaits())
    monkeypatch.setattr(retry.READ_POLICY, "base", 2.0)
    server = make_sandbox(seed=10, faults=Faults(fail_rate=1.0, seed=1))
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: "retrying in" in status(app) + notice(app), what="a retry said")
        assert "disconnected" in str(app.sub_title)
        server.config.faults.fail_rate = 0.0
        await wait_for(pilot, lambda: "connected" in str(app.sub_title) and "dis" not in str(app.sub_title))


async def test_a_404_on_a_later_page_is_a_failed_page_not_a_server_without_a_list():
    """Only page one tells whether the server has a list. A 404 later (a proxy's hiccup, DRF's "Invalid page")
    fails that page: the rows stay, the status line says so, and G tries it again."""
    from urllib.parse import parse_qs, urlparse

    from hostile_server import HostileServer, media, send_json
    from mediatui.settings.config import Secret, Settings
    from mediatui.tui.app import MediaTuiApp
    from tui_helpers import NOW, titles

    missed = []

    def pages(handler) -> None:
        offset = int(parse_qs(urlparse(handler.path).query).get("offset", ["0"])[0])
        if offset == 50 and not missed:
            missed.append(offset)
            send_json(handler, 404, {"detail": "Invalid page."})
            return
        ids = range(120 - offset, max(0, 120 - offset - 50), -1)
        send_json(handler, 200, {"count": 120, "results": [media(i, title=f"m{i}") for i in ids]})

    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", pages)
        app = MediaTuiApp(Settings(server.url, Secret("t")), clock=lambda: NOW)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: len(titles(app)) == 50, what="page one")
            await pilot.press("G")
            await wait_for(pilot, lambda: "page 2 failed" in status(app), what="page two failing")
            assert len(titles(app)) == 50 and "server list" in status(app)
            await pilot.press("G")
            await wait_for(pilot, lambda: len(titles(app)) == 100, what="page two again")


async def test_a_url_that_is_not_the_api_says_so_on_the_list_instead_of_an_empty_catalogue():
    """A web site's HTML 404 on every path used to open an empty catalogue ("no media list")."""
    from hostile_server import HostileServer, send

    with HostileServer() as server:
        server.route("GET", "/", lambda h: send(h, 404, "<!doctype html><h1>Not Found</h1>", "text/html"))
        app = _app(server.url)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: "does not look like a SelfCommunity API" in notice(app), what="said")
            assert "catalogue" not in status(app)

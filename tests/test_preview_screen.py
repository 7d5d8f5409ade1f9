"""Previews in the list: a picture of the current media, a reason when there is none, never a wait on keys."""

from __future__ import annotations

import io

import httpx
import pytest
from humanize import naturalsize
from PIL import Image
from rich.text import Text

from hostile_server import HostileServer, send
from mediatui.api import MediaClient
from mediatui.pictures.fetch import Fetcher
from mediatui.tui.screens.preview_modal import PreviewModal
from mediatui.tui.widgets.media_preview import MediaPreview
from tui_helpers import burst, make_app, plain, settle, wait_for


def png(width: int, height: int, mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (width, height), "teal" if mode == "RGB" else 1).save(buf, "PNG")
    return buf.getvalue()


def preview_text(app) -> str:
    widget = app.screen.query_one(MediaPreview)
    return plain(widget.content) if widget.display else ""


async def go_to(pilot, media_id: int) -> None:
    table = pilot.app.screen.table
    row = next(n for n, key in enumerate(table.ordered_rows) if key.key.value == str(media_id))
    table.move_cursor(row=row)
    await settle(pilot)


def own_media(server, count: int) -> list[int]:
    """Ids of media the sandbox's token may change (the seed gives some to another user)."""
    from mediatui.api import Forbidden

    mine = []
    with MediaClient(server.url, server.token) as client:
        for media in client.list(limit=100).results:
            try:
                client.patch(media.id, {"order": 1})
            except Forbidden:
                continue
            mine.append(media.id)
    return mine[:count]


def pictures_from(files, server, count: int) -> list[int]:
    """`count` media of the sandbox whose `image` is a picture on the `files` server (which counts requests)."""
    files.route("GET", "/img/", lambda h: send(h, 200, png(64, 32), "image/png"))
    ids = own_media(server, count)
    with MediaClient(server.url, server.token) as client:
        for media_id in ids:
            client.patch(media_id, {"image": f"{files.url}/img/{media_id}.png"})
    return ids


@pytest.mark.smoke
async def test_an_image_shows_a_picture_with_its_size(make_sandbox):
    server = make_sandbox(seed=12)
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        with MediaClient(server.url, server.token) as client:
            image = next(m for m in client.list(limit=20).results if str(m.type) == "image")
        await go_to(pilot, image.id)
        await wait_for(pilot, lambda: "thumb ·" in preview_text(app), what="the picture")
        shown = preview_text(app)
        thumb = image.thumbnail
        small, whole = (len(httpx.get(url).content) for url in (thumb.url, image.image))
        assert small < whole  # the panel fetched the thumbnail: it has every pixel the slot draws
        assert "▀" in shown and f"{thumb.width}×{thumb.height} thumb · {naturalsize(small)}" in shown
        await pilot.press("p")
        facts = lambda: plain(app.screen.query_one("#preview-facts").content)  # noqa: E731
        await wait_for(
            pilot, lambda: isinstance(app.screen, PreviewModal) and "px" in facts(), what="the full-screen picture"
        )
        assert f"{image.image_width}×{image.image_height}" in facts()  # p: the file itself
        await pilot.press("plus")
        await wait_for(pilot, lambda: "zoom 2×" in plain(app.screen.query_one("#preview-facts").content))
        await pilot.press("escape")
        assert not isinstance(app.screen, PreviewModal)


@pytest.mark.parametrize(
    "path, words",
    [
        ("/missing.png", "not there (404)"),
        ("/huge.png", "too large"),
        ("/slow.png", "timed out"),
        ("/page.png", "not an image"),
        ("/bomb.png", "too many to decode"),
    ],
)
async def test_a_picture_that_cannot_be_shown_says_why(make_sandbox, path, words):
    server = make_sandbox(seed=12)
    with HostileServer() as files:
        files.route("GET", "/huge.png", lambda h: send(h, 200, b"x" * 3000, "image/png"))
        files.route("GET", "/slow.png", files.trickle(every=0.2))
        files.route("GET", "/page.png", lambda h: send(h, 200, "<html>a page</html>", "text/html"))
        bomb = png(10_000, 8_000, mode="1")
        files.route("GET", "/bomb.png", lambda h: send(h, 200, bomb, "image/png"))
        [media_id] = own_media(server, 1)
        with MediaClient(server.url, server.token) as client:
            client.patch(media_id, {"image": files.url + path})
        app = make_app(server)
        async with app.run_test(size=(120, 40)) as pilot:
            limit = 2_000 if path == "/huge.png" else 10_000_000
            fetcher = Fetcher(timeout=1.0, max_bytes=limit, allowed_hosts={"127.0.0.1"})  # a loopback file server
            app.previews.fetcher = lambda: fetcher
            await settle(pilot)
            await go_to(pilot, media_id)
            await wait_for(pilot, lambda: "no preview" in preview_text(app), what="a placeholder")
            assert words in preview_text(app)
            assert app.is_running


async def test_holding_j_over_many_pictures_fetches_only_where_the_cursor_rests(make_sandbox):
    server = make_sandbox(seed=60)
    with HostileServer() as files:
        pictures_from(files, server, 50)
        app = make_app(server)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("G")  # every page loaded first, so that no key of the burst meets the end
            await wait_for(pilot, lambda: app.screen.table.row_count == 60, what="all rows")
            await pilot.press("g")
            await settle(pilot)
            before = len(files.requests)
            burst(app, "j" * 50)  # as one read from a laggy link
            await wait_for(pilot, lambda: app.screen.table.cursor_row == 50, what="the 50 moves")
            await settle(pilot)
            fetched = [p for _, p, _ in files.requests[before:]]
            assert len(fetched) <= 3, fetched
            assert not any("Authorization" in h for _, _, h in files.requests)


async def test_P_turns_previews_off_and_nothing_is_fetched(make_sandbox):
    server = make_sandbox(seed=12)
    with HostileServer() as files:
        ids = pictures_from(files, server, 2)
        app = make_app(server)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("P")
            before = len(files.requests)
            for media_id in ids:
                await go_to(pilot, media_id)
                assert preview_text(app) == ""
            assert len(files.requests) == before


async def test_the_thumbnails_colour_fills_the_slot_while_the_picture_comes(make_sandbox):
    import threading

    server = make_sandbox(seed=12)
    app = make_app(server)
    gate = threading.Event()

    class SlowLink:  # a fault: the pictures take as long as the test says
        def __init__(self, real) -> None:
            self.real = real

        def fetch(self, url: str) -> bytes:
            gate.wait(10)
            return self.real.fetch(url)

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)  # the first row's picture came at full speed
        real = app.previews.fetcher
        app.previews.fetcher = lambda: SlowLink(real())
        with MediaClient(server.url, server.token) as client:
            image = [m for m in client.list(limit=20).results if str(m.type) == "image"][1]  # not the first row
        table = app.screen.table
        table.move_cursor(row=next(n for n, key in enumerate(table.ordered_rows) if key.key.value == str(image.id)))
        slot = app.screen.query_one(MediaPreview)  # (no settle: it would wait for the picture)
        await wait_for(pilot, lambda: slot.busy and isinstance(slot.content, Text), what="the colour")
        assert str(slot.content.style) == f"on {image.thumbnail.color}" and slot.content.plain.strip() == ""
        gate.set()
        await wait_for(pilot, lambda: "thumb ·" in preview_text(app), what="the picture")


async def test_the_same_media_shown_again_before_its_picture_came_still_gets_it(make_sandbox):
    """The panel drawn twice for one media within the rest time (z z; catalogue mode draws a row, reads it
    again and draws it again) stopped the picture's timer and started none: the slot stayed empty."""
    server = make_sandbox(seed=12)
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        with MediaClient(server.url, server.token) as client:
            image = [m for m in client.list(limit=20).results if str(m.type) == "image"][1]
        table = app.screen.table
        table.move_cursor(row=next(n for n, key in enumerate(table.ordered_rows) if key.key.value == str(image.id)))
        await pilot.press("z", "z")
        await wait_for(pilot, lambda: "thumb ·" in preview_text(app), what="the picture", timeout=5)

"""Previews without the TUI: the token never goes to a file's host, and every bad file is a reason, not a crash."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from rich.console import Console

from hostile_server import HostileServer, send
from mediatui.api import MediaClient
from mediatui.pictures.fetch import Fetcher, PreviewError
from mediatui.pictures.preview import HalfBlock, PictureCache, document_facts, picture


def png(width: int, height: int, mode: str = "RGB") -> bytes:
    buf = io.BytesIO()
    Image.new(mode, (width, height), "red" if mode == "RGB" else 1).save(buf, "PNG")
    return buf.getvalue()


def test_the_token_never_goes_with_a_file_on_the_same_host_or_another():
    with HostileServer() as api, HostileServer() as cdn:
        for server in (api, cdn):
            server.route("GET", "/media/a.png", lambda h: send(h, 200, png(40, 20), "image/png"))
        api.route(
            "GET", "/media/moved.png", lambda h: send(h, 302, b"", headers={"Location": cdn.url + "/media/a.png"})
        )
        fetcher = Fetcher(allowed_hosts={"127.0.0.1"})  # a loopback test server: allowed, as preview_hosts does
        for url in (api.url + "/media/a.png", cdn.url + "/media/a.png", api.url + "/media/moved.png"):
            assert fetcher.fetch(url).startswith(b"\x89PNG")
        with MediaClient(api.url, "the-token") as client:  # the API client itself, given a file's URL
            client._http.get(cdn.url + "/media/a.png")
        fetcher.close()
        seen = [headers for server in (api, cdn) for _, _, headers in server.requests]
        assert seen and not [h for h in seen if any(k.lower() == "authorization" for k in h)]


def test_the_api_client_still_sends_the_token_to_its_own_api():
    with HostileServer() as api:
        with MediaClient(api.url, "the-token") as client:
            try:
                client.get(1)
            except Exception:  # noqa: BLE001 - the hostile server answers 404; only the header matters
                pass
        assert api.requests[0][2].get("Authorization") == "Bearer the-token"


@pytest.mark.parametrize(
    "case, words",
    [
        ("404", "not there (404)"),
        ("large", "too large"),
        ("stream-large", "too large"),
        ("slow", "timed out"),
        ("ftp", "not an http(s)"),
    ],
)
def test_failed_fetches_say_why(case, words):
    with HostileServer() as server:
        server.route("GET", "/large", lambda h: send(h, 200, b"x" * 2000, "image/png"))  # declared too large
        server.route("GET", "/stream-large", lambda h: _unsized(h, 3000))
        server.route("GET", "/slow", server.trickle(every=0.2))
        server.route("GET", "/ftp", lambda h: send(h, 302, b"", headers={"Location": "ftp://x/a.png"}))
        fetcher = Fetcher(max_bytes=2_000_000 if case == "slow" else 1000, timeout=1.0, allowed_hosts={"127.0.0.1"})
        with pytest.raises(PreviewError, match=re.escape(words)):
            fetcher.fetch(f"{server.url}/{case}")
        fetcher.close()


def _unsized(handler, size: int) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "image/png")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    block = b"x" * 500
    for _ in range(size // 500):
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
    handler.wfile.write(b"0\r\n\r\n")


def test_not_an_image_and_a_decompression_bomb_are_refused():
    with pytest.raises(PreviewError, match="not an image"):
        picture(b"<html>not a picture</html>", 40, 10)
    bomb = png(10_000, 8_000, mode="1")  # 80 million pixels in a few kilobytes
    assert len(bomb) < 200_000
    with pytest.raises(PreviewError, match="too many to decode"):
        picture(bomb, 40, 10)


def test_a_picture_fits_its_cells_and_keeps_its_aspect():
    result = picture(png(400, 100), 40, 20)
    assert (result.width, result.height) == (400, 100)
    assert result.cols == 40 and result.rows == 5  # 400×100 → 40×10 pixels → 5 rows of half blocks
    console = Console(width=80, file=io.StringIO(), color_system="truecolor", record=True)
    console.print(HalfBlock(result.pixels))
    lines = console.export_text().splitlines()
    assert len(lines) == 5 and lines[0] == "▀" * 40


def test_the_cache_is_bounded_by_count_and_bytes():
    cache = PictureCache(count=2, max_bytes=100)
    one = picture(png(4, 4), 2, 1)
    for n in range(3):
        cache.put(f"u{n}", 2, 1, one)
    assert cache.get("u0", 2, 1) is None and cache.get("u2", 2, 1) is one


def test_document_facts_count_pages_without_system_binaries():
    from pypdf import PdfWriter

    buf = io.BytesIO()
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(200, 200)
    writer.write(buf)
    assert document_facts(buf.getvalue()).pages == 3
    assert document_facts(b"%PDF-1.4 nonsense").pages is None


def test_a_picture_at_a_private_address_is_refused_unless_it_is_the_apis_own_host_or_allowed():
    """A member sets a media's image to an address on the moderator's network: the moderator's machine must not
    fetch it (a request forgery). Loopback, private, link-local, unique-local and unspecified addresses need
    the profile's preview_hosts; the API's own host is always allowed; every redirect hop is checked again."""
    with HostileServer() as server:
        port = server.url.rsplit(":", 1)[1]
        server.route("GET", "/a.png", lambda h: send(h, 200, png(2, 2), "image/png"))
        server.route("GET", "/hop", lambda h: send(h, 302, b"", headers={"Location": f"http://localhost:{port}/a.png"}))
        api_host = Fetcher(allowed_hosts={"127.0.0.1"})
        assert api_host.fetch(f"http://127.0.0.1:{port}/a.png") == png(2, 2)  # the API's own host
        for url in (
            f"http://localhost:{port}/a.png",
            f"http://127.0.0.1:{port}/hop",
            f"http://[::ffff:127.0.0.2]:{port}/a.png",
        ):
            with pytest.raises(PreviewError, match="a private address: add it to preview_hosts to allow it"):
                api_host.fetch(url)
        allowed = Fetcher(allowed_hosts={"127.0.0.1", "localhost"})  # preview_hosts = ["localhost"]
        assert allowed.fetch(f"http://127.0.0.1:{port}/hop") == png(2, 2)
        for url in (
            "http://0.0.0.0/a.png",
            "http://169.254.169.254/latest",
            "http://[fe80::1]/a.png",
            "http://10.1.2.3/a.png",
        ):
            with pytest.raises(PreviewError, match="private address"):
                api_host.fetch(url)  # refused before any connection is tried


def test_preview_hosts_in_a_profile_reach_the_fetcher(tmp_path):
    from mediatui.community import Community
    from mediatui.settings.config import Settings
    from mediatui.settings.profiles import load

    path = tmp_path / "config.toml"
    path.write_text(
        '[profiles.p]\nurl = "https://api.example:8443"\ntoken = "tok-123456789"\npreview_hosts = ["nas.lan"]\n'
    )
    settings = Settings.resolve(load(path), profile="p", environ={})
    assert settings.preview_hosts == ("nas.lan",)
    assert Community(settings).fetcher().allowed_hosts == {"api.example:8443", "nas.lan"}


def test_the_apis_own_host_is_allowed_at_its_own_port_only_and_a_name_that_does_not_resolve_is_refused():
    with HostileServer() as api, HostileServer() as other:
        api.route("GET", "/a.png", lambda h: send(h, 200, png(2, 2), "image/png"))
        other.route("GET", "/admin", lambda h: send(h, 200, png(2, 2), "image/png"))
        fetcher = Fetcher(allowed_hosts={f"127.0.0.1:{api.url.rsplit(':', 1)[1]}"})  # as the community makes it
        assert fetcher.fetch(f"{api.url}/a.png") == png(2, 2)
        with pytest.raises(PreviewError, match="private address"):
            fetcher.fetch(f"{other.url}/admin")  # another port of the API's machine: a service of its network
        with pytest.raises(PreviewError, match="cannot be resolved"):
            fetcher.fetch("http://no-such-host.invalid/a.png")


def test_the_panel_takes_the_thumbnail_when_it_has_the_pixels_the_slot_draws():
    """A 1024×768 image with a 240×180 thumbnail: a slot of 40×10 cells (40×20 half-block pixels) takes the
    thumbnail; a slot that needs more pixels than it has (Kitty, ~10×20 px a cell) takes the file."""
    from mediatui.api import Media
    from mediatui.pictures.preview import panel_source

    media = Media.from_json(
        {
            "id": 1,
            "type": "image",
            "image": "https://cdn.example/full.png",
            "image_width": 1024,
            "image_height": 768,
            "image_thumbnail": {"url": "https://cdn.example/t.jpg", "width": 240, "height": 180},
        }
    )
    assert panel_source(media, 40, 10) == ("image", "https://cdn.example/t.jpg")
    assert panel_source(media, 40, 10, kitty=True) == ("image", "https://cdn.example/full.png")
    assert panel_source(media, 300, 100) == ("image", "https://cdn.example/full.png")
    small = Media.from_json({**media.to_json(), "size": 1334})  # a file smaller than any thumbnail: the file
    assert panel_source(small, 40, 10) == ("image", "https://cdn.example/full.png")
    no_thumb = Media.from_json({"id": 2, "type": "image", "image": "https://cdn.example/full.png"})
    assert panel_source(no_thumb, 40, 10) == ("image", "https://cdn.example/full.png")
    doc = Media.from_json({"id": 3, "type": "doc", "url": "https://cdn.example/a.pdf", "image_thumbnail": {}})
    assert panel_source(doc, 40, 10) == ("doc", "https://cdn.example/a.pdf")


def test_an_address_httpx_cannot_parse_says_so():
    from mediatui.pictures.fetch import Fetcher, PreviewError

    fetcher = Fetcher(timeout=2.0)
    for bad in ("http://127.0.0.1:1/img/\x1b]0;PWNED\x07.png", "http://exa mple.com/a.png"):
        with pytest.raises(PreviewError, match="not a valid address|cannot be resolved"):
            fetcher.fetch(bad)

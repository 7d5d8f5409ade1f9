"""The sandbox itself: persistence, auth shape, file safety, deterministic seed, CLI start."""

import re
import signal
import socket
import subprocess
import sys

import httpx
import pytest

from helpers import md5, png_bytes
from mediatui.api import MediaClient, MediaType, NotFound, NotTheApi
from mediatui.sandbox import SandboxConfig, SandboxServer
from mediatui.sandbox.seed import HOSTILE_TITLES


def test_data_survives_a_restart(make_sandbox, tmp_path):
    folder = tmp_path / "kept"
    first = make_sandbox(data_dir=folder, seed=5)
    with MediaClient(first.url, first.token) as client:
        created = client.create("url", url="https://example.com/kept")
        client.delete(2)
    first.stop()
    second = make_sandbox(data_dir=folder, seed=5)  # not seeded again: the store is not empty
    with MediaClient(second.url, second.token) as client:
        assert client.get(created.id).url == "https://example.com/kept"
        assert client.list().count == 5
        assert client.get(1).image.startswith(second.url)


def test_401_is_json_with_a_bearer_challenge(sandbox):
    response = httpx.get(sandbox.url + "/api/v2/media/1/")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_unknown_routes_are_an_html_404_as_django_gives_and_the_client_tells_them_apart(sandbox):
    """A route the server does not have is Django's HTML page, not DRF's JSON (that is for a missing object):
    on a media's own address, that page means the URL is not the API's (a wrong prefix), never a gone media."""
    response = httpx.get(sandbox.url + "/api/v2/nothing/", headers={"Authorization": "Bearer sandbox-token"})
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "<h1>Not Found</h1>" in response.text
    with (
        MediaClient(sandbox.url + "/wrong/prefix", sandbox.token) as lost,
        MediaClient(sandbox.url, sandbox.token) as ok,
    ):
        with pytest.raises(NotTheApi) as no_route:
            lost.get(99)
        with pytest.raises(NotFound) as no_media:
            ok.get(99)
    assert not isinstance(no_route.value, NotFound)  # nothing takes it for "already gone"
    assert "/wrong/prefix does not look like a SelfCommunity API" in no_route.value.message
    assert no_media.value.message == "No Media matches the given query."


def test_completion_is_checked_as_django_chunked_upload_does(client, sandbox):
    """The md5 is compared exactly (an upper-case digest is refused, so a client that sent one would fail here
    as on the real server), and a completion missing a field gets that library's one message."""
    data = png_bytes(500)
    status = client.upload_chunk(data, start=0, total=len(data), filename="a.png")
    url = sandbox.url + "/api/v2/media/upload/complete/"
    auth = {"Authorization": f"Bearer {sandbox.token}"}
    upper = httpx.post(url, data={"upload_id": status.upload_id, "md5": md5(data).upper()}, headers=auth)
    assert upper.status_code == 400 and upper.json() == {"detail": "md5 checksum does not match"}
    for sent in ({"upload_id": status.upload_id}, {"md5": md5(data)}, {}):
        missing = httpx.post(url, data=sent, headers=auth)
        assert missing.status_code == 400 and missing.json() == {"detail": "Both 'upload_id' and 'md5' are required"}
    assert client.complete_upload(status.upload_id, md5(data)).title == "a.png"  # ours: lower-case hex


def test_files_cannot_escape_their_folder(client, sandbox):
    for path in ("/media/../sandbox.db", "/media/%2e%2e/sandbox.db", "/media/..%2fsandbox.db"):
        assert httpx.get(sandbox.url + path).status_code == 404
    data = png_bytes(500)
    status = client.upload_chunk(data, start=0, total=len(data), filename="../../evil name.png")
    media = client.complete_upload(status.upload_id, md5(data))
    assert media.title == "evil name.png"
    assert media.image.endswith("/evil_name.png") and "/uploads/" in media.image
    stored = list((sandbox.config.data_dir / "files" / "uploads").rglob("*"))
    assert any(p.name == "evil_name.png" for p in stored)
    assert not any(p.name == "evil name.png" for p in sandbox.config.data_dir.parent.rglob("*"))


def test_seed_is_deterministic_and_covers_every_case(tmp_path):
    results = []
    for n in range(2):
        with SandboxServer(SandboxConfig(tmp_path / f"s{n}", seed=60)) as server:
            with MediaClient(server.url, server.token) as client:
                page = client.list(limit=100)
                results.append([(m.id, m.title, m.hash_code, m.added_at, m.type) for m in page.results])
    assert results[0] == results[1]
    titles = {r[1] for r in results[0]}
    assert set(HOSTILE_TITLES) <= titles
    assert {r[4] for r in results[0]} == {
        MediaType.IMAGE,
        MediaType.URL,
        MediaType.DOC,
        MediaType.VIMEO,
        MediaType.EMBED,
        MediaType.EIMAGE,
        MediaType.SHARE,
    }


def test_seeded_files_are_real(client):
    image = client.list(type="image", limit=1).results[0]
    assert httpx.get(image.image).content.startswith(b"\x89PNG")
    doc = client.list(type="doc", limit=1).results[0]
    assert httpx.get(doc.url).content.startswith(b"%PDF-")


def test_sandbox_command_starts_prints_and_stops(tmp_path):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mediatui",
            "sandbox",
            "--port",
            "0",
            "--seed",
            "3",
            "--data-dir",
            str(tmp_path),
            "--token",
            "tok",
            "--token",
            "bob:bobtok",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("mediatui sandbox on http://127.0.0.1:")
        url = line.split()[3]
        users = [proc.stdout.readline().strip() for _ in range(2)]
        assert users == ["user moderator: token tok", "user bob: token bobtok"]
        with MediaClient(url, "bobtok") as client:
            assert client.list().count == 3
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0


def test_bad_token_flag_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mediatui", "sandbox", "--token", "bob:", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "NAME:TOKEN" in result.stderr


def test_a_client_told_the_url_before_serving_waits_instead_of_being_refused(tmp_path):
    """`mediatui sandbox` prints its URL before uvicorn serves: a client that connects at once must get an answer."""
    server = SandboxServer(SandboxConfig(tmp_path, users={"tok": "moderator"}, seed=1))
    early = socket.create_connection((server.host, server.port), timeout=5)  # refused before the fix
    try:
        early.sendall(
            b"GET /api/v2/media/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok\r\nConnection: close\r\n\r\n"
        )
        server.start()
        answer = b""
        while chunk := early.recv(65536):
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 200") and b'"count":1' in answer.replace(b" ", b"")
    finally:
        early.close()
        server.stop()


def test_media_come_as_the_sdk_types_describe_them(client, sandbox):
    """SCMediaType (@selfcommunity/types): an uploaded image has its size, MIME types and a real thumbnail served
    like the file; an embed has the nested object beside the flat fields, keeping the url and metadata sent."""
    from io import BytesIO

    from PIL import Image

    data = png_bytes(60_000)
    status = client.upload_chunk(data, start=0, total=len(data), filename="big.png")
    media = client.complete_upload(status.upload_id, md5(data))
    assert (media.size, media.mimetype, media.image_mimetype) == (len(data), "image/png", "image/png")
    thumb = media.thumbnail
    assert thumb is not None and max(thumb.width, thumb.height) <= 240 and re.fullmatch(r"#[0-9a-f]{6}", thumb.color)
    picture = httpx.get(thumb.url)
    assert Image.open(BytesIO(picture.content)).size == (thumb.width, thumb.height) and len(picture.content) < len(data)
    nested = {"embed_type": "sc_link", "embed_id": "77", "url": "https://example.org/a", "metadata": {"title": "A"}}
    made = httpx.post(
        sandbox.url + "/api/v2/media/",
        json={"type": "embed", "embed": nested},
        headers={"Authorization": f"Bearer {sandbox.token}"},
    ).json()
    assert made["embed_type"] == "sc_link" and made["embed_id"] == "77"
    assert {k: made["embed"][k] for k in nested} == nested and isinstance(made["embed"]["id"], int)


def test_the_seed_holds_share_media_and_nested_embeds(make_sandbox):
    server = make_sandbox(seed=60)
    with MediaClient(server.url, server.token) as client:
        media = client.list(limit=60).results
    shares = [m for m in media if m.type == "share"]
    assert len(shares) == 2 and all(m.embed and m.embed["embed_type"] == "sc_shared_object" for m in shares)
    assert all(m.extra["share_object"]["id"] == m.embed_metadata["id"] for m in shares)
    assert all(m.embed_url and m.embed_metadata for m in media if m.type == "embed")
    assert "share" not in [m.type for m in media[:24]]  # the first 24 seeded (what most tests see) hold none
    images = [m for m in media if m.type == "image"]
    assert all(m.thumbnail and m.mimetype == "image/png" and m.size for m in images)
    assert all(m.mimetype == "application/pdf" for m in media if m.type == "doc")


def test_the_sandbox_refuses_what_django_and_drf_refuse(client, sandbox):
    """Bodies over Django's 2.5 MB, JSON nested past the parser, NUL in a nested embed, an image too large to
    decode, a media made a share by PATCH: each a 400, never a 500 nor stored."""
    import io

    from PIL import Image

    auth = {"Authorization": f"Bearer {sandbox.token}"}
    url = sandbox.url + "/api/v2/media/"
    huge = {"type": "embed", "embed": {"embed_type": "x", "embed_id": "1", "metadata": {"k": "x" * 3_000_000}}}
    assert httpx.post(url, json=huge, headers=auth).status_code == 400
    # past the parser of every Python here: 3.12's C scanner reads 1,000 levels, 3.13's 5,000 (not 100,000)
    deep = '{"type": "embed", "embed_type": "x", "embed_id": "1", "a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert httpx.post(url, content=deep, headers={**auth, "Content-Type": "application/json"}).status_code == 400
    nul = {"type": "embed", "embed": {"embed_type": "x", "embed_id": "x\u0000y"}}
    assert httpx.post(url, json=nul, headers=auth).status_code == 400
    assert httpx.patch(url + "1/", json={"type": "share"}, headers=auth).status_code == 400
    buf = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buf, "PNG")  # 400 megapixels in a few KB
    bomb = buf.getvalue()
    status = client.upload_chunk(bomb, start=0, total=len(bomb), filename="bomb.png")
    answer = httpx.post(url + "upload/complete/", data={"upload_id": status.upload_id, "md5": md5(bomb)}, headers=auth)
    assert answer.status_code == 400 and "valid image" in answer.text


def test_latency_for_files_too_slows_the_pictures_as_a_laggy_link_would(make_sandbox, client):
    """`mediatui sandbox --latency-ms` stands for a laggy link: it used to slow /api/ only, so previews (files
    under /media/) came at once and a trial of the app over a "slow link" saw them too soon."""
    import time

    from mediatui.sandbox import Faults

    server = make_sandbox(seed=3, faults=Faults(latency_ms=400, latency_files=True))
    with MediaClient(server.url, server.token) as c:
        picture = next(m for m in c.list(limit=3).results if m.image).image
    path = httpx.URL(picture).path
    started = time.monotonic()
    assert httpx.get(server.url + path).status_code == 200
    assert time.monotonic() - started >= 0.4


def test_the_sandbox_command_slows_files_too(tmp_path):
    from mediatui.cli import build_parser
    from mediatui.cli.local import sandbox_config

    args = build_parser().parse_args(["sandbox", "--latency-ms", "200", "--data-dir", str(tmp_path)])
    assert sandbox_config(args).faults.latency_files

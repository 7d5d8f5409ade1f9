"""MediaClient against a real sandbox over loopback: every endpoint, every failure."""

import socket
import ssl

import pytest

from conftest import OTHER_TOKEN
from mediatui.api import (
    AuthError,
    BadRequest,
    Forbidden,
    InvalidInput,
    ListingUnsupported,
    Media,
    MediaClient,
    MediaType,
    NotFound,
    ServerError,
    TransportError,
    normalize_base_url,
)
from mediatui.sandbox import Faults


def test_list_paginates_newest_first(client):
    first = client.list(limit=15)
    assert first.count == 40 and len(first.results) == 15
    assert first.next and first.previous is None
    second = client.list(limit=15, offset=15)
    assert second.previous
    times = [m.added_at for m in first.results + second.results]
    assert times == sorted(times, reverse=True)
    assert not {m.id for m in first.results} & {m.id for m in second.results}


def test_list_filters_by_type_and_search(client):
    docs = client.list(type=MediaType.DOC)
    assert docs.count > 0 and {m.type for m in docs.results} == {MediaType.DOC}
    found = client.list(search="[@click")
    assert [m.title for m in found.results] == ["[@click=app.quit]quit[/]"]
    assert client.list(search="%").count == 0  # LIKE wildcards are literal


def test_listing_unsupported_and_probe(make_sandbox):
    server = make_sandbox(seed=3, listing=False)
    with MediaClient(server.url, server.token) as client:
        with pytest.raises(ListingUnsupported):
            client.list()
        status = client.probe()
        assert not status.listing and status.count is None
        assert client.get(1).id == 1


def test_probe_on_a_listing_server(client):
    status = client.probe()
    assert status.listing and status.count == 40


def test_get_media_with_absolute_file_urls(client, sandbox):
    media = client.get(1)
    assert media.id == 1 and media.type is MediaType.IMAGE
    assert media.image.startswith(sandbox.url + "/media/seed/")
    assert (media.image_width, media.image_height) == (640, 480)


def test_get_missing_media_is_not_found(client):
    with pytest.raises(NotFound) as info:
        client.get(99999)
    assert info.value.status == 404 and "No Media" in info.value.message


def test_create_url_vimeo_and_embed(client, seed_examples):
    url = client.create(MediaType.URL, url="https://example.com/a")
    assert url.type is MediaType.URL and url.url == "https://example.com/a" and url.id > 40
    vimeo = client.create("vimeo", url="https://vimeo.com/123")
    assert vimeo.oembed_type == "video"
    example = seed_examples["createMediaObject"]["request"]
    embed = client.create("embed", embed_type=example["embed_type"], embed_id=example["embed_id"])
    assert (embed.embed_type, embed.embed_id) == ("string", "string")
    assert client.get(embed.id) == embed


def test_create_with_the_docs_nested_embed(client):
    body = {"type": "embed", "embed": {"embed_type": "youtube", "embed_id": "xyz"}}
    response = client._http.post("/api/v2/media/", json=body)
    assert response.status_code == 201
    assert Media.from_json(response.json()).embed_id == "xyz"


def test_create_checks_input_before_sending(client):
    for call in (
        lambda: client.create("image"),
        lambda: client.create("url"),
        lambda: client.create("url", url="no scheme"),
        lambda: client.create("embed", embed_type="x"),
    ):
        with pytest.raises(InvalidInput):
            call()


def test_server_field_errors_come_back_per_field(client):
    with pytest.raises(BadRequest) as info:
        client.create("url", url="http://")
    assert info.value.field_errors == {"url": ["Enter a valid URL."]}
    with pytest.raises(BadRequest) as info:
        client.patch(1, {"type": "bogus", "image_width": "wide"})
    assert info.value.field_errors == {
        "type": ['"bogus" is not a valid choice.'],
        "image_width": ["A valid integer is required."],
    }


def test_put_requires_image_and_replaces(client, seed_examples):
    with pytest.raises(InvalidInput):
        client.update(1, {"title": "no image"})
    raw = client._http.put("/api/v2/media/1/", json={"title": "no image"})  # what the server says
    assert raw.status_code == 400 and raw.json() == {"image": ["This field is required."]}
    body = dict(seed_examples["updateMediaObject"]["request"], title="Renamed")
    media = client.update(1, body)
    assert media.title == "Renamed" and media.image == "http://example.com"


def test_patch_is_partial(client, seed_examples):
    before = client.get(2)
    after = client.patch(2, {"description": "new words", "oembed_type": "rich"})
    assert after.description == "new words" and after.oembed_type == "rich"
    assert after.title == before.title and after.hash_code == before.hash_code
    assert client.patch(2, seed_examples["partialUpdateMediaObject"]["request"]).image == "http://example.com"


def test_read_only_fields_are_ignored(client):
    before = client.get(5)
    after = client.patch(5, {"id": 999, "hash_code": "x", "title": "t"})
    assert (after.id, after.hash_code) == (5, before.hash_code)


def test_delete_then_gone(client):
    client.delete(1)
    with pytest.raises(NotFound):
        client.get(1)
    with pytest.raises(NotFound):
        client.delete(1)


def test_only_the_creator_may_change_or_delete(sandbox):
    with MediaClient(sandbox.url, OTHER_TOKEN) as other:
        for call in (
            lambda: other.patch(1, {"title": "x"}),
            lambda: other.delete(1),
            lambda: other.update(1, {"image": "https://x/y.png"}),
        ):
            with pytest.raises(Forbidden) as info:
                call()
            assert "permission" in info.value.message
        assert other.get(1).id == 1  # reading is allowed


def test_wrong_or_missing_token_is_auth_error(sandbox):
    with MediaClient(sandbox.url, "wrong") as bad:
        with pytest.raises(AuthError) as info:
            bad.get(1)
    assert info.value.message == "Invalid token."
    with pytest.raises(InvalidInput):
        MediaClient(sandbox.url, "")


def test_invalid_ids_are_refused_before_sending(client):
    for bad in (0, -1, True, "3"):
        with pytest.raises(InvalidInput):
            client.get(bad)


def test_server_errors_with_html_bodies(make_sandbox):
    server = make_sandbox(seed=1, faults=Faults(fail_rate=1.0, seed=1))
    with MediaClient(server.url, server.token) as client:
        with pytest.raises(ServerError) as info:
            client.get(1)
    assert info.value.status in (500, 503)
    assert info.value.message in ("500 Internal Server Error: Server Error (500)", "503 Service Unavailable")


def test_dropped_connection_may_have_reached_the_server(make_sandbox):
    server = make_sandbox(seed=1, faults=Faults(drop_rate=1.0, seed=1))
    with MediaClient(server.url, server.token) as client:
        with pytest.raises(TransportError) as info:
            client.get(1)
    assert info.value.never_sent is False and info.value.status is None


def test_lost_answer_to_a_create_still_created_it(make_sandbox):
    """The hazard behind 'never resend a completion blindly'."""
    server = make_sandbox(seed=0, faults=Faults(lose_rate=1.0, seed=1))
    with MediaClient(server.url, server.token) as client:
        with pytest.raises(TransportError) as info:
            client.create("url", url="https://example.com")
    assert not info.value.never_sent
    server.config.faults.lose_rate = 0.0
    with MediaClient(server.url, server.token) as client:
        assert client.list().count == 1


def test_refused_connection_never_reached_the_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with MediaClient(f"http://127.0.0.1:{port}", "t", timeout=2) as client:
        with pytest.raises(TransportError) as info:
            client.get(1)
    assert info.value.never_sent is True and "could not connect" in info.value.message


def test_token_never_shows(sandbox):
    secret = "s3cr3t-token-value"
    with MediaClient(sandbox.url, secret) as client:
        assert secret not in repr(client) and secret not in repr(client._http.auth)
        with pytest.raises(AuthError) as info:
            client.get(1)
    assert secret not in str(info.value) and secret not in repr(info.value)


def test_defaults_verify_tls_and_say_who_we_are(client):
    assert client._http.headers["User-Agent"].startswith("mediatui/")
    pool = client._http._transport._pool
    assert pool._ssl_context.verify_mode == ssl.CERT_REQUIRED


@pytest.mark.parametrize(
    "given, expected",
    [
        ("https://x.selfcommunity.com", "https://x.selfcommunity.com"),
        ("https://x.selfcommunity.com/", "https://x.selfcommunity.com"),
        ("https://x.selfcommunity.com/api/v2/", "https://x.selfcommunity.com"),
        ("https://x.selfcommunity.com/api/v2/media/", "https://x.selfcommunity.com"),
        ("x.selfcommunity.com", "https://x.selfcommunity.com"),
        ("http://127.0.0.1:8000/sub/", "http://127.0.0.1:8000/sub"),
    ],
)
def test_base_url_normalisation(given, expected):
    assert normalize_base_url(given) == expected


def test_bad_base_urls():
    for bad in ("", "ftp://x", "https://"):
        with pytest.raises(InvalidInput):
            normalize_base_url(bad)


def test_answers_of_the_wrong_shape_are_api_errors(sandbox):
    """Valid JSON of the wrong shape must not escape as TypeError (it would crash a worker)."""
    import httpx

    from mediatui.api import ApiError

    def handler(request):
        bodies = {
            "/api/v2/media/": b'"just a string"',
            "/api/v2/media/1/": b"[1, 2]",
            "/api/v2/media/upload/chunk/": b"42",
        }
        return httpx.Response(200, content=bodies[request.url.path], headers={"content-type": "application/json"})

    with MediaClient("http://fault.invalid", "t", transport=httpx.MockTransport(handler)) as client:
        for call in (
            client.list,
            lambda: client.get(1),
            lambda: client.upload_chunk(b"x", start=0, total=1, filename="a.png"),
        ):
            with pytest.raises(ApiError, match="not of the expected shape"):
                call()

"""The client never hangs, never swallows gigabytes, and never lets a bad URL or token out as a traceback."""

from __future__ import annotations

import json
import re
import threading

import pytest

from helpers import wait_until
from hostile_server import NASTY, HostileServer, elapsed, media, send, send_json
from mediatui.api import ApiError, InvalidInput, MediaClient, TransportError
from mediatui.api.client import normalize_base_url
from mediatui.sanitize import is_inert
from mediatui.settings.config import Settings


@pytest.mark.serial
def test_a_trickling_server_cannot_hold_a_request_past_its_deadline():
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/1/", server.trickle(every=0.3))
        with MediaClient(server.url, "t", timeout=1.5) as client:
            took, result = elapsed(lambda: client.get(1))
    assert isinstance(result, TransportError) and "deadline" in result.message
    assert took < 3.5  # a per-read timeout alone would wait for ever: each byte comes within it


@pytest.mark.serial
def test_a_gigantic_error_page_is_read_only_up_to_the_cap():
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/1/", server.huge_error(1_500_000_000))
        with MediaClient(server.url, "t", timeout=20) as client:
            took, result = elapsed(lambda: client.get(1))
    assert isinstance(result, ApiError) and result.status == 500
    assert took < 5


def test_a_success_body_over_the_cap_is_refused():
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/1/", lambda h: send(h, 200, b"[" + b" " * 3_000_000 + b"]"))
        with MediaClient(server.url, "t", max_body=1_000_000) as client:
            with pytest.raises(ApiError, match="larger than 1 MB"):
                client.get(1)


@pytest.mark.serial
def test_abort_wakes_a_request_stuck_on_a_server_that_never_answers():
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/1/", server.hang())
        client = MediaClient(server.url, "t", timeout=60)
        outcome: list[object] = []
        worker = threading.Thread(target=lambda: outcome.append(elapsed(lambda: client.get(1))))
        worker.start()
        wait_until(lambda: server.requests, what="the request to reach the server")
        client.abort()
        worker.join(2)
        assert not worker.is_alive()
        took, result = outcome[0]
        assert isinstance(result, TransportError) and took < 2
        with pytest.raises(TransportError):
            client.get(1)  # an aborted client starts nothing new
        client.close()


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",
        "http://h:abc",
        "javascript:alert(1)",
        "https://",
        "ftp://x",
        "http://h:notaport",
        "://",
        "http://exa mple.com",
    ],
)
def test_a_bad_url_is_invalid_input(url):
    with pytest.raises(InvalidInput) as caught:
        MediaClient(url, "t")
    assert is_inert(str(caught.value))


def test_a_password_in_the_url_is_dropped_everywhere():
    assert normalize_base_url("https://user:s3cret@host.example/api/v2/") == "https://host.example"
    assert "s3cret" not in Settings.from_env("https://user:s3cret@host.example", "t").url
    with pytest.raises(InvalidInput) as caught:
        MediaClient("https://user:s3cret@host:notaport", "t")
    assert "s3cret" not in str(caught.value)


@pytest.mark.parametrize(
    "token, words",
    [
        ("abc\ndef", "line break"),
        ("abc\rdef", "line break"),
        ("abc def", "space"),
        ("abc\x1bdef", "ASCII"),
        ("abcdéf", "ASCII"),
    ],
)
def test_a_token_that_cannot_be_a_header_is_refused_without_echo(token, words):
    with pytest.raises(InvalidInput) as caught:
        MediaClient("http://127.0.0.1:9", token)
    assert words in str(caught.value) and "abc" not in str(caught.value)
    problem = Settings.from_env("http://127.0.0.1:9", token).problem()
    assert problem and words in problem and "abc" not in problem


def test_hostile_error_texts_become_inert_messages():
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/1/", lambda h: send_json(h, 401, {"detail": NASTY}))
        server.route("GET", "/api/v2/media/2/", lambda h: send(h, 500, f"<title>{NASTY}</title>", "text/html"))
        server.route(
            "POST",
            "/api/v2/media/",
            lambda h: send_json(h, 400, {"url": [NASTY], NASTY: ["x"], "non_field_errors": [NASTY]}),
        )
        server.route("GET", "/api/v2/media/3/", lambda h: send_json(h, 200, media(3)))
        with MediaClient(server.url, "t") as client:
            for call in (
                lambda: client.get(1),
                lambda: client.get(2),
                lambda: client.create("url", url="https://x.example"),
            ):
                with pytest.raises(ApiError) as caught:
                    call()
                error = caught.value
                texts = [
                    error.message,
                    str(error),
                    repr(error),
                    *error.non_field_errors,
                    *error.field_errors,
                    *(t for v in error.field_errors.values() for t in v),
                ]
                assert all(is_inert(t) for t in texts), texts
            assert client.get(3).title.startswith("title \x1b")  # data stays raw: rendering sanitizes


@pytest.mark.parametrize(
    "url",
    [
        "user:SECRETPW@h.example",
        "https://user:p#SECRETPW@h.example",
        "https://user:pa/SECRETPW@h.example",
        "http://u:SECRETPW@h:notaport",
    ],
)
def test_a_url_password_never_reaches_the_base_url_or_a_message(url):
    try:
        base = normalize_base_url(url)
    except InvalidInput as exc:
        assert "SECRETPW" not in str(exc)
    else:
        assert "SECRETPW" not in base and base.endswith("h.example")
    assert "SECRETPW" not in Settings.from_env(url, "t").url


@pytest.mark.parametrize("where", ["?community=@", "#@", "/path@"])
def test_an_at_sign_after_the_host_never_sends_the_token_to_the_host_behind_it(make_sandbox, where):
    """`http://good/?x=@evil` is good's URL to a browser, and evil's after cutting at the last "@": the token must
    go to neither guess: the URL is refused before anything is sent."""
    good, evil = make_sandbox(seed=1), make_sandbox(seed=1)
    url = f"{good.url}/{where}{evil.host}:{evil.port}"
    settings = Settings.from_env(url, good.token)
    with pytest.raises(InvalidInput, match="'@' after its host"):
        settings.make_client()
    with pytest.raises(InvalidInput, match="'@' after its host"):
        MediaClient(url, good.token)
    assert not evil.sandbox.request_log and not good.sandbox.request_log


def test_a_gzip_answer_is_read_once_as_nginx_and_django_send_it():
    """httpx asks for gzip; an answer compressed on the way (nginx, GZipMiddleware) must read as its JSON."""
    import gzip

    from mediatui.api import MediaClient

    def compressed(data: object):
        body = gzip.compress(json.dumps(data).encode())
        return lambda handler: send(handler, 200, body, headers={"Content-Encoding": "gzip"})

    with HostileServer() as server:
        server.route("GET", "/api/v2/media/7/", compressed(media(7)))  # first: routes match by prefix, in order
        server.route("GET", "/api/v2/media/", compressed({"count": 1, "results": [media(7, title="plain")]}))
        with MediaClient(server.url, "t") as client:
            page = client.list(limit=1)
            assert page.count == 1 and page.results[0].title == "plain"
            assert client.get(7).id == 7


def test_a_token_the_server_echoes_is_never_shown(capsys, monkeypatch):
    """A proxy or a server that quotes the request back: the token (and "Bearer <token>") becomes *** in every
    server text, errors and media alike, before anything can print it."""
    from mediatui import cli
    from mediatui.api import ApiError, MediaClient

    token = "tok-SECRET-123"
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/7/", lambda h: send_json(h, 200, media(7, title=f"echo {token}")))
        server.route("GET", "/api/v2/media/", lambda h: send_json(h, 401, {"detail": f"Bearer {token} is not valid"}))
        with MediaClient(server.url, token) as client:
            assert client.get(7).title == "echo ***"
            with pytest.raises(ApiError) as caught:
                client.list(limit=1)
            assert token not in caught.value.message and "Bearer ***" in caught.value.message
        monkeypatch.setenv("MEDIATUI_TOKEN", token)
        assert cli.main(["--url", server.url, "list"]) == 1
        assert cli.main(["--url", server.url, "get", "7"]) == 0
    out = capsys.readouterr()
    assert token not in out.out + out.err and "***" in out.err and "echo ***" in out.out


def test_json_nested_too_deep_is_refused_as_data_mediatui_cannot_use(capsys, monkeypatch):
    from mediatui import cli
    from mediatui.api import ApiError, MediaClient, ServerError

    deep = "[" * 100_000 + "]" * 100_000
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/7/", lambda h: send(h, 200, '{"id": 7, "title": ' + deep + "}"))
        server.route("GET", "/api/v2/media/8/", lambda h: send(h, 500, deep))
        server.route("GET", "/api/v2/media/9/", lambda h: send(h, 200, '{"id": 9, "a": ' + "[" * 65 + "]" * 65 + "}"))
        with MediaClient(server.url, "t") as client:
            with pytest.raises(ApiError, match="the server sent data mediatui cannot use: nested deeper than 64"):
                client.get(7)
            with pytest.raises(ApiError, match="the server sent data mediatui cannot use"):
                client.get(9)  # just past the limit
            with pytest.raises(ServerError):
                client.get(8)  # an error body too deep is still a 500 (retried), just without its words
        monkeypatch.setenv("MEDIATUI_TOKEN", "t")
        assert cli.main(["--url", server.url, "get", "7"]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_numbers_out_of_range_make_that_field_invalid_and_the_rest_is_used(capsys, monkeypatch):
    from mediatui import cli
    from mediatui.api import MediaClient

    odd = '{"id": 7, "title": "kept", "image_width": 1e999, "image_height": NaN, "order": -Infinity}'
    page = '{"count": 1e400, "results": [' + odd + ', {"id": ' + "9" * 4000 + ', "title": "huge id"}]}'
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/7/", lambda h: send(h, 200, odd))
        server.route("GET", "/api/v2/media/", lambda h: send(h, 200, page))
        with MediaClient(server.url, "t") as client:
            media = client.get(7)
            assert media.title == "kept" and media.image_width is None and media.image_height is None
            listed = client.list(limit=5)
            assert [m.title for m in listed.results] == ["kept", "huge id"] and listed.results[1].id is None
            assert listed.count == 2  # a count that is no number: the rows that came
        monkeypatch.setenv("MEDIATUI_TOKEN", "t")
        assert cli.main(["--url", server.url, "get", "7"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["title"] == "kept" and "Infinity" not in out and "NaN" not in out


def test_a_token_quoted_back_in_another_form_is_blanked_too():
    from urllib.parse import quote

    from mediatui.api import ApiError, MediaClient

    token = 'tok/SECRET+x="1"'
    escaped = json.dumps(token)[1:-1]
    lower = re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quote(token, safe=""))
    forms = (quote(token, safe=""), lower, escaped, escaped.replace("/", "\\/"), "tok/SECRET+x=&quot;1&quot;")
    for echoed in forms:
        with HostileServer() as server:
            server.route("GET", "/api/v2/media/", lambda h, e=echoed: send(h, 401, '{"detail": "bad ' + e + '"}'))
            with MediaClient(server.url, token) as client:
                with pytest.raises(ApiError) as caught:
                    client.list(limit=1)
        assert "SECRET" not in caught.value.message and "***" in caught.value.message, echoed


def test_an_id_that_is_not_whole_is_no_id_and_a_huge_number_only_voids_its_field():
    from mediatui.api import Media
    from mediatui.api.models import load_json

    assert Media.from_json({"id": 3.7}).id is None and Media.from_json({"id": "3.9"}).id is None  # never #3
    assert Media.from_json({"id": 3.0}).id == 3 and Media.from_json({"id": "12"}).id == 12
    data = load_json('{"id": 7, "title": "kept", "order": ' + "9" * 5000 + "}")  # past Python's 4300 digits
    media = Media.from_json(data)
    assert media.id == 7 and media.title == "kept" and media.order is None


def test_a_short_token_echoed_back_is_blanked_as_a_word_or_after_bearer():
    """A token under 8 characters (a sandbox's, a test server's) used to be printed as the server echoed it.
    It is blanked after "Bearer" and as a whole word; inside a longer word it is left (every "tok" of
    "token" would be blanked else)."""
    from mediatui.api import ApiError, MediaClient

    for token, said, shown in [
        ("Zq7xK9w", "raw Bearer Zq7xK9w and Zq7xK9w.", "raw Bearer *** and ***."),
        ("tok", "token tok is not valid; Bearer tok", "token *** is not valid; Bearer ***"),
    ]:
        with HostileServer() as server:
            server.route("GET", "/api/v2/media/", lambda h, s=said: send_json(h, 401, {"detail": s}))
            with MediaClient(server.url, token) as client:
                with pytest.raises(ApiError) as caught:
                    client.list(limit=1)
        assert caught.value.message == shown, caught.value.message


def _echo_escaped(handler) -> None:
    """A server that quotes the token back with JSON escapes for every character, and percent-encoded."""
    from hostile_server import send

    token = handler.headers.get("Authorization", "").split(" ", 1)[-1]
    escaped = "".join(f"\\u{ord(c):04x}" for c in token)
    quoted = "".join(f"%{ord(c):02X}" for c in token)
    if handler.command == "GET":
        send(handler, 200, f'{{"id": 5, "type": "url", "title": "{escaped}", "url": "https://x.invalid/{quoted}"}}')
    else:
        send(handler, 400, f'{{"detail": "bad token {escaped}", "title": ["{escaped}"]}}')


def test_a_token_echoed_with_json_or_percent_escapes_is_blanked_after_decoding():
    from hostile_server import HostileServer
    from mediatui.api import ApiError, MediaClient

    token = "secrettoken123456"
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", _echo_escaped)
        server.route("PATCH", "/api/v2/media/", _echo_escaped)
        with MediaClient(server.url, token) as client:
            media = client.get(5)
            with pytest.raises(ApiError) as refused:
                client.patch(5, {"title": "x"})
    assert token not in (media.title or "") and "***" in (media.title or "")
    assert token not in (media.url or "")
    assert token not in str(refused.value) and token not in repr(refused.value.field_errors)

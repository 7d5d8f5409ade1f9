"""The headless commands over real HTTP, configured from the environment like a script would."""

import json

import pytest

from mediatui import cli
from mediatui.api import MediaClient


@pytest.fixture
def env(sandbox, monkeypatch):
    monkeypatch.setenv("MEDIATUI_URL", sandbox.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    return sandbox


@pytest.mark.smoke
def test_get_prints_json(env, capsys):
    assert cli.main(["get", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == 1


@pytest.mark.smoke
def test_list_prints_json_lines(env, capsys):
    assert cli.main(["list", "--limit", "5", "--type", "image"]) == 0
    out = capsys.readouterr()
    rows = [json.loads(line) for line in out.out.splitlines()]
    assert len(rows) == 5 and {r["type"] for r in rows} == {"image"}
    assert "5 of" in out.err


@pytest.mark.smoke
def test_create_and_delete(env, capsys):
    assert cli.main(["create", "url", "--media-url", "https://example.com/x", "--json"]) == 0
    media_id = json.loads(capsys.readouterr().out)["id"]
    assert cli.main(["delete", str(media_id), "99999"]) == 1  # as kubectl: an id that is not there is an error
    out = capsys.readouterr()
    assert f"deleted {media_id}" in out.out and "99999: not found, nothing deleted" in out.err
    assert cli.main(["delete", "99999", "--ignore-not-found"]) == 0
    assert "99999: not found (ignored)" in capsys.readouterr().out


def test_a_404_that_answers_a_retry_of_our_own_delete_says_deleted(make_sandbox, monkeypatch, capsys):
    """The first DELETE deleted it but its answer was lost (the connection closed unanswered): the retry's 404
    means our delete did it."""
    from mediatui.sandbox import Faults

    # Seed 9: the first DELETE's answer is lost (its draw is under 0.5), the retry's is not.
    server = make_sandbox(seed=40, faults=Faults(only_method="DELETE", lose_rate=0.5, seed=9))
    monkeypatch.setenv("MEDIATUI_URL", server.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", server.token)
    assert cli.main(["delete", "1"]) == 0
    out = capsys.readouterr()
    assert "deleted 1" in out.out and "not found" not in out.out + out.err


def test_bad_input_exits_2_before_sending(env, capsys):
    assert cli.main(["create", "url"]) == 2
    assert "needs a full URL" in capsys.readouterr().err


def test_missing_token_says_how(monkeypatch, capsys, sandbox):
    monkeypatch.delenv("MEDIATUI_TOKEN", raising=False)
    assert cli.main(["get", "1", "--url", sandbox.url]) == 2
    assert "MEDIATUI_TOKEN" in capsys.readouterr().err


def test_api_errors_exit_1_without_the_token(env, monkeypatch, capsys):
    monkeypatch.setenv("MEDIATUI_TOKEN", "wrong-secret")
    assert cli.main(["get", "1"]) == 1
    err = capsys.readouterr().err
    assert "Invalid token." in err and "wrong-secret" not in err


def test_demo_opens_the_app_on_a_seeded_sandbox(monkeypatch):
    seen = {}

    def fake_start(settings):
        from mediatui.api import MediaClient

        with MediaClient(settings.url, settings.token.reveal()) as client:
            seen["count"] = client.list().count
        seen["repr"] = repr(settings)
        return 0

    monkeypatch.setattr(cli.local, "start_app", fake_start)
    assert cli.main(["demo", "--seed", "12"]) == 0
    assert seen["count"] == 12 and "sandbox-token" not in seen["repr"]


def test_create_with_title_and_description(env, monkeypatch, capsys):
    assert (
        cli.main(
            [
                "create",
                "embed",
                "--embed-type",
                "youtube",
                "--embed-id",
                "abc",
                "--title",
                "[b]Clip[/b]",
                "--description",
                "said \x1b[2J",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["title"] == "[b]Clip[/b]"  # piped: JSON, as before
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert cli.main(["create", "url", "--media-url", "https://example.com/line"]) == 0
    assert capsys.readouterr().out.startswith("created #42 url: example.com")  # on a terminal: a line
    assert env.sandbox.request_log[0].body == {
        "type": "embed",
        "embed_type": "youtube",
        "embed_id": "abc",
        "title": "[b]Clip[/b]",
        "description": "said \x1b[2J",
    }


@pytest.mark.smoke
def test_update_patches_only_what_is_set(env, capsys):
    assert (
        cli.main(
            [
                "update",
                "1",
                "--set",
                "title=New",
                "--set",
                "keywords=",
                "--null",
                "oembed_url",
                "--set",
                "oembed_type=video",
                "--json",
            ]
        )
        == 0
    )
    answer = json.loads(capsys.readouterr().out)
    (logged,) = env.sandbox.request_log
    assert logged.method == "PATCH" and logged.body == {"title": "New", "keywords": "", "oembed_type": "video"}
    assert answer["title"] == "New" and answer["keywords"] == "" and answer["oembed_type"] == "video"


def test_update_checks_before_sending(env, capsys):
    assert cli.main(["update", "1", "--set", "oembed_width=1.5", "--set", "url=nope"]) == 2
    err = capsys.readouterr().err
    assert "oembed_width: must be a whole number" in err and "url: must be an absolute http(s) URL" in err
    assert cli.main(["update", "2", "--put", "--set", "title=x"]) == 2  # a url media has no image
    assert "PUT needs image" in capsys.readouterr().err
    assert cli.main(["update", "1", "--set", "title=Community guidelines v3"]) == 0  # unchanged
    assert "nothing changed" in capsys.readouterr().err
    assert not env.sandbox.request_log


def test_update_put_and_the_creators_rule(env, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert cli.main(["update", "1", "--put", "--set", "entities=e"]) == 0
    assert "updated #1 (PUT)" in capsys.readouterr().out
    assert env.sandbox.request_log[-1].method == "PUT" and "image" in env.sandbox.request_log[-1].body
    monkeypatch.setenv("MEDIATUI_TOKEN", "other-token")
    assert cli.main(["update", "1", "--set", "title=x"]) == 1
    assert "Only the creator may edit this media (403)" in capsys.readouterr().err


def test_a_tui_that_crashed_exits_non_zero(sandbox):
    """A real bug in the TUI shows its traceback and exits 1, never a silent 0 (in a real pseudo-terminal)."""
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    code = (
        "import sys\n"
        "from mediatui.tui.screens.browse_screen import BrowseScreen\n"
        "def broken(self): raise RuntimeError('a bug')\n"
        "BrowseScreen.on_mount = broken\n"
        "from mediatui import cli\n"
        "sys.exit(cli.main(['--url', sys.argv[1]]))\n"
    )
    leader, follower = pty.openpty()
    env = dict(os.environ, MEDIATUI_TOKEN=sandbox.token, TERM="xterm-256color")
    proc = subprocess.Popen(
        [sys.executable, "-c", code, sandbox.url], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    out = b""
    deadline = time.monotonic() + 30
    while proc.poll() is None and time.monotonic() < deadline:
        if select.select([leader], [], [], 0.1)[0]:
            try:
                out += os.read(leader, 65536)
            except OSError:
                break
    proc.wait(10)
    os.close(leader)
    assert proc.returncode == 1, out[-2000:]
    assert b"a bug" in out


def test_update_refuses_null_and_a_value_for_one_field_and_sends_nothing(env, capsys):
    assert cli.main(["update", "1", "--null", "title", "--set", "title=x"]) == 2
    assert "title" in capsys.readouterr().err and not env.sandbox.request_log


def test_a_set_value_that_is_not_utf8_exits_2_with_a_message(env, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["update", "1", "--set", "title=caf\udce9"])  # what a shell gives for a Latin-1 byte
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "not valid UTF-8" in err and "Traceback" not in err and not env.sandbox.request_log


def test_patch_and_put_never_send_the_nested_embed_back(env, capsys):
    """The server makes the nested `embed` object (SDK's SCEmbedType) from the flat fields: a write sends the flat
    fields only, whatever the media's answer held."""
    [embed] = [m for m in MediaClient(env.url, env.token).list(limit=50).results if m.type == "embed"][:1]
    assert embed.embed and embed.embed_url  # the sandbox sends it, as the live server does
    assert cli.main(["update", str(embed.id), "--set", "title=Patched"]) == 0
    put = ["--put", "--set", "title=Put", "--set", "image=https://example.com/a.png"]  # PUT needs an image
    assert cli.main(["update", str(embed.id), *put]) == 0
    sent = [logged.body for logged in env.sandbox.request_log if logged.method in ("PATCH", "PUT")]
    assert len(sent) == 2 and not any("embed" in body for body in sent), sent
    after = MediaClient(env.url, env.token).get(embed.id)
    assert after.title == "Put" and after.embed_url == embed.embed_url  # kept by the server


def test_share_media_are_listed_and_deleted_but_never_edited(make_sandbox, monkeypatch, capsys):
    """The live server's `share` media (a post shared into the feed) have no body in the API's write operations:
    `update` refuses one before sending, saying why; `delete` takes it like any other."""
    server = make_sandbox(seed=25)
    monkeypatch.setenv("MEDIATUI_URL", server.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", server.token)
    [share] = [m for m in MediaClient(server.url, server.token).list(limit=50).results if m.type == "share"]
    assert cli.main(["update", str(share.id), "--set", "title=x"]) == 2
    assert "share media cannot be edited" in capsys.readouterr().err
    assert not server.sandbox.request_log  # nothing sent
    assert cli.main(["delete", str(share.id)]) == 0


def test_a_put_writes_back_only_what_the_server_sent_never_flat_fields_made_from_the_nested_embed(capsys, monkeypatch):
    """A server that sends only the nested embed (the SDK's shape): the flat embed_type and embed_id read from it
    for the screen must never be sent by a PUT (the object's str() was) nor printed by `get` as if sent."""
    from hostile_server import HostileServer, send_json

    answer = {
        "id": 130,
        "type": "embed",
        "title": "t",
        "image": "https://example.com/a.png",
        "embed": {"id": 1, "embed_type": {"t": 1}, "embed_id": 42, "url": None, "metadata": {}},
    }
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/130/", lambda h: send_json(h, 200, answer))
        server.route("PUT", "/api/v2/media/130/", lambda h: send_json(h, 200, {**answer, "title": "new"}))
        monkeypatch.setenv("MEDIATUI_TOKEN", "tok-123456789")
        assert cli.main(["--url", server.url, "update", "130", "--put", "--set", "title=new"]) == 0
        assert cli.main(["--url", server.url, "get", "130"]) == 0
    [body] = [json.loads(sent) for method, _, sent in server.bodies if method == "PUT"]
    assert "embed_type" not in body and "embed_id" not in body and "embed" not in body, body
    printed = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert "embed_type" not in printed and printed["embed"]["embed_id"] == 42


def html_404(handler) -> None:
    """Any web server that is not the API: an HTML page for every path."""
    from hostile_server import send

    send(handler, 404, "<!doctype html><title>Not Found</title><h1>Not Found</h1>", "text/html")


@pytest.mark.parametrize("verb", [["list"], ["get", "5"]])
def test_a_url_that_is_not_the_api_is_said_so_by_list_and_get(verb, monkeypatch, capsys):
    """A wrong community URL (a web site, a path too many) used to make `list` say "no media list", as if the
    server were a community without one. A 404 with no JSON on a media's own address is not the API."""
    from hostile_server import HostileServer

    with HostileServer() as server:
        server.route("GET", "/", html_404)
        monkeypatch.setenv("MEDIATUI_URL", server.url)
        monkeypatch.setenv("MEDIATUI_TOKEN", "t")
        assert cli.main(verb) == 1
    err = capsys.readouterr().err
    assert "does not look like a SelfCommunity API" in err and "no media list" not in err, err


def test_a_community_without_a_list_is_still_told_apart_from_a_wrong_url(make_sandbox, monkeypatch, capsys):
    server = make_sandbox(seed=3, listing=False)
    monkeypatch.setenv("MEDIATUI_URL", server.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", server.token)
    assert cli.main(["list"]) == 1
    err = capsys.readouterr().err
    assert "no media list" in err and "does not look like" not in err, err


@pytest.mark.parametrize(
    "answer",
    [
        (404, "<!doctype html><title>Not Found</title><h1>Not Found</h1>", "text/html"),
        (404, "404 page not found", "text/plain"),
        (200, "<html><body><h1>Welcome to our community</h1></body></html>", "text/html"),
    ],
    ids=["html-404", "text-404", "html-200"],
)
def test_delete_on_a_url_that_is_not_the_api_is_never_said_deleted_or_gone(answer, monkeypatch, capsys):
    """A web site's 404 used to read as "already gone" (and --ignore-not-found exited 0), its 200 as "deleted"."""
    from hostile_server import HostileServer, send

    status, body, kind = answer
    with HostileServer() as server:
        for method in ("GET", "DELETE"):
            server.route(method, "/", lambda h: send(h, status, body, kind))
        monkeypatch.setenv("MEDIATUI_URL", server.url)
        monkeypatch.setenv("MEDIATUI_TOKEN", "t")
        assert cli.main(["delete", "5", "--ignore-not-found", "--json"]) == 1
    said = json.loads(capsys.readouterr().out)
    assert said["outcome"] == "not deleted" and "SelfCommunity API" in said["message"], said

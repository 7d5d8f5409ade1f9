"""The headless commands over real HTTP, configured from the environment like a script would."""

import json

import pytest

from mediatui import cli


@pytest.fixture
def env(sandbox, monkeypatch):
    monkeypatch.setenv("MEDIATUI_URL", sandbox.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    return sandbox


def test_get_prints_json(env, capsys):
    assert cli.main(["get", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == 1


def test_list_prints_json_lines(env, capsys):
    assert cli.main(["list", "--limit", "5", "--type", "image"]) == 0
    out = capsys.readouterr()
    rows = [json.loads(line) for line in out.out.splitlines()]
    assert len(rows) == 5 and {r["type"] for r in rows} == {"image"}
    assert "5 of" in out.err


def test_create_and_delete(env, capsys):
    assert cli.main(["create", "url", "--media-url", "https://example.com/x"]) == 0
    media_id = json.loads(capsys.readouterr().out)["id"]
    assert cli.main(["delete", str(media_id), "99999"]) == 0  # 404: already gone, as in the TUI
    out = capsys.readouterr()
    assert f"deleted {media_id}" in out.out and "99999: already gone" in out.out


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

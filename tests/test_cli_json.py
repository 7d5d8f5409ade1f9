"""Issue 25: every media verb takes `--json` and prints JSON a script can read, with the right content.

The verbs run in this process against the sandbox over loopback HTTP. `--json` must hold on a terminal too:
stdout is made a terminal (its isatty) where a verb would otherwise print lines for people.
The TUI and `demo` take no `--json`: they take the screen, and nothing they print is for a script.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

from helpers import png_bytes
from mediatui import cli
from mediatui.api import MediaClient
from mediatui.sandbox.config import OTHER_USER


@pytest.fixture
def env(sandbox, monkeypatch):
    monkeypatch.setenv("MEDIATUI_URL", sandbox.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    return sandbox


@pytest.fixture
def terminal(monkeypatch):
    """stdout says it is a terminal, as it is when a person runs the verb."""
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)


def lines_of_json(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_get_json(env, terminal, capsys):
    assert cli.main(["get", "3", "--json"]) == 0
    [media] = lines_of_json(capsys.readouterr().out)
    expected = MediaClient(env.url, env.token).get(3)
    assert media["id"] == 3 and media["title"] == expected.title and media["type"] == expected.type


def test_list_json_is_json_lines_as_when_piped(env, terminal, capsys):
    assert cli.main(["list", "--json", "--limit", "4", "--type", "url"]) == 0
    out = capsys.readouterr()
    rows = lines_of_json(out.out)
    expected = MediaClient(env.url, env.token).list(limit=4, type="url").results
    assert [r["id"] for r in rows] == [m.id for m in expected] and {r["type"] for r in rows} == {"url"}
    assert "4 of" in out.err  # the count stays on stderr: stdout is only the media


def test_create_json(env, terminal, capsys):
    assert cli.main(["create", "url", "--media-url", "https://example.com/j", "--title", "J", "--json"]) == 0
    [media] = lines_of_json(capsys.readouterr().out)
    assert media["type"] == "url" and media["title"] == "J"
    assert MediaClient(env.url, env.token).get(media["id"]).title == "J"


def test_update_json(env, terminal, capsys):
    assert cli.main(["update", "1", "--set", "title=Renamed", "--json"]) == 0
    [media] = lines_of_json(capsys.readouterr().out)
    assert media["id"] == 1 and media["title"] == "Renamed"


def test_upload_json(env, terminal, tmp_path, capsys):
    path = tmp_path / "harbour.png"
    path.write_bytes(png_bytes(30_000))
    assert cli.main(["upload", str(path), "--json"]) == 0
    [media] = lines_of_json(capsys.readouterr().out)
    assert media["title"] == "harbour.png" and media["type"] == "image"
    assert MediaClient(env.url, env.token).get(media["id"]).title == "harbour.png"


def test_delete_json_says_one_outcome_per_id_and_keeps_the_exit_code(env, terminal, capsys):
    mine = MediaClient(env.url, env.token).create("url", url="https://example.com/mine").id
    theirs = MediaClient(env.url, "other-token").create("url", url="https://example.com/theirs").id
    assert cli.main(["delete", str(mine), "99999", str(theirs), "--json"]) == 1
    out = capsys.readouterr()
    said = lines_of_json(out.out)
    assert [(s["id"], s["outcome"]) for s in said] == [
        (mine, "deleted"),
        (99999, "not found"),  # the CLI cannot tell "never was" from "deleted since": as without --json
        (theirs, "not deleted"),
    ]
    assert said[0]["message"] == "deleted" and "creator" in said[2]["message"]
    assert "2 of 3 not deleted" in out.err
    assert cli.main(["delete", "99999", "--ignore-not-found", "--json"]) == 0
    [gone] = lines_of_json(capsys.readouterr().out)
    assert gone == {"id": 99999, "outcome": "not found", "message": "not found, nothing deleted"}


def test_sandbox_json_prints_its_url_tokens_and_folder(tmp_path):
    """The sandbox is a server, but what it prints on start is what a script needs to use it: one JSON line."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "mediatui", "sandbox", "--port", "0", "--seed", "2", "--data-dir", str(tmp_path)]
        + ["--token", "tok", "--token", f"{OTHER_USER}:theirs", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started = json.loads(proc.stdout.readline())
        assert started["data_dir"] == str(tmp_path) and started["token"] == "tok"
        assert started["users"] == [{"name": "moderator", "token": "tok"}, {"name": OTHER_USER, "token": "theirs"}]
        with MediaClient(started["url"], started["token"]) as client:
            assert client.list().count == 2
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0
    assert proc.stdout.read() == ""  # nothing but the one JSON line on stdout


def test_upload_json_from_parallel_workers_is_one_whole_document_per_line(env, capsys, tmp_path):
    """Found under load: two workers' documents shared a line ("Extra data"), as print writes a line's text and
    its newline apart."""
    from helpers import png_bytes

    paths = []
    for number in range(12):
        path = tmp_path / f"p{number}.png"
        path.write_bytes(png_bytes(2_000, number))
        paths.append(str(path))
    assert cli.main(["upload", *paths, "--jobs", "6", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 12 and len({json.loads(line)["id"] for line in lines}) == 12

"""Issue 7: every CLI verb keeps hostile server text and file names inert, on a real terminal, and never
prints a traceback for a user's mistake or a server's."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys

import pytest

from helpers import png_bytes
from hostile_server import NASTY, HostileServer, media, send, send_json
from mediatui import cli
from mediatui.api import MediaClient
from mediatui.sanitize import is_inert

FORBIDDEN = [
    b"\x1b",
    *(bytes([0xC2, c]) for c in range(0x80, 0xA0)),  # ESC, and C1 encoded in UTF-8
    *(b"\xe2\x80" + bytes([c]) for c in range(0xAA, 0xAF)),  # U+202A..U+202E
    *(b"\xe2\x81" + bytes([c]) for c in range(0xA6, 0xAA)),
]  # U+2066..U+2069


def on_a_terminal(args: list[str], env: dict[str, str], cwd: str) -> tuple[int, bytes]:
    """Run `mediatui ARGS` with stdout and stderr on a pseudo-terminal; everything it wrote, raw."""
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mediatui", *args],
        stdin=subprocess.DEVNULL,
        stdout=child,
        stderr=child,
        env=env,
        cwd=cwd,
    )
    os.close(child)
    out = bytearray()
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        out += data
    os.close(main)
    return proc.wait(10), bytes(out)


@pytest.fixture
def hostile(tmp_path):
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/1/", lambda h: send_json(h, 401, {"detail": NASTY}))
        server.route(
            "GET", "/api/v2/media/2/", lambda h: send(h, 500, f"<html><title>{NASTY}</title></html>", "text/html")
        )
        server.route("GET", "/api/v2/media/3/", lambda h: send_json(h, 200, media(3)))
        server.route(
            "GET",
            "/api/v2/media/?",
            lambda h: send_json(h, 200, {"count": 2, "next": None, "previous": None, "results": [media(3), media(4)]}),
        )
        server.route("DELETE", "/api/v2/media/5/", lambda h: send_json(h, 403, {"detail": NASTY}))
        server.route("POST", "/api/v2/media/upload/chunk/", lambda h: send_json(h, 400, {"image": [NASTY]}))
        server.route(
            "POST", "/api/v2/media/", lambda h: send_json(h, 400, {"url": [NASTY], "non_field_errors": [NASTY]})
        )
        yield server


def hostile_env(server, tmp_path) -> dict[str, str]:
    return dict(
        os.environ,
        MEDIATUI_URL=server.url,
        MEDIATUI_TOKEN="t",
        MEDIATUI_STATE_DIR=str(tmp_path / "s"),
        MEDIATUI_DATA_DIR=str(tmp_path / "d"),
        TERM="xterm-256color",
    )


def test_every_verb_keeps_hostile_text_inert_on_a_terminal(hostile, tmp_path):
    name = f"evil{NASTY}.png".replace("/", "_")
    (tmp_path / name).write_bytes(png_bytes(3000))
    runs = {
        "get 401 json": ["get", "1"],
        "get 500 html": ["get", "2"],
        "get hostile media": ["get", "3"],
        "list": ["list"],
        "delete 403": ["delete", "5"],
        "create 400": ["create", "url", "--media-url", "https://x.example"],
        "upload bars": ["upload", name],
        "upload json": ["upload", name, "--json"],
        "preflight": ["upload", f"missing{NASTY}.png"],
    }
    for label, args in runs.items():
        code, out = on_a_terminal(args, hostile_env(hostile, tmp_path), str(tmp_path))
        assert out, label
        # The live bars draw with CSI colours and cursor moves of their own: there, only what the server
        # or the file name could bring is forbidden (OSC, DCS, a clear screen); everywhere else, any ESC.
        forbidden = FORBIDDEN[1:] + [b"\x1b]", b"\x1bP", b"\x1b[2J"] if label == "upload bars" else FORBIDDEN
        assert not [bad for bad in forbidden if bad in out], (label, out[:2000])
        assert b"Traceback" not in out, (label, out[:2000])
        assert code in (0, 1, 2), (label, code)


def test_json_output_escapes_control_and_bidi_characters(hostile, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MEDIATUI_URL", hostile.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", "t")
    assert cli.main(["get", "3"]) == 0
    out = capsys.readouterr().out
    assert is_inert(out.rstrip("\n")) and "\\u001b" in out and "\\u009b" in out and "\\u202e" in out
    assert json.loads(out)["description"] == NASTY


@pytest.mark.parametrize("url", ["http://[::1", "http://h:abc", "javascript:alert(1)", "https://"])
def test_a_bad_url_exits_2_with_a_message(url, monkeypatch, capsys):
    monkeypatch.setenv("MEDIATUI_TOKEN", "t")
    assert cli.main(["get", "1", "--url", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mediatui: ") and "Traceback" not in err


def test_a_token_with_a_line_break_is_refused_and_never_echoed(sandbox, monkeypatch, capsys):
    monkeypatch.setenv("MEDIATUI_URL", sandbox.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", "secret-part\nother-part")
    assert cli.main(["get", "1"]) == 2
    err = capsys.readouterr().err
    assert "line break" in err and "secret-part" not in err and "other-part" not in err


def test_delete_checks_every_id_before_sending(sandbox, monkeypatch, capsys):
    monkeypatch.setenv("MEDIATUI_URL", sandbox.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    for ids in (["5", "0", "6"], ["5", str(2**63)], ["5", "-1"], ["5", "x"]):
        with pytest.raises(SystemExit) as caught:
            cli.main(["delete", *ids])
        assert caught.value.code == 2
    with MediaClient(sandbox.url, sandbox.token) as client:
        assert client.list(limit=1).count == 40  # nothing was deleted
    assert "is not a media id" in capsys.readouterr().err


def test_upload_flags_are_checked_before_anything_is_sent(sandbox, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MEDIATUI_URL", sandbox.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    path = tmp_path / "a.png"
    path.write_bytes(png_bytes(3000))
    assert cli.main(["upload", str(path), "--chunk-size", "204801"]) == 2
    assert cli.main(["upload", "--resume", str(path)]) == 2
    err = capsys.readouterr().err
    assert "--chunk-size goes from 1 to 204800" in err and "--resume takes no file names" in err
    long_name = tmp_path / ("x" * 300 + ".png")
    assert cli.main(["upload", str(long_name)]) == 2
    assert "the file name is too long" in capsys.readouterr().err
    with MediaClient(sandbox.url, sandbox.token) as client:
        assert client.list(limit=1).count == 40


def test_resume_with_every_file_changed_or_gone_exits_1_naming_them(make_sandbox, monkeypatch, tmp_path, capsys):
    server = make_sandbox(faults=None)
    monkeypatch.setenv("MEDIATUI_URL", server.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", server.token)
    from mediatui.upload import UploadSession

    a, b = tmp_path / "a.png", tmp_path / "b.png"
    a.write_bytes(png_bytes(3000))
    b.write_bytes(png_bytes(3000, seed=1))
    with MediaClient(server.url, server.token) as client, UploadSession.open(client) as session:
        session.plan_files([a, b])
    a.unlink()
    b.write_bytes(png_bytes(4000, seed=2))
    assert cli.main(["upload", "--resume"]) == 1
    err = capsys.readouterr().err
    assert "a.png: the file is gone" in err and "b.png: the file changed" in err


def test_a_broken_data_folder_never_loses_the_servers_answer(sandbox, monkeypatch, tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("MEDIATUI_URL", sandbox.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    monkeypatch.setenv("MEDIATUI_DATA_DIR", str(blocker))
    assert cli.main(["get", "3"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["id"] == 3
    assert "warning" in out.err and str(blocker) in out.err and "move it away" in out.err


def test_a_broken_state_folder_stops_an_upload_before_sending(sandbox, monkeypatch, tmp_path, capsys):
    blocker = tmp_path / "state-file"
    blocker.write_text("x")
    monkeypatch.setenv("MEDIATUI_URL", sandbox.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    monkeypatch.setenv("MEDIATUI_STATE_DIR", str(blocker))
    path = tmp_path / "a.png"
    path.write_bytes(png_bytes(3000))
    assert cli.main(["upload", str(path)]) == 1
    err = capsys.readouterr().err
    assert str(blocker) in err and "Traceback" not in err
    with MediaClient(sandbox.url, sandbox.token) as client:
        assert client.list(limit=1).count == 40


def test_create_prints_the_media_even_when_the_catalogue_then_fails(sandbox, monkeypatch, tmp_path, capsys):
    import sqlite3

    from mediatui.media.catalogue import Catalogue

    monkeypatch.setenv("MEDIATUI_URL", sandbox.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    with Catalogue.for_server(sandbox.url) as catalogue:
        path = catalogue.path
    with sqlite3.connect(path) as db:
        db.execute("CREATE TRIGGER no BEFORE INSERT ON media BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    assert cli.main(["create", "url", "--media-url", "https://example.com/kept", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["url"] == "https://example.com/kept"
    assert "warning" in out.err and str(path) in out.err and "Traceback" not in out.err

"""Issue 26: every change recorded (CLI here; the app in test_history_screen.py), and an edit undone.

Against the sandbox, through `mediatui` as a script runs it (in this process: cli.main, real loopback HTTP).
"""

from __future__ import annotations

import json
import stat
from datetime import datetime, timedelta

import pytest

from helpers import png_bytes
from mediatui import cli
from mediatui._compat import UTC
from mediatui.api import MediaClient
from mediatui.media.history import History, history_path, parse_since
from mediatui.sanitize import is_inert


@pytest.fixture
def env(sandbox, monkeypatch):
    monkeypatch.setenv("MEDIATUI_URL", sandbox.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    return sandbox


def history(capsys, *flags: str) -> list[dict]:
    capsys.readouterr()
    assert cli.main(["history", "--json", *flags]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.smoke
def test_every_change_of_the_cli_is_recorded_with_before_and_after(env, capsys, tmp_path):
    with MediaClient(env.url, env.token) as client:
        first = client.get(1).to_json()
    assert cli.main(["update", "1", "--set", "title=Rules v4", "--json"]) == 0
    assert cli.main(["update", "1", "--set", "description=Be kind.", "--put", "--json"]) == 0
    assert cli.main(["create", "url", "--media-url", "https://example.org/post", "--title", "A post", "--json"]) == 0
    created = json.loads(capsys.readouterr().out.splitlines()[-1])["id"]
    picture = tmp_path / "harbour.png"
    picture.write_bytes(png_bytes(20_000))
    assert cli.main(["upload", str(picture), "--json"]) == 0
    uploaded = json.loads(capsys.readouterr().out.splitlines()[-1])["id"]
    assert cli.main(["delete", "1"]) == 0
    records = history(capsys)
    assert [(r["action"], r["media_id"], r["method"], r["outcome"]) for r in records] == [
        ("delete", 1, None, "done"),
        ("upload", uploaded, None, "done"),
        ("create", created, None, "done"),
        ("update", 1, "PUT", "done"),
        ("update", 1, "PATCH", "done"),
    ]
    delete, upload, create, put, patch = records
    assert patch["before"]["title"] == first["title"] and patch["after"]["title"] == "Rules v4"
    assert put["before"]["title"] == "Rules v4" and put["after"]["description"] == "Be kind."
    assert create["before"] is None and create["after"]["url"] == "https://example.org/post"
    assert upload["before"] is None and upload["after"]["id"] == uploaded
    assert delete["before"]["description"] == "Be kind." and delete["after"] is None
    assert delete["title"] == "Rules v4" and {r["host"] for r in records} == {env.url.removeprefix("http://")}
    assert [r["action"] for r in history(capsys, "--action", "update")] == ["update", "update"]
    assert [r["media_id"] for r in history(capsys, "--id", str(created))] == [created]
    assert len(history(capsys, "--since", "1h")) == 5 and history(capsys, "--since", "2099-01-01") == []


def test_a_refused_change_is_recorded_as_failed_with_the_servers_status(env, capsys):
    """#4 belongs to someone else in the seed: the server answers 403, and the history says so."""
    assert cli.main(["delete", "4"]) == 1
    [refused] = history(capsys)
    assert (refused["action"], refused["media_id"], refused["outcome"], refused["status"]) == (
        "delete",
        4,
        "failed",
        403,
    )
    assert refused["before"]["id"] == 4  # what it was, read just before


def test_undo_sets_back_the_fields_an_edit_changed(env, capsys):
    with MediaClient(env.url, env.token) as client:
        before = client.get(2)
    assert cli.main(["update", "2", "--set", "title=Wrong title", "--set", "keywords=oops", "--json"]) == 0
    edit = history(capsys)[0]
    assert cli.main(["history", "undo", str(edit["record"]), "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"undone: #2 set back as before record {edit['record']}" in out
    with MediaClient(env.url, env.token) as client:
        now = client.get(2)
    assert now.title == before.title and now.keywords == before.keywords
    undo = history(capsys)[0]
    assert undo["action"] == "undo" and undo["undoes"] == edit["record"] and undo["outcome"] == "done"
    assert cli.main(["history", "undo", str(edit["record"]), "--yes"]) == 2  # once
    assert "was undone already" in capsys.readouterr().err


def test_undo_will_not_overwrite_a_later_change_unless_told(env, capsys):
    assert cli.main(["update", "2", "--set", "title=Mine", "--set", "keywords=mine", "--json"]) == 0
    edit = history(capsys)[0]
    with MediaClient(env.url, env.token) as other:  # another moderator, after that edit
        other.patch(2, {"title": "Theirs"})
    assert cli.main(["history", "undo", str(edit["record"]), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "changed again since" in err and "title" in err and "“Theirs”" in err
    with MediaClient(env.url, env.token) as client:
        assert client.get(2).title == "Theirs"  # nothing sent
    assert cli.main(["history", "undo", str(edit["record"]), "--yes", "--choose", "title=theirs"]) == 0
    with MediaClient(env.url, env.token) as client:
        now = client.get(2)
    assert now.title == "Theirs" and now.keywords == edit["before"]["keywords"]


def test_undo_without_a_terminal_or_yes_refuses_and_read_only_refuses(env, capsys, monkeypatch):
    assert cli.main(["update", "2", "--set", "title=Typo", "--json"]) == 0
    edit = history(capsys)[0]
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # a script: no terminal to ask on
    assert cli.main(["history", "undo", str(edit["record"])]) == 2
    assert "add --yes" in capsys.readouterr().err
    assert cli.main(["--read-only", "history", "undo", str(edit["record"]), "--yes"]) == 2
    assert "read-only" in capsys.readouterr().err
    assert len(history(capsys, "--read-only")) == 1  # reading it is fine
    delete_first = cli.main(["delete", "5"])
    assert delete_first == 0
    deleted = history(capsys)[0]
    assert cli.main(["history", "undo", str(deleted["record"]), "--yes"]) == 1  # a delete's undo is a restore
    assert "the trash is off" in capsys.readouterr().err  # an image's file: it needs the trash (test_trash.py)


def test_the_file_is_private_holds_no_token_and_hostile_titles_print_inert(env, capsys, tmp_path):
    nasty = "\x1b]0;PWNED\x07\x9b31m\u202eevil"
    token = env.token
    log = History.for_server(env.url, host="h", token=token)
    log.add("update", 9, before={"title": f"said {token}"}, after={"title": nasty, "note": f"Bearer {token}"})
    log.close()
    path = history_path(env.url)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert token.encode() not in path.read_bytes()
    capsys.readouterr()
    assert cli.main(["history"]) == 0
    out = capsys.readouterr().out
    assert is_inert(out.replace("\n", "")) and "PWNED" in out


def test_records_older_than_the_retention_go(tmp_path):
    now = datetime(2026, 12, 7, tzinfo=UTC)
    clock = [now - timedelta(days=100)]
    log = History(tmp_path / "h.sqlite", host="h", clock=lambda: clock[0])
    log.add("delete", 1)
    clock[0] = now
    log.add("delete", 2)  # a write prunes what is older than the retention (90 days here)
    assert [r.media_id for r in log.records()] == [2]


def test_since_takes_a_time_ago_or_a_date():
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    assert parse_since("2d", now) == now - timedelta(days=2)
    assert parse_since("12h", now) == now - timedelta(hours=12)
    assert parse_since("2026-12-01", now) == datetime(2026, 12, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="2d, 12h"):
        parse_since("yesterday", now)


def test_undo_reads_again_after_its_question_and_sends_nothing_when_the_media_moved(env, capsys, monkeypatch):
    """Found in review: the media was read before the y/N question only, so a change made while it was open was
    overwritten without a word. (The moderator's answer is stood in for: another moderator edits meanwhile.)"""
    import mediatui.cli.history as command

    assert cli.main(["update", "2", "--set", "title=Mine", "--json"]) == 0
    edit = history(capsys)[0]

    def meanwhile(question: str = "Undo?") -> bool:
        with MediaClient(env.url, env.token) as other:
            other.patch(2, {"title": "Theirs, typed during the question"})
        return True

    monkeypatch.setattr(command, "_confirmed", meanwhile)
    assert cli.main(["history", "undo", str(edit["record"])]) == 1
    assert "changed on the server while you were asked" in capsys.readouterr().err
    with MediaClient(env.url, env.token) as client:
        assert client.get(2).title == "Theirs, typed during the question"


def test_a_catalogue_from_before_the_gone_column_is_upgraded(tmp_path):
    """Found in review: `uploaded` existed without `gone`, and CREATE TABLE IF NOT EXISTS does not add it."""
    import sqlite3

    from mediatui.media.catalogue import Catalogue

    path = tmp_path / "catalogue.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE uploaded (id INTEGER PRIMARY KEY, at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")
        db.execute("INSERT INTO uploaded (id) VALUES (7)")
    with Catalogue(path) as catalogue:
        assert catalogue.uploads() == ({7}, set())
        catalogue.upload_gone(7)
        assert catalogue.uploads() == (set(), {7})


def test_the_lists_delete_whose_answer_was_lost_is_deleted_and_recorded(make_sandbox):
    """Found in review: the list's delete retried inside, and took its own retry's 404 for "already gone",
    which the history leaves out: a delete that happened was missing from it."""
    from mediatui.media.deleting import delete_one, history_fields
    from mediatui.media.listing import SERVER, Listing
    from mediatui.sandbox import Faults

    server = make_sandbox(seed=40, faults=Faults(only_method="DELETE", lose_rate=0.5, seed=9))  # as in test_cli
    with MediaClient(server.url, server.token) as client:
        listing = Listing(client, None, SERVER)
        outcome = delete_one(lambda media_id: listing.delete(media_id), 1)
    assert outcome.kind == "deleted"
    assert history_fields(outcome, {"id": 1}) == {"before": {"id": 1}, "outcome": "done"}


def test_a_lone_surrogate_in_a_servers_answer_is_recorded_and_the_next_ids_are_still_deleted(monkeypatch, capsys):
    """Found in the attack session: a title "lone \\ud800" (valid JSON) made SQLite refuse the record, and the
    traceback stopped `delete 5 6 7` after the first."""
    from hostile_server import HostileServer, media, send

    def one(handler):
        media_id = int(handler.path.rstrip("/").rsplit("/", 1)[-1])
        send(handler, 200, json.dumps(media(media_id, title="lone \ud800 surrogate")))

    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", one)
        server.route("DELETE", "/api/v2/media/", lambda h: send(h, 204, b""))
        monkeypatch.setenv("MEDIATUI_URL", server.url)
        monkeypatch.setenv("MEDIATUI_TOKEN", "t")
        assert cli.main(["delete", "5", "6", "7"]) == 0
        deletes = [path for method, path, _ in server.requests if method == "DELETE"]
        assert len(deletes) == 3
        capsys.readouterr()
        assert cli.main(["history", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["media_id"] for r in records] == [7, 6, 5] and "\ufffd" in records[0]["title"]


def test_a_profiles_retention_deletes_only_its_own_records_and_only_when_it_writes(tmp_path):
    now = datetime(2026, 12, 7, tzinfo=UTC)
    clock = [now - timedelta(days=10)]
    long = History(tmp_path / "h.sqlite", host="h", profile="long", clock=lambda: clock[0])
    long.add("delete", 1)
    clock[0] = now
    short = History(tmp_path / "h.sqlite", host="h", profile="short", days=2, clock=lambda: clock[0])
    assert [r.media_id for r in short.records()] == [1]  # reading deletes nothing
    short.add("delete", 2)
    assert sorted(r.media_id for r in short.records()) == [1, 2]  # another profile's record is its own


def test_a_damaged_row_is_skipped_and_bad_numbers_are_said_not_tracebacks(env, capsys, tmp_path):
    import sqlite3

    log = History.for_server(env.url, host="h")
    log.add("delete", 1)
    log.add("delete", 2)
    log.close()
    with sqlite3.connect(history_path(env.url)) as db:
        db.execute("UPDATE records SET at = 'zzz-garbage' WHERE media_id = 1")
    assert [r["media_id"] for r in history(capsys)] == [2]
    assert cli.main(["history", "--since", "999999d"]) == 2
    for bad in (["history", "--limit", "99999999999999999999"], ["history", "undo", "99999999999999999999"]):
        with pytest.raises(SystemExit) as refused:  # argparse's own: usage, and exit 2
            cli.main(bad)
        assert refused.value.code == 2

"""Issue 27: a local trash (opt-in), and a deleted media restored from the history, against the sandbox."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from datetime import datetime, timedelta

import pytest

from helpers import cli_env, pdf_bytes, png_bytes
from mediatui import cli
from mediatui._compat import UTC
from mediatui.api import Media, MediaClient
from mediatui.community.trash import Trash
from mediatui.sandbox import Faults


@pytest.fixture
def env(make_sandbox, monkeypatch):
    server = make_sandbox(seed=3)
    monkeypatch.setenv("MEDIATUI_URL", server.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", server.token)
    monkeypatch.setenv("MEDIATUI_TRASH_MB", "100")
    return server


def md5_of(server, media: Media) -> str:
    import httpx

    return hashlib.md5(httpx.get(media.image or media.url or "", timeout=10).content).hexdigest()


def upload(server, tmp_path, name: str, data: bytes, capsys) -> Media:
    path = tmp_path / name
    path.write_bytes(data)
    capsys.readouterr()
    assert cli.main(["upload", str(path), "--json"]) == 0
    return Media.from_json(json.loads(capsys.readouterr().out.splitlines()[-1]))


@pytest.mark.smoke
def test_delete_keeps_the_file_and_restore_makes_it_again_byte_exact(env, capsys, tmp_path):
    picture = upload(env, tmp_path, "harbour.png", png_bytes(60_000, 1), capsys)
    document = upload(env, tmp_path, "minutes.pdf", pdf_bytes(40_000), capsys)
    with MediaClient(env.url, env.token) as client:
        client.patch(picture.id, {"title": "Harbour at dawn", "description": "From the pier.", "keywords": "sea"})
        client.patch(document.id, {"title": "Minutes", "description": "March"})
        link = client.create("url", url="https://example.org/post", title="A post", description="Read me")
        originals = {m.id: client.get(m.id) for m in (picture, document, link)}
    digests = {i: md5_of(env, m) for i, m in originals.items() if m.type != "url"}
    for media_id in originals:
        assert cli.main(["delete", str(media_id)]) == 0
    trash = Trash.for_server(env.url, 100)
    kept = {k.media_id: k for k in trash.entries()}
    assert set(kept) == {picture.id, document.id}  # a url media needs no file: its JSON is enough
    for one in kept.values():
        assert stat.S_IMODE(one.path.stat().st_mode) == 0o600
        assert stat.S_IMODE(one.path.parent.stat().st_mode) == 0o700
    for media_id, before in originals.items():
        capsys.readouterr()
        assert cli.main(["restore", str(media_id), "--yes"]) == 0, capsys.readouterr().err
        again = Media.from_json(json.loads(capsys.readouterr().out.splitlines()[-1]))
        assert again.id != media_id and again.type == before.type
        for field in ("title", "description", "keywords"):
            assert getattr(again, field) == getattr(before, field), field
        if media_id in digests:
            assert md5_of(env, again) == digests[media_id]
        else:
            assert again.url == before.url
    capsys.readouterr()
    assert cli.main(["history", "--json", "--action", "restore"]) == 0
    restores = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    done = [r for r in restores if r["outcome"] == "done"]
    assert len(done) == 3 and all(r["undoes"] for r in restores)  # and each "begun" before it was made
    assert cli.main(["restore", str(picture.id), "--yes"]) == 1  # once
    assert "restored already" in capsys.readouterr().err


def test_with_the_trash_off_nothing_is_fetched_and_restore_says_why(make_sandbox, monkeypatch, capsys, tmp_path):
    server = make_sandbox(seed=3, faults=Faults(only_path="/media/uploads/"))
    monkeypatch.setenv("MEDIATUI_URL", server.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", server.token)
    monkeypatch.delenv("MEDIATUI_TRASH_MB", raising=False)
    picture = upload(server, tmp_path, "a.png", png_bytes(20_000), capsys)
    assert cli.main(["delete", str(picture.id)]) == 0
    assert server.config.faults.matched == 0  # no file was fetched
    capsys.readouterr()
    assert cli.main(["restore", str(picture.id), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "the trash is off" in err and f"mediatui history --json --id {picture.id}" in err


def test_a_file_that_cannot_be_fetched_is_said_and_the_delete_still_happens(
    make_sandbox, monkeypatch, capsys, tmp_path
):
    server = make_sandbox(seed=3)
    monkeypatch.setenv("MEDIATUI_URL", server.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", server.token)
    monkeypatch.setenv("MEDIATUI_TRASH_MB", "100")
    picture = upload(server, tmp_path, "a.png", png_bytes(20_000), capsys)
    for stored in (server.sandbox.files_dir / "uploads").rglob("a.png"):  # the file went missing on the server
        stored.unlink()
    capsys.readouterr()
    assert cli.main(["delete", str(picture.id)]) == 0
    err = capsys.readouterr().err
    assert f"#{picture.id} not kept in the trash (the file is not there (404))" in err and "deleted anyway" in err
    with MediaClient(server.url, server.token) as client:
        assert picture.id not in [m.id for m in client.list(limit=50).results]


def test_the_trash_stays_within_its_size_oldest_first_and_expired_files_go(tmp_path):
    clock = [datetime(2026, 12, 1, tzinfo=UTC)]
    trash = Trash(tmp_path / "trash", mb=1, days=30, clock=lambda: clock[0])
    for media_id in range(1, 6):  # 5 × 300 KB into 1 MB
        clock[0] += timedelta(minutes=1)
        trash.keep(Media(id=media_id, type="image"), os.urandom(300_000), f"{media_id}.png")
        assert trash.size() <= 1_000_000
    assert [k.media_id for k in trash.entries()] == [3, 4, 5]
    clock[0] += timedelta(days=31)
    assert trash.prune() == 3 and trash.entries() == []


def test_a_restore_killed_halfway_resumes_without_a_second_media(make_sandbox, tmp_path):
    server = make_sandbox(seed=3, faults=Faults(only_path="/upload/chunk/"))
    env = cli_env(server, tmp_path) | {"MEDIATUI_TRASH_MB": "100", "MEDIATUI_DATA_DIR": str(tmp_path / "data")}
    path = tmp_path / "big.png"
    path.write_bytes(png_bytes(4_500_000, 2))
    done = subprocess.run(
        [sys.executable, "-m", "mediatui", "upload", str(path), "--json"], env=env, capture_output=True, text=True
    )
    media_id = json.loads(done.stdout)["id"]
    assert subprocess.run([sys.executable, "-m", "mediatui", "delete", str(media_id)], env=env).returncode == 0
    with MediaClient(server.url, server.token) as client:
        count = client.list(limit=1).count
    sent = server.config.faults.matched  # the first upload's chunks
    server.config.faults.latency_ms = 300  # the restore's chunks are slow enough to be cut off between two
    proc = subprocess.Popen(
        [sys.executable, "-m", "mediatui", "restore", str(media_id), "--yes"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    state = tmp_path / "state"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.config.faults.matched < sent + 2:  # a chunk or two of the restore
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    server.config.faults.release.set()  # the resumed restore's chunks go at full speed
    from mediatui.upload import journal as J

    with J.Journal.for_server(server.url, state) as journal:
        assert journal.entries(J.RESUMABLE), "killed before its upload was under way"  # cut off halfway
    again = subprocess.run(
        [sys.executable, "-m", "mediatui", "restore", str(media_id), "--yes"], env=env, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    with MediaClient(server.url, server.token) as client:
        assert client.list(limit=1).count == count + 1  # one new media, not two


def recorded(server, action: str) -> bool:
    from mediatui.media.history import History

    with History.for_server(server.url, host="h") as log:
        return bool(log.records(action=action))


async def _list_of(server, monkeypatch, tmp_path, capsys):
    from mediatui.tui.screens import confirm_modal

    monkeypatch.setattr(confirm_modal, "GUARD", 0.0)
    monkeypatch.setenv("MEDIATUI_URL", server.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", server.token)
    monkeypatch.setenv("MEDIATUI_TRASH_MB", "100")
    return upload(server, tmp_path, "harbour.png", png_bytes(30_000, 3), capsys)


async def test_the_list_keeps_the_file_before_asking_and_u_on_the_history_restores_it(
    make_sandbox, monkeypatch, tmp_path, capsys
):
    from mediatui.tui.screens.browse_screen import BrowseScreen
    from mediatui.tui.screens.confirm_modal import GuardedConfirm
    from mediatui.tui.screens.delete_modal import DeleteModal
    from mediatui.tui.screens.history_screen import HistoryScreen
    from tui_helpers import make_app, settle, titles, wait_for

    server = make_sandbox(seed=3)
    picture = await _list_of(server, monkeypatch, tmp_path, capsys)
    digest = md5_of(server, picture)
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.screen.table.current.id == picture.id  # the newest: the top row
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteModal) and app.screen.armed, what="asked")
        said = str(app.screen.query_one("#names").render())
        assert "The trash keeps the files" in said and "could not be kept" not in said
        assert [k.media_id for k in Trash.for_server(server.url, 100).entries()] == [picture.id]  # before the y
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen.state == "done", what="deleted")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowseScreen), what="the list")
        await wait_for(pilot, lambda: recorded(server, "delete"), what="the delete recorded (on a worker)")
        await pilot.press("H")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and bool(app.screen.records), what="H")
        # the app's clock is the tests' fixed one, the CLI's upload the real one: the delete's row, wherever it is
        await pilot.press(*["j"] * [r.action for r in app.screen.records].index("delete"))
        await pilot.press("U")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="restore?")
        assert "uploaded again from the trash" in str(app.screen.query_one("#confirm-body").render())
        await pilot.press("y")
        await wait_for(pilot, lambda: any("Restored" in str(n.message) for n in app._notifications), timeout=30)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowseScreen) and "harbour.png" in titles(app)[0])
        again = app.screen.table.current
    assert again.id != picture.id and md5_of(server, again) == digest


async def test_a_file_that_cannot_be_kept_is_named_in_the_question_and_escape_while_keeping_deletes_nothing(
    make_sandbox, monkeypatch, tmp_path, capsys
):
    from mediatui.tui.screens.delete_modal import DeleteModal
    from tui_helpers import make_app, settle, wait_for

    server = make_sandbox(seed=3)
    picture = await _list_of(server, monkeypatch, tmp_path, capsys)
    for stored in (server.sandbox.files_dir / "uploads").rglob("harbour.png"):
        stored.unlink()
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteModal) and app.screen.armed, what="asked")
        said = str(app.screen.query_one("#names").render())
        assert f"#{picture.id} could not be kept (the file is not there (404)): delete anyway?" in said
        assert "This cannot be undone." in said
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen.state == "done", what="deleted all the same")
        server.config.faults.only_path, server.config.faults.latency_ms = "/media/seed/", 60_000
        server.config.faults.latency_files = True
        await pilot.press("enter")
        await settle(pilot)
        current = app.screen.table.current
        await pilot.press("d")  # a seeded picture: its fetch is held
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteModal) and app.screen.state == "keeping")
        await wait_for(pilot, lambda: bool(server.config.faults.held), what="the fetch held")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, DeleteModal), what="closed")
        server.config.faults.release.set()
    with MediaClient(server.url, server.token) as client:
        assert client.get(current.id).id == current.id  # nothing deleted


def test_a_file_larger_than_the_trash_is_refused_and_pushes_nothing_out(tmp_path):
    """Found in the attack session: it pushed every file out, then itself, and was said kept."""
    from mediatui.community.trash import TrashFull

    clock = [datetime(2026, 12, 1, tzinfo=UTC)]
    trash = Trash(tmp_path / "trash", mb=1, clock=lambda: clock[0])
    for media_id in range(1, 4):  # three in the same second: still oldest first
        trash.keep(Media(id=media_id, type="image"), os.urandom(300_000), f"{media_id}.png")
    with pytest.raises(TrashFull, match="larger than the whole trash"):
        trash.keep(Media(id=9, type="doc"), os.urandom(1_200_000), "big.pdf")
    assert [k.media_id for k in trash.entries()] == [1, 2, 3]
    trash.keep(Media(id=4, type="image"), os.urandom(300_000), "4.png")
    assert [k.media_id for k in trash.entries()] == [2, 3, 4]  # the oldest went, not any of the same second


def test_a_damaged_record_is_skipped_and_a_changed_file_is_never_restored(env, capsys, tmp_path):
    picture = upload(env, tmp_path, "harbour.png", png_bytes(20_000, 4), capsys)
    other = upload(env, tmp_path, "other.png", png_bytes(20_000, 5), capsys)
    assert cli.main(["delete", str(picture.id), str(other.id)]) == 0
    trash = Trash.for_server(env.url, 100)
    first, second = trash.entries()
    meta = json.loads(second.meta.read_text())
    second.meta.write_text(json.dumps(meta | {"kept_at": "2026-12-07T06:00:00"}))  # no zone
    first.path.write_bytes(b"not what was kept")
    capsys.readouterr()
    assert cli.main(["restore", str(first.media_id), "--yes"]) == 1
    assert "not the one kept" in capsys.readouterr().err
    assert trash.entries() == [] or all(k.media_id != second.media_id for k in trash.entries())


def test_restore_takes_only_the_file_its_delete_saw(env, capsys, tmp_path):
    """Found in the attack session: an older copy (kept by a delete answered n, then the media's file changed)
    was restored under the new title."""
    picture = upload(env, tmp_path, "harbour.png", png_bytes(20_000, 6), capsys)
    Trash.for_server(env.url, 100).keep(picture, b"an older file", "old.png", "https://elsewhere.invalid/old.png")
    for stored in (env.sandbox.files_dir / "uploads").rglob("harbour.png"):  # the delete cannot keep it now
        stored.unlink()
    assert cli.main(["delete", str(picture.id)]) == 0
    capsys.readouterr()
    assert cli.main(["restore", str(picture.id), "--yes"]) == 1
    assert "not in the trash" in capsys.readouterr().err


def test_restore_prints_the_new_media_alone_on_stdout_and_a_bad_trash_size_is_refused(
    env, capsys, tmp_path, monkeypatch
):
    link = MediaClient(env.url, env.token).create("url", url="https://example.org/x", title="X")
    assert cli.main(["delete", str(link.id)]) == 0
    capsys.readouterr()
    assert cli.main(["restore", str(link.id), "--yes"]) == 0
    assert json.loads(capsys.readouterr().out)["url"] == "https://example.org/x"  # a script pipes it to jq
    monkeypatch.setenv("MEDIATUI_TRASH_MB", "lots")
    assert cli.main(["list"]) == 2
    assert "MEDIATUI_TRASH_MB is a whole number" in capsys.readouterr().err


def test_a_url_restore_that_failed_after_it_made_the_media_is_never_made_twice(env, capsys):
    """Found in review: the PATCH failed (503), "not restored" was said, and a second restore made another."""
    link = MediaClient(env.url, env.token).create("url", url="https://example.org/y", title="Y")
    assert cli.main(["delete", str(link.id)]) == 0
    faults = env.config.faults
    faults.only_method, faults.fail_next = "PATCH", 20
    capsys.readouterr()
    assert cli.main(["restore", str(link.id), "--yes"]) == 1
    assert "restored as #" in capsys.readouterr().err  # made, and said so
    faults.fail_next = 0
    assert cli.main(["restore", str(link.id), "--yes"]) == 1
    assert "restored already" in capsys.readouterr().err
    with MediaClient(env.url, env.token) as client:
        assert [m.url for m in client.list(limit=50).results].count("https://example.org/y") == 1


def test_a_restore_uploads_its_own_copy_so_a_prune_meanwhile_takes_nothing_from_it(env, capsys, tmp_path):
    picture = upload(env, tmp_path, "harbour.png", png_bytes(30_000, 7), capsys)
    digest = md5_of(env, picture)
    assert cli.main(["delete", str(picture.id)]) == 0
    from mediatui.community import restore as restoring
    from mediatui.media.history import History

    with History.for_server(env.url, host="h") as log:
        [deleted] = log.records(action="delete")
    kept = Trash.for_server(env.url, 100).find(picture.id)
    copy = restoring._private_copy(kept, deleted)
    for entry in Trash.for_server(env.url, 100).entries():  # the trash loses it (a prune, a full trash)
        shutil.rmtree(entry.path.parent)
    assert copy.exists() and stat.S_IMODE(copy.stat().st_mode) == 0o600
    capsys.readouterr()
    from mediatui.cli.common import community_of

    class Args:  # the flags community_of reads
        url = profile = log = None
        insecure = read_only = False

    with community_of(Args()) as community:
        media, _ = restoring.restore(community, deleted)
    assert md5_of(env, media) == digest and not copy.exists()


def test_the_trash_caps_are_the_apis_own(tmp_path):
    from mediatui.community.trash import CAPS
    from mediatui.upload.preflight import Limits

    assert CAPS["image"] == Limits().image and CAPS["doc"] == Limits().document


def test_expired_files_go_at_the_start_of_a_verb_even_with_the_trash_off(env, monkeypatch, capsys):
    """Found in review: with the trash off (after a run with MEDIATUI_TRASH_MB) nothing ever pruned it again."""
    old = datetime.now(UTC) - timedelta(days=40)
    Trash.for_server(env.url, 100, clock=lambda: old).keep(Media(id=99, type="image"), b"kept", "a.png")
    folder = Trash.for_server(env.url, 100).folder
    assert any(folder.iterdir())
    monkeypatch.delenv("MEDIATUI_TRASH_MB")
    assert cli.main(["list", "--limit", "1"]) == 0
    assert not any(folder.iterdir())

"""`mediatui upload` as a script would run it: exit codes, JSON, plain lines, kill -9 and --resume."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import httpx
import pytest

from helpers import FullDisk, cli_env, md5, pdf_bytes, png_bytes, upload_under_way, wait_until
from mediatui import cli
from mediatui.api import MediaClient
from mediatui.sandbox import Faults
from mediatui.upload.journal import Journal, journal_path


@pytest.fixture
def env(make_sandbox, monkeypatch, tmp_path):
    server = make_sandbox()
    monkeypatch.setenv("MEDIATUI_URL", server.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", server.token)
    monkeypatch.setenv("MEDIATUI_STATE_DIR", str(tmp_path / "state"))
    return server


def media_on(server):
    with MediaClient(server.url, server.token) as client:
        return client.list(limit=100).results


@pytest.mark.smoke
def test_upload_prints_lines_and_json(env, tmp_path, capsys):
    a, b = tmp_path / "a.png", tmp_path / "b.pdf"
    a.write_bytes(png_bytes(250_000))
    b.write_bytes(pdf_bytes(30_000))
    assert cli.main(["upload", str(a), str(b), "--json"]) == 0
    out = capsys.readouterr()
    created = [json.loads(line) for line in out.out.splitlines()]
    assert sorted(m["title"] for m in created) == ["a.png", "b.pdf"]
    assert "completed  a.png" in out.err and "2 of 2 uploaded" in out.err
    assert len(media_on(env)) == 2


def test_plain_lines_without_a_terminal(env, tmp_path, capsys):
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_bytes(500_000))
    assert cli.main(["upload", str(path), "--chunk-size", "100000"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("queued     doc.pdf (500.0 kB, doc)")
    assert lines[-1].startswith("completed  doc.pdf → media ")
    assert any(line.startswith("progress   doc.pdf 100%") for line in lines)


def test_preflight_errors_send_nothing(env, tmp_path, capsys, monkeypatch):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "fake.pdf").write_bytes(png_bytes(100))
    (tmp_path / "doc.png").write_bytes(pdf_bytes(100))
    big = tmp_path / "big.png"
    big.write_bytes(png_bytes(100))
    os.truncate(big, 5 * 1024 * 1024 + 1)
    hugedoc = tmp_path / "huge.pdf"
    hugedoc.write_bytes(pdf_bytes(100))
    os.truncate(hugedoc, 50 * 1024 * 1024 + 1)
    locked = tmp_path / "locked.png"
    locked.write_bytes(png_bytes(100))
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(locked) else real_access(p, mode))
    good = tmp_path / "good.png"
    good.write_bytes(png_bytes(100))
    names = ["notes.txt", "empty.png", "fake.pdf", "doc.png", "big.png", "huge.pdf", "locked.png", "missing.png", "."]
    assert cli.main(["upload", str(good), *[str(tmp_path / n) for n in names]]) == 2
    err = capsys.readouterr().err
    for expected in [
        "notes.txt: unknown type '.txt'",
        "empty.png: is empty",
        "fake.pdf: is not a PDF",
        "doc.png: is a PDF",
        "big.png: is 5.0 MB, over the 5.0 MB limit for images",
        "huge.pdf: is 50.0 MB, over the 50.0 MB limit for documents",
        "locked.png: cannot be read",
        "missing.png: no such file",
        "is a directory",
        "nothing was sent",
    ]:
        assert expected in err
    assert media_on(env) == []


def test_type_flag(env, tmp_path, capsys):
    path = tmp_path / "pic.png"
    path.write_bytes(png_bytes(100))
    assert cli.main(["upload", str(path), "--type", "doc"]) == 2
    assert "is not a PDF" in capsys.readouterr().err
    assert cli.main(["upload", str(path), "--type", "eimage", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["type"] == "eimage"


def test_failures_exit_1_with_a_summary(env, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MEDIATUI_TOKEN", "wrong")
    path = tmp_path / "a.png"
    path.write_bytes(png_bytes(100))
    assert cli.main(["upload", str(path)]) == 1
    err = capsys.readouterr().err
    assert "0 of 1 uploaded" in err and "failed     a.png: the chunk at byte 0: 401 Invalid token." in err
    assert "next: check the token and its rights (MEDIATUI_TOKEN or the profile), then: mediatui upload --resume" in err
    assert "wrong" not in err  # the token itself is never printed


def test_a_file_the_server_refuses_says_where_what_it_answered_and_not_to_resume(
    make_sandbox, tmp_path, capsys, monkeypatch
):
    """Every failure names the file, what failed (which chunk, or the completion), the server's status and
    words, and what to do next: here resuming would only be refused again."""
    server = make_sandbox(max_image=100_000)
    monkeypatch.setenv("MEDIATUI_URL", server.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", server.token)
    path = tmp_path / "big.png"
    path.write_bytes(png_bytes(150_000))
    assert cli.main(["upload", str(path), "--chunk-size", "60000"]) == 1
    err = capsys.readouterr().err
    assert "failed     big.png: the chunk at byte 0: 400 Size of file exceeds the limit" in err, err
    assert f"next: fix the file, then: mediatui upload {path}" in err
    assert "--resume" not in err
    assert cli.main(["upload", "--resume"]) == 0  # a refusal is not offered again: it would only be refused again
    assert "nothing to resume" in capsys.readouterr().err
    path.write_bytes(png_bytes(50_000))  # fixed: uploaded as the file it is now
    assert cli.main(["upload", str(path)]) == 0


def test_unknown_completion_is_explained_then_recompleted_or_forgotten(env, tmp_path, capsys):
    env.config.faults.lose_rate, env.config.faults.only_path = 1.0, "/upload/complete/"
    path = tmp_path / "a.png"
    path.write_bytes(png_bytes(1000))
    assert cli.main(["upload", str(path)]) == 1
    err = capsys.readouterr().err
    assert "unknown    a.png (upload " in err and "--recomplete" in err
    upload_id = err.split("--recomplete ")[1].split(";")[0].split()[0]
    env.config.faults.lose_rate = 0.0
    assert cli.main(["upload", "--resume"]) == 1  # not resent, only reported: the user must decide
    assert "completion unknown" in capsys.readouterr().err
    assert len(media_on(env)) == 1
    # The user looked: the media exists (the sandbox refuses a second completion anyway).
    assert cli.main(["upload", "--recomplete", upload_id]) == 1
    assert "already been marked" in capsys.readouterr().err
    assert cli.main(["upload", "--forget", upload_id]) == 0
    assert cli.main(["upload", "--forget", upload_id]) == 2


def test_sigkill_mid_upload_then_resume(make_sandbox, tmp_path):
    server = make_sandbox(faults=Faults(latency_ms=40))
    path = tmp_path / "big.pdf"
    path.write_bytes(pdf_bytes(3_000_000))
    env = dict(
        os.environ, MEDIATUI_URL=server.url, MEDIATUI_TOKEN=server.token, MEDIATUI_STATE_DIR=str(tmp_path / "state")
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "mediatui", "upload", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    journal = journal_path(server.url.rstrip("/"), tmp_path / "state")

    def offset() -> int:
        if not journal.exists():
            return 0
        try:
            with sqlite3.connect(journal) as db:
                row = db.execute("SELECT offset FROM entries").fetchone()
        except sqlite3.OperationalError:  # made, but its table not yet
            return 0
        return row[0] if row else 0

    wait_until(lambda: offset() >= 600_000, timeout=30, what="600 KB in the journal", every=0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert 600_000 <= offset() < 3_000_000
    server.config.faults.latency_ms = 0
    result = subprocess.run(
        [sys.executable, "-m", "mediatui", "upload", "--resume"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "resuming   big.pdf from" in result.stdout
    [media] = media_on(server)
    assert md5(httpx.get(media.url).content) == md5(path.read_bytes())


@pytest.mark.serial
def test_a_first_ctrl_c_does_not_wait_for_a_server_that_hangs(make_sandbox, tmp_path):
    """Ctrl-C once while a chunk hangs: the request is cut off after a few seconds, not its 30 s deadline."""
    from mediatui.cli.upload import ABORT_AFTER

    server = make_sandbox(faults=Faults(latency_ms=60))
    path = tmp_path / "big.pdf"
    path.write_bytes(pdf_bytes(4_000_000))
    env = cli_env(server, tmp_path)
    proc, _ = upload_under_way(env, path)
    server.config.faults.latency_ms = 60_000  # from now on every request hangs
    wait_until(lambda: 60_000 in server.config.faults.held, what="a chunk to hang in flight")
    proc.send_signal(signal.SIGINT)
    signalled = time.monotonic()
    _, err = proc.communicate(timeout=30)
    took = time.monotonic() - signalled
    assert proc.returncode == 130, err
    assert took < ABORT_AFTER + 3, took
    assert "cutting off the requests in flight" in err and "cancelled: 1 resumable" in err
    assert "Traceback" not in err
    server.config.faults.latency_ms = 0
    done = subprocess.run(
        [sys.executable, "-m", "mediatui", "upload", "--resume"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    [media] = media_on(server)
    assert md5(httpx.get(media.url).content) == md5(path.read_bytes())


def minutes_under_way(make_sandbox, tmp_path):
    """A 3 MB PDF being uploaded by `mediatui upload` (a subprocess), chunks slowed down: the sandbox, the
    file, its stat before, the environment, and the process."""
    server = make_sandbox(faults=Faults(latency_ms=60))
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf_bytes(3_000_000))
    before = path.stat()
    env = cli_env(server, tmp_path)
    proc, _ = upload_under_way(env, path)
    return server, path, before, env, proc


@pytest.mark.parametrize("how", ["rewritten", "touch -r"])
def test_a_file_that_changes_while_it_uploads_is_never_completed(make_sandbox, tmp_path, how):
    """Rewritten in place mid-upload (or so, then its mtime put back as `touch -r` does): no media of mixed
    bytes, exit 1, a message that says what to do, and nothing left to resume the old bytes from."""
    server, path, before, env, proc = minutes_under_way(make_sandbox, tmp_path)
    server.config.faults.latency_ms = 60_000  # hold the chunk in flight while the file changes
    wait_until(lambda: 60_000 in server.config.faults.held, what="a chunk in flight")
    with open(path, "r+b") as f:  # the second MB overwritten in place
        f.seek(1_000_000)
        f.write(b"x" * 1_000_000)
    if how == "touch -r":
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime as it was; ctime moves anyway
    server.config.faults.latency_ms = 0
    server.config.faults.release.set()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "minutes.pdf: changed while uploading: start again" in err and "Traceback" not in err
    assert f"next: upload it again as it is now: mediatui upload {path}" in err and "--resume" not in err
    assert media_on(server) == []  # never completed
    again = subprocess.run(
        [sys.executable, "-m", "mediatui", "upload", "--resume"], env=env, capture_output=True, text=True, timeout=60
    )
    assert media_on(server) == [], again.stderr  # nothing resumes the old bytes


def test_a_name_that_is_not_utf8_is_uploaded_byte_exact_and_shown_with_escapes(env, tmp_path, capsys):
    """caf\\xe9.png (Latin-1): uploaded, its bytes whole; the server is sent the name with U+FFFD for the byte;
    the lines show `caf\\xe9.png`; the journal keeps the real name, so that --resume finds the file."""
    folder = os.fsencode(tmp_path / "pics")
    os.mkdir(folder)
    name = os.path.join(folder, b"caf\xe9.png")
    with open(name, "wb") as f:
        f.write(png_bytes(150_000, seed=3))
    path = os.fsdecode(name)
    assert cli.main(["upload", path]) == 0
    out = capsys.readouterr()
    assert "caf\\xe9.png" in out.out + out.err and "Traceback" not in out.err
    [media] = media_on(env)
    assert md5(httpx.get(media.image).content) == md5(open(name, "rb").read())
    assert media.title in ("caf\ufffd.png", "caf\ufffd")  # the server's name for it: the byte replaced
    with Journal(journal_path(env.url, tmp_path / "state")) as journal:
        [entry] = journal.entries()
    assert os.fsencode(entry.path) == name  # the real bytes, so that a resume opens this very file


def test_a_file_added_again_after_touch_r_starts_over_and_lands_as_it_is_now(make_sandbox, tmp_path):
    """Cancelled half way, then rewritten with its mtime put back (touch -r): adding it again must not continue
    the old bytes (the md5 would not match, or worse): the old upload is closed, the new one starts at 0."""
    server, path, before, env, proc = minutes_under_way(make_sandbox, tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    old = pdf_bytes(3_000_000)
    path.write_bytes(old[:20] + b"0123456789" + old[30:])  # same size, other bytes where some were sent
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    server.config.faults.latency_ms = 0
    done = subprocess.run(
        [sys.executable, "-m", "mediatui", "upload", str(path)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    [media] = media_on(server)
    assert md5(httpx.get(media.url).content) == md5(path.read_bytes())


def test_another_version_copied_over_with_cp_p_is_not_taken_for_one_uploaded_before(make_sandbox, tmp_path):
    server = make_sandbox()
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf_bytes(300_000))
    env = cli_env(server, tmp_path)
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "mediatui", "upload", str(path)], env=env, capture_output=True, text=True, timeout=60
    )
    assert run().returncode == 0
    before = path.stat()
    old = path.read_bytes()
    path.unlink()  # cp -p: another file (another inode), the same size and mtime
    path.write_bytes(old[:20] + b"0123456789" + old[30:])
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    again = run()
    assert again.returncode == 0 and "already uploaded" not in again.stderr + again.stdout, again.stderr
    assert sorted(md5(httpx.get(m.url).content) for m in media_on(server)) == sorted([md5(old), md5(path.read_bytes())])


def test_a_full_state_folder_while_planning_names_the_folder_and_sends_nothing(env, tmp_path, capsys, monkeypatch):
    """The journal's file system fills up (its files exist; new bytes do not fit): which folder is full, no
    traceback, and nothing reaches the server."""
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    first.write_bytes(png_bytes(60_000, seed=1))
    second.write_bytes(png_bytes(60_000, seed=2))
    assert cli.main(["upload", str(first)]) == 0  # the journal and its lock folder are there
    capsys.readouterr()
    FullDisk(monkeypatch, tmp_path / "state").on()
    assert cli.main(["upload", str(second)]) == 1
    err = capsys.readouterr().err
    assert f"the state folder is full: {tmp_path / 'state'} (no room for" in err and "MEDIATUI_STATE_DIR" in err, err
    assert "nothing was sent" in err and "Traceback" not in err and "Errno" not in err
    assert [m.title for m in media_on(env)] == ["first.png"]


def test_a_full_data_folder_keeps_the_upload_and_says_the_catalogue_missed_it(env, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MEDIATUI_DATA_DIR", str(tmp_path / "data"))
    first, second = tmp_path / "first.png", tmp_path / "second.png"
    first.write_bytes(png_bytes(60_000, seed=1))
    second.write_bytes(png_bytes(60_000, seed=2))
    assert cli.main(["upload", str(first)]) == 0  # the catalogue is there
    capsys.readouterr()
    FullDisk(monkeypatch, tmp_path / "data").on()
    assert cli.main(["upload", str(second), "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["title"] == "second.png"  # the server's result, printed first
    warning = f"warning: not remembered in the local catalogue: the data folder is full: {tmp_path / 'data'} (no room"
    assert warning in out.err, out.err


def test_a_really_full_state_folder_is_called_full(make_sandbox, tmp_path):
    """On a real full file system (a 256 KB tmpfs, filled), SQLite opening the journal says "disk I/O error"
    (its shared-memory file cannot grow), not "full": the message must still say which folder is full."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs unshare and root to mount a small tmpfs")
    server = make_sandbox()
    first, picture = tmp_path / "first.png", tmp_path / "a.png"
    first.write_bytes(png_bytes(20_000, seed=1))
    picture.write_bytes(png_bytes(20_000, seed=2))
    state = tmp_path / "state"
    state.mkdir()
    script = (  # the journal is made while there is room (as on any day), then the disk fills up
        f"mount -t tmpfs -o size=256k tmpfs {state} && {sys.executable} -m mediatui upload {first} >/dev/null && "
        f"(dd if=/dev/zero of={state}/fill bs=4k 2>/dev/null; true) && "
        f"exec {sys.executable} -m mediatui upload {picture}"
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], env=cli_env(server, tmp_path), capture_output=True, text=True, timeout=60
    )
    if "mount" in done.stderr and "denied" in done.stderr.lower():
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    assert done.returncode == 1 and f"the state folder is full: {state}" in done.stderr, done.stderr
    assert [m.title for m in media_on(server)] == ["first.png"]

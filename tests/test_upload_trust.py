"""Issue 7: uploads never make a duplicate, whatever the clock, a second pane or a repeated command does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta

import pytest

from helpers import cli_env, collect, pdf_bytes, png_bytes, upload_under_way, wait_until
from hostile_server import HostileServer, send_json
from mediatui import cli
from mediatui._compat import UTC
from mediatui.api import MediaClient
from mediatui.sandbox import Faults
from mediatui.upload import CompletionUnknown, Failed, Journal, Progress, RetryPolicy, UploadSession
from mediatui.upload import journal as J

FAST = RetryPolicy(base=0.01, cap=0.05, max_attempts=3)


@pytest.fixture
def env(make_sandbox, monkeypatch, tmp_path):
    server = make_sandbox()
    monkeypatch.setenv("MEDIATUI_URL", server.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", server.token)
    return server


def count(server) -> int:
    with MediaClient(server.url, server.token) as client:
        return client.list(limit=1).count


def journal_of(server, tmp_path) -> Journal:
    return Journal.for_server(server.url, tmp_path / "state")


def expire(server, tmp_path) -> None:
    """Move every entry's expiry into the past, as a night between two sessions would."""
    with journal_of(server, tmp_path) as journal:
        for entry in journal.entries():
            entry.expires = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
            journal.save(entry)


def test_lost_completion_then_local_expiry_never_uploads_again(env, tmp_path, capsys):
    env.config.faults.lose_rate, env.config.faults.only_path = 1.0, "/upload/complete/"
    path = tmp_path / "a.png"
    path.write_bytes(png_bytes(300_000))
    assert cli.main(["upload", str(path)]) == 1
    upload_id = capsys.readouterr().err.split("--recomplete ")[1].split(";")[0].split()[0]
    env.config.faults.lose_rate = 0.0
    expire(env, tmp_path)
    assert cli.main(["upload", "--recomplete", upload_id]) == 1
    assert "unknown" in capsys.readouterr().err
    assert count(env) == 1
    assert cli.main(["upload", "--resume"]) == 1
    assert count(env) == 1


def test_a_kill_while_completing_then_expiry_never_uploads_again(env, tmp_path, capsys):
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_bytes(250_000))
    assert cli.main(["upload", str(path)]) == 0
    assert count(env) == 1
    with journal_of(env, tmp_path) as journal:  # as if the process died after sending complete
        [entry] = journal.entries()
        entry.state, entry.media_id = J.COMPLETING, None
        journal.save(entry)
    expire(env, tmp_path)
    assert cli.main(["upload", "--resume"]) == 1
    assert "unknown" in capsys.readouterr().err
    assert count(env) == 1


def test_two_processes_resuming_one_journal_upload_each_file_once(make_sandbox, tmp_path):
    server = make_sandbox(faults=Faults(latency_ms=30))
    paths = []
    for n in range(6):
        path = tmp_path / f"f{n}.pdf"
        path.write_bytes(pdf_bytes(400_000 + n))
        paths.append(path)
    with MediaClient(server.url, server.token) as client:
        with UploadSession.open(client, tmp_path / "state") as session:
            assert len(session.plan_files(paths).items) == 6  # planned, never run: six unfinished entries
    env = dict(
        os.environ, MEDIATUI_URL=server.url, MEDIATUI_TOKEN=server.token, MEDIATUI_STATE_DIR=str(tmp_path / "state")
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "mediatui", "upload", "--resume", "--jobs", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=90) for p in procs]
    server.config.faults.latency_ms = 0
    assert count(server) == 6, outs
    assert all("Traceback" not in err for _, err in outs)
    assert any("another mediatui is uploading" in err for _, err in outs) or all(p.returncode == 0 for p in procs)


def test_cancelled_then_named_again_continues_the_same_upload(env, tmp_path, capsys):
    path = tmp_path / "same.pdf"
    path.write_bytes(pdf_bytes(1_000_000))
    with (
        MediaClient(env.url, env.token) as client,
        UploadSession.open(client, tmp_path / "state", chunk_size=100_000) as session,
    ):
        plan = session.plan_files([path])

        def cancel_early(event):
            if isinstance(event, Progress):
                session.cancel()

        session.run(plan.items, cancel_early)
    assert cli.main(["upload", str(path)]) == 0
    assert "resuming   same.pdf from" in capsys.readouterr().out
    assert cli.main(["upload", "--resume"]) == 0
    assert count(env) == 1


def test_a_file_uploaded_before_is_skipped_with_its_media_unless_again(env, tmp_path, capsys):
    path = tmp_path / "pic.png"
    path.write_bytes(png_bytes(5000))
    assert cli.main(["upload", str(path)]) == 0
    capsys.readouterr()
    assert cli.main(["upload", str(path)]) == 0
    err = capsys.readouterr().err
    assert "already uploaded as #1 on" in err and "--again" in err
    assert count(env) == 1
    assert cli.main(["upload", str(path), "--again"]) == 0
    assert count(env) == 2


def test_the_same_file_named_twice_or_through_a_link_is_uploaded_once(env, tmp_path, capsys):
    path = tmp_path / "pic.png"
    path.write_bytes(png_bytes(5000))
    (tmp_path / "link.png").symlink_to(path)
    os.link(path, tmp_path / "hard.png")
    assert cli.main(["upload", str(path), str(path), str(tmp_path / "link.png"), str(tmp_path / "hard.png")]) == 0
    assert capsys.readouterr().err.count("named more than once") == 3
    assert count(env) == 1


@pytest.mark.serial
def test_an_upload_with_no_progress_fails_resumable_after_the_stall_time(make_sandbox, tmp_path):
    server = make_sandbox(faults=Faults(fail_rate=1.0, only_path="/upload/chunk/"))
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_bytes(50_000))
    slow = RetryPolicy(base=0.2, cap=0.2, max_attempts=1000)
    with (
        MediaClient(server.url, server.token) as client,
        UploadSession.open(client, tmp_path / "state", retry=slow, stall_timeout=1.0) as session,
    ):
        started = time.monotonic()
        [event] = session.run(session.plan_files([path]).items)
    assert isinstance(event, Failed) and "no progress for" in event.error
    assert time.monotonic() - started < 5
    with journal_of(server, tmp_path) as journal:
        assert journal.entries()[0].state in J.RESUMABLE


def test_a_200_that_never_moves_the_offset_counts_against_the_retries(tmp_path):
    answer = {"upload_id": "u1", "offset": 0, "expires": "2099-01-01T00:00:00Z"}
    with HostileServer() as server:
        server.route("POST", "/api/v2/media/upload/chunk/", lambda h: send_json(h, 200, answer))
        path = tmp_path / "a.pdf"
        path.write_bytes(pdf_bytes(50_000))
        with (
            MediaClient(server.url, "t") as client,
            UploadSession.open(client, tmp_path / "state", retry=FAST) as session,
        ):
            [event] = session.run(session.plan_files([path]).items)
        assert isinstance(event, Failed) and "offset stayed" in event.error
        assert len(server.requests) <= FAST.max_attempts + 2


def test_a_completed_upload_is_printed_even_if_the_journal_then_fails(env, tmp_path, monkeypatch, capsys):
    path = tmp_path / "a.png"
    path.write_bytes(png_bytes(3000))
    real_save = Journal.save

    def failing_save(self, entry):
        if entry.state == J.COMPLETED:
            raise OSError(28, "No space left on device")
        real_save(self, entry)

    monkeypatch.setattr(Journal, "save", failing_save)
    assert cli.main(["upload", str(path), "--json"]) == 0
    out = capsys.readouterr()
    assert '"title": "a.png"' in out.out and "journal could not record it" in out.err


def run_and_interrupt(server, tmp_path, signals: int, *, hang: bool = False):
    """`mediatui upload` interrupted by `signals` Ctrl-Cs; `hang`: the server holds every request from then on."""
    path = tmp_path / "big.pdf"
    if not path.exists():
        path.write_bytes(pdf_bytes(4_000_000))
    proc, line = upload_under_way(cli_env(server, tmp_path), path)
    if hang:
        server.config.faults.latency_ms = 60_000
        wait_until(lambda: 60_000 in server.config.faults.held, what="a chunk to hang in flight")
    out, out_reader = collect(proc.stdout)
    err, err_reader = collect(proc.stderr)
    for left in reversed(range(signals)):
        proc.send_signal(signal.SIGINT)
        if left:  # two signals before the process ran its handler are one Ctrl-C to Python: wait until it was
            wait_until(lambda: any("cancelling" in e for e in err), what="the Ctrl-C to be taken")
    signalled = time.monotonic()
    proc.wait(timeout=20)
    run_and_interrupt.exit_took = time.monotonic() - signalled
    out_reader.join(5)
    err_reader.join(5)
    return proc.returncode, line + "".join(out), "".join(err)


@pytest.mark.parametrize("attempt", range(3))
def test_ctrl_c_cancels_between_chunks_and_stays_resumable(make_sandbox, tmp_path, attempt):
    server = make_sandbox(faults=Faults(latency_ms=60))
    code, out, err = run_and_interrupt(server, tmp_path, 1)
    assert code == 130, err
    assert "cancelled: 1 resumable (mediatui upload --resume)" in err
    assert "Traceback" not in err and "unexpectedly" not in err
    server.config.faults.latency_ms = 0
    env = dict(
        os.environ, MEDIATUI_URL=server.url, MEDIATUI_TOKEN=server.token, MEDIATUI_STATE_DIR=str(tmp_path / "state")
    )
    done = subprocess.run(
        [sys.executable, "-m", "mediatui", "upload", "--resume"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert count(server) == 1


@pytest.mark.serial
def test_a_second_ctrl_c_exits_at_once_still_resumable(make_sandbox, tmp_path):
    server = make_sandbox(faults=Faults(latency_ms=60))
    code, out, err = run_and_interrupt(server, tmp_path, 2, hang=True)  # the chunk in flight never ends by itself
    assert code == 130 and "Traceback" not in err and "stays resumable" in err
    assert run_and_interrupt.exit_took < 2  # not waiting for the hung chunk, nor for the first Ctrl-C's 3 s cut-off
    with journal_of(server, tmp_path) as journal:
        assert [e.state for e in journal.entries()] in (["uploading"], ["queued"], ["cancelled"])


def test_the_same_file_planned_twice_in_one_session_is_uploaded_once(env, tmp_path):
    path = tmp_path / "a.png"
    path.write_bytes(png_bytes(3000))
    with MediaClient(env.url, env.token) as client, UploadSession.open(client, tmp_path / "state") as session:
        first = session.plan_files([path])
        second = session.plan_files([path])  # the upload screen adds it again while the first runs
        assert second.items == [] and "in this session" in second.skipped[0].reason
        session.run(first.items)
    assert count(env) == 1


def test_a_refused_command_leaves_nothing_for_resume(env, tmp_path, capsys):
    good = tmp_path / "good.png"
    good.write_bytes(png_bytes(3000))
    assert cli.main(["upload", str(good), str(tmp_path / "missing.png")]) == 2
    assert cli.main(["upload", "--resume"]) == 0
    assert "nothing to resume" in capsys.readouterr().err
    assert count(env) == 0


def test_a_journal_failing_after_it_opened_is_a_message(env, tmp_path, capsys):
    import sqlite3

    with journal_of(env, tmp_path) as journal:
        path = journal.path
    with sqlite3.connect(path) as db:
        db.execute("CREATE TRIGGER no BEFORE INSERT ON entries BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    pic = tmp_path / "a.png"
    pic.write_bytes(png_bytes(3000))
    assert cli.main(["upload", str(pic)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err
    assert count(env) == 0


def test_a_lock_folder_that_is_a_file_is_a_message(env, tmp_path, capsys):
    with journal_of(env, tmp_path) as journal:
        locks = journal.path.with_name(journal.path.name + ".locks")
    locks.write_text("in the way")
    pic = tmp_path / "a.png"
    pic.write_bytes(png_bytes(3000))
    assert cli.main(["upload", str(pic)]) == 1
    assert str(locks) in capsys.readouterr().err


def hostile_upload(tmp_path, chunk_answer, complete_answer=None, size=500_000):
    """One file uploaded (chunks of 100 KB) against a server whose chunk answers come from
    `chunk_answer(n, handler)` (n counts from 0); its final event, and the server's requests."""
    calls = []

    def chunk(handler) -> None:
        calls.append(handler.path)
        chunk_answer(len(calls) - 1, handler)

    with HostileServer() as server:
        server.route("POST", "/api/v2/media/upload/chunk/", chunk)
        if complete_answer is not None:
            server.route("POST", "/api/v2/media/upload/complete/", complete_answer)
        path = tmp_path / "a.pdf"
        path.write_bytes(pdf_bytes(size))
        with (
            MediaClient(server.url, "t") as client,
            UploadSession.open(client, tmp_path / "state", retry=FAST, chunk_size=100_000) as session,
        ):
            [event] = session.run(session.plan_files([path]).items)
        return event, server.requests


def test_a_server_that_swaps_the_upload_id_on_every_chunk_ends_it_instead_of_looping(tmp_path):
    """A new upload_id with the offset back at 0 is no progress (the retries and the stall rule used to be reset
    by it, so the upload looped for ever)."""
    swap = lambda n, h: send_json(h, 200, {"upload_id": f"u{n}", "offset": 0, "expires": "2099-01-01T00:00:00Z"})  # noqa: E731
    event, requests = hostile_upload(tmp_path, swap)
    assert isinstance(event, Failed) and "the server kept losing the upload" in event.error, event
    assert len(requests) < 20


@pytest.mark.parametrize("offset", [-5, 10**15, 400_000])
def test_an_offset_the_chunks_sent_cannot_explain_is_never_completed(tmp_path, offset):
    """After the first chunk (bytes 0-99,999) the server claims an offset below 0, beyond the file, or beyond
    what was sent: the upload stops saying so (it used to seek to -5 and blame the file, or complete a media of
    one chunk), and nothing is completed."""

    def lying(n, handler) -> None:
        send_json(handler, 200, {"upload_id": "u1", "offset": 100_000 if n == 0 else offset, "expires": None})

    completed = []
    event, _ = hostile_upload(tmp_path, lying, lambda h: completed.append(h) or send_json(h, 201, {"id": 9}))
    assert isinstance(event, Failed) and not completed, event
    assert f"the server says it holds {offset:,} bytes" in event.error and event.stage == "the chunk at byte 100,000"
    assert event.next == "resume"


@pytest.mark.parametrize("body", [[1, 2, 3], {"id": 0, "type": "image"}, {"id": "abc"}, {"title": "no id"}])
def test_a_completion_answered_with_success_but_no_usable_media_is_unknown_not_failed(tmp_path, body):
    """The server said yes: the media may well exist. A failure would invite a new upload (a duplicate);
    "completion unknown" says to look for it first."""
    done = lambda n, h: send_json(h, 200, {"upload_id": "u1", "offset": 1000, "expires": None})  # noqa: E731
    event, _ = hostile_upload(tmp_path, done, lambda h: send_json(h, 201, body), size=1000)
    assert isinstance(event, CompletionUnknown), event


def test_a_file_replaced_by_a_fifo_before_its_upload_began_is_changed_not_a_hang(env, tmp_path):
    path = tmp_path / "a.png"
    path.write_bytes(png_bytes(3000))
    with (
        MediaClient(env.url, env.token) as client,
        UploadSession.open(client, tmp_path / "state", retry=FAST) as session,
    ):
        items = session.plan_files([path]).items
        path.unlink()
        os.mkfifo(path)  # opening it for reading would wait for a writer for ever
        results = []
        runner = threading.Thread(target=lambda: results.extend(session.run(items)), daemon=True)
        runner.start()
        runner.join(10)
        assert not runner.is_alive(), "the upload hung on the FIFO"
    [event] = results
    assert isinstance(event, Failed) and event.error == "changed while uploading: start again"
    assert count(env) == 0

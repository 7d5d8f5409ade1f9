"""The upload engine against a real sandbox: byte-exact, fault-tolerant, resumable, never duplicating."""

from __future__ import annotations

import threading

import httpx
import pytest

from helpers import FullDisk, md5, pdf_bytes, png_bytes
from mediatui.api import MediaClient, MediaType
from mediatui.sandbox import Faults
from mediatui.upload import (
    Cancelled,
    Completed,
    CompletionUnknown,
    Failed,
    Journal,
    Progress,
    Retrying,
    RetryPolicy,
    Started,
    UploadEngine,
    check_file,
    check_files,
    resumable,
)
from mediatui.upload import journal as J

FAST = RetryPolicy(base=0.01, cap=0.05)


@pytest.fixture
def files(tmp_path):
    def make(*sizes: int, kind: str = "pdf"):
        paths = []
        for n, size in enumerate(sizes):
            path = tmp_path / f"file-{n}-{size}.{kind}"
            path.write_bytes(pdf_bytes(size) if kind == "pdf" else png_bytes(size, seed=n))
            paths.append(path)
        return paths

    return make


def engine_for(server, tmp_path, **kw):
    client = MediaClient(server.url, server.token, timeout=10)
    journal = Journal.for_server(server.url, tmp_path / "state")
    events: list = []
    kw.setdefault("retry", FAST)
    engine = UploadEngine(client, journal=journal, on_event=events.append, **kw)
    return engine, journal, events


def stored_md5s(server):
    faults = server.config.faults  # the injector holds this object: calm it in place
    faults.fail_rate = faults.drop_rate = faults.lose_rate = faults.throttle_rate = faults.latency_ms = 0
    with MediaClient(server.url, server.token) as client:
        page = client.list(limit=200)
        return page.count, {m.title: md5(httpx.get(m.url or m.image).content) for m in page.results}


@pytest.mark.parametrize("size", [9, 204800, 204801, 1_000_003])
def test_byte_exact_uploads(make_sandbox, tmp_path, files, size):
    server = make_sandbox()
    [path] = files(size)
    engine, journal, events = engine_for(server, tmp_path)
    [result] = engine.run(check_files([path]))
    assert isinstance(result, Completed) and result.media.type is MediaType.DOC
    count, sums = stored_md5s(server)
    assert count == 1 and sums[path.name] == md5(path.read_bytes())
    assert journal.get(result.item.key).state == J.COMPLETED


def test_images_keep_their_type_and_size(make_sandbox, tmp_path, files):
    server = make_sandbox()
    [path] = files(300_000, kind="png")
    engine, _, _ = engine_for(server, tmp_path)
    [result] = engine.run([check_file(path, "eimage")])
    assert result.media.type is MediaType.EIMAGE and result.media.image_width


def test_faults_lose_nothing_and_duplicate_nothing(make_sandbox, tmp_path, files):
    server = make_sandbox(faults=Faults(fail_rate=0.2, drop_rate=0.1, throttle_rate=0.02, seed=7))
    paths = files(9, 204800, 500_000, 1_200_000, 700_001)
    engine, _, events = engine_for(server, tmp_path, jobs=3, retry=RetryPolicy(base=0.01, cap=0.05, max_attempts=30))
    results = engine.run(check_files(paths))
    assert all(isinstance(r, Completed) for r in results), results
    assert any(isinstance(e, Retrying) for e in events)
    count, sums = stored_md5s(server)
    assert count == len(paths)
    assert sums == {p.name: md5(p.read_bytes()) for p in paths}


def test_lost_chunk_answers_are_followed_by_offset(make_sandbox, tmp_path, files):
    """The server stored the chunk but the answer was lost: the retry meets 'Offsets do not match'."""
    server = make_sandbox(faults=Faults(lose_rate=0.4, only_path="/upload/chunk/", seed=3))
    paths = files(1_000_000, 600_000)
    engine, _, _ = engine_for(server, tmp_path, retry=RetryPolicy(base=0.01, cap=0.05, max_attempts=30))
    assert all(isinstance(r, Completed) for r in engine.run(check_files(paths)))
    count, sums = stored_md5s(server)
    assert count == 2 and sums == {p.name: md5(p.read_bytes()) for p in paths}


def test_dropped_completion_is_resent_only_because_the_upload_is_still_open(make_sandbox, tmp_path, files):
    server = make_sandbox(faults=Faults(drop_rate=0.5, only_path="/upload/complete/", seed=2))
    paths = files(300_000, 10_000, 400_000, 50_000)
    engine, _, events = engine_for(server, tmp_path, retry=RetryPolicy(base=0.01, cap=0.05, max_attempts=30))
    assert all(isinstance(r, Completed) for r in engine.run(check_files(paths)))
    assert any(isinstance(e, Retrying) for e in events)
    assert stored_md5s(server)[0] == len(paths)


def test_lost_completion_answer_ends_unknown_without_a_duplicate(make_sandbox, tmp_path, files):
    server = make_sandbox(faults=Faults(lose_rate=1.0, only_path="/upload/complete/"))
    [path] = files(250_000)
    engine, journal, _ = engine_for(server, tmp_path)
    [result] = engine.run(check_files([path]))
    assert isinstance(result, CompletionUnknown) and result.upload_id
    assert "answer was lost" in result.reason
    entry = journal.get(result.item.key)
    assert entry.state == J.COMPLETION_UNKNOWN and entry.upload_id == result.upload_id
    assert stored_md5s(server)[0] == 1  # created once, never twice
    assert resumable(journal) == ([], [])  # --resume does not resend it


def test_expired_upload_starts_over(make_sandbox, tmp_path, files):
    server = make_sandbox()
    [path] = files(900_000)
    engine, _, events = engine_for(server, tmp_path)
    moved = threading.Event()

    def jump(event):
        events.append(event)
        if isinstance(event, Progress) and not moved.is_set():
            moved.set()
            real = server.sandbox.clock
            server.sandbox.clock = lambda: real() + 2 * 86400  # two days later

    engine._on_event = jump
    [result] = engine.run(check_files([path]))
    assert isinstance(result, Completed)
    assert any(isinstance(e, Retrying) and "expired" in e.reason for e in events)
    count, sums = stored_md5s(server)
    assert count == 1 and sums[path.name] == md5(path.read_bytes())


def test_offset_moved_back_by_the_server_is_followed_and_md5_stays_right(make_sandbox, tmp_path, files):
    server = make_sandbox()
    [path] = files(1_000_000)
    engine, _, events = engine_for(server, tmp_path)
    state = server.sandbox

    def rewind(event):
        events.append(event)
        if isinstance(event, Progress) and event.bytes_done == 409600:
            [upload] = [u for u in [state.store.get_upload(p.name) for p in state.partial_dir.iterdir()] if u]
            state.store.set_upload(upload.upload_id, received=204800)  # the server lost a chunk
            with open(state.partial_dir / upload.upload_id, "r+b") as f:
                f.truncate(204800)

    engine._on_event = rewind
    [result] = engine.run(check_files([path]))
    assert isinstance(result, Completed)
    assert stored_md5s(server)[1][path.name] == md5(path.read_bytes())


def test_client_errors_fail_at_once(make_sandbox, tmp_path, files):
    server = make_sandbox()
    [path] = files(300_000)
    client = MediaClient(server.url, "wrong-token")
    events: list = []
    [result] = UploadEngine(client, retry=FAST, on_event=events.append).run(check_files([path]))
    assert isinstance(result, Failed) and result.reason == "the chunk at byte 0: 401 Invalid token."
    assert result.next == "check access"
    assert not any(isinstance(e, Retrying) for e in events)


def test_retries_are_bounded(make_sandbox, tmp_path, files):
    server = make_sandbox(faults=Faults(fail_rate=1.0))
    [path] = files(1000)
    engine, journal, events = engine_for(server, tmp_path, retry=RetryPolicy(base=0.001, cap=0.01, max_attempts=3))
    [result] = engine.run(check_files([path]))
    assert isinstance(result, Failed) and result.error.startswith("gave up after 3 retries")
    assert sum(isinstance(e, Retrying) for e in events) == 3
    assert journal.get(result.item.key).state == J.FAILED


def test_rate_limits_honour_retry_after():
    assert RetryPolicy().delay(1, retry_after=7.0) == 7.0
    assert RetryPolicy(max_retry_after=5).delay(1, retry_after=70) == 5
    policy = RetryPolicy(base=1, cap=4)
    assert all(0 <= policy.delay(n) <= 4 for n in range(1, 20))


def test_cancel_one_keeps_it_resumable(make_sandbox, tmp_path, files):
    server = make_sandbox(faults=Faults(latency_ms=20))
    paths = files(2_000_000, 100_000)
    engine, journal, events = engine_for(server, tmp_path, jobs=2)
    items = check_files(paths)

    def cancel_big(event):
        events.append(event)
        if isinstance(event, Progress) and event.item.key == items[0].key:
            engine.cancel(items[0].key)

    engine._on_event = cancel_big
    results = engine.run(items)
    assert isinstance(results[0], Cancelled) and 0 < results[0].bytes_done < items[0].size
    assert isinstance(results[1], Completed)
    assert journal.get(items[0].key).state == J.CANCELLED

    again, problems = resumable(journal)
    assert [i.key for i in again] == [items[0].key] and not problems
    engine2, _, events2 = engine_for(server, tmp_path)
    [result] = engine2.run(again)
    assert isinstance(result, Completed)
    assert [e.resumed_from for e in events2 if isinstance(e, Started)] == [results[0].bytes_done]
    count, sums = stored_md5s(server)
    assert count == 2 and sums == {p.name: md5(p.read_bytes()) for p in paths}


def test_cancel_all_before_start(make_sandbox, tmp_path, files):
    server = make_sandbox()
    engine, _, _ = engine_for(server, tmp_path)
    engine.cancel()
    results = engine.run(check_files(files(1000, 2000)))
    assert all(isinstance(r, Cancelled) and r.bytes_done == 0 for r in results)


def test_changed_file_is_not_resumed(make_sandbox, tmp_path, files):
    server = make_sandbox()
    [path] = files(600_000)
    engine, journal, _ = engine_for(server, tmp_path)
    item = check_file(path)
    engine._on_event = lambda e: isinstance(e, Progress) and engine.cancel()
    assert isinstance(engine.run([item])[0], Cancelled)
    with open(path, "ab") as f:
        f.write(b"more")
    items, problems = resumable(journal)
    assert items == [] and problems[0][1].startswith("the file changed")
    assert journal.get(item.key).state == J.FAILED  # reported and kept, not dropped


@pytest.mark.parametrize("recorded", [J.COMPLETING, J.UPLOADING])
def test_resume_after_a_kill_during_completion(make_sandbox, tmp_path, files, recorded):
    """Every byte sent and maybe completed: resend only if the server still has the upload open.

    UPLOADING at full size is what a power cut can leave when it loses the last journal write.
    """
    server = make_sandbox()
    paths = files(300_000, 300_001)
    client = MediaClient(server.url, server.token)
    journal = Journal.for_server(server.url, tmp_path / "state")
    items = check_files(paths)
    for n, item in enumerate(items):
        data = item.path.read_bytes()
        first = client.upload_chunk(data[:204800], start=0, total=len(data), filename=item.name, field="document")
        client.upload_chunk(
            data[204800:],
            start=204800,
            total=len(data),
            filename=item.name,
            upload_id=first.upload_id,
            field="document",
        )
        if n == 1:  # this one's completion reached the server before the kill
            client.complete_upload(first.upload_id, md5(data))
        entry = J.new_entry(item)
        entry.upload_id, entry.offset, entry.state = first.upload_id, len(data), recorded
        journal.save(entry)
    again, _ = resumable(journal)
    results = UploadEngine(client, journal=journal, retry=FAST).run(again)
    by_name = {r.item.name: r for r in results}
    assert isinstance(by_name[paths[0].name], Completed)
    assert isinstance(by_name[paths[1].name], CompletionUnknown)
    assert stored_md5s(server)[0] == 2  # one each: nothing created twice


def test_jobs_bound_parallel_files_and_progress_is_throttled(make_sandbox, tmp_path, files):
    server = make_sandbox(faults=Faults(latency_ms=5))
    paths = files(*([800_000] * 5))
    engine, _, events = engine_for(server, tmp_path, jobs=2, chunk_size=20_000)
    lock, running, peak = threading.Lock(), set(), [0]

    def track(event):
        events.append(event)
        with lock:
            if isinstance(event, Started):
                running.add(event.item.key)
            elif isinstance(event, (Completed, Failed)):
                running.discard(event.item.key)
            peak[0] = max(peak[0], len(running))

    engine._on_event = track
    assert all(isinstance(r, Completed) for r in engine.run(check_files(paths)))
    assert peak[0] == 2
    per_item = [
        sum(1 for e in events if isinstance(e, Progress) and e.item.key == key) for key in {e.item.key for e in events}
    ]
    assert max(per_item) < 40  # 40 chunks each: at most ~10/s are reported, plus the last
    last = [e for e in events if isinstance(e, Progress)][-1]
    assert last.bytes_done == last.total and last.speed and last.speed > 0


def test_one_byte_goes_through_the_protocol_exactly(make_sandbox, tmp_path):
    """No 1-byte file is a valid image or PDF (pre-flight refuses it), but the protocol handles it:
    `bytes 0-0/1` is accepted and the md5 matches; the sandbox checks md5 before the image, so
    the only complaint left is that one byte is not a picture."""
    from mediatui.upload.preflight import UploadItem

    server = make_sandbox()
    path = tmp_path / "one.png"
    path.write_bytes(b"\x89")
    stat = path.stat()
    engine, _, events = engine_for(server, tmp_path)
    [result] = engine.run([UploadItem(path, 1, stat.st_mtime_ns, MediaType.IMAGE)])
    assert [e.bytes_done for e in events if isinstance(e, Progress)] == [1]
    assert isinstance(result, Failed) and "Upload a valid image" in result.error
    with pytest.raises(ValueError, match="does not look like an image"):
        check_file(path)


def test_a_journal_of_an_earlier_version_gains_the_files_identity_columns(tmp_path):
    import sqlite3

    from mediatui.upload import journal as J

    path = tmp_path / "uploads.sqlite"
    with sqlite3.connect(path) as db:  # the schema before ctime, inode and device were kept
        db.execute(
            "CREATE TABLE entries (key TEXT PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL, "
            "mtime_ns INTEGER NOT NULL, type TEXT NOT NULL, upload_id TEXT, offset INTEGER NOT NULL DEFAULT 0, "
            "expires TEXT, state TEXT NOT NULL, media_id INTEGER, error TEXT, updated REAL NOT NULL)"
        )
        db.execute(
            "INSERT INTO entries VALUES ('k', '/a.png', 5, 7, 'image', 'u1', 3, NULL, 'uploading', NULL, NULL, 1)"
        )
    [entry] = J.Journal(path).entries()
    assert (entry.key, entry.offset, entry.ctime_ns, entry.ino, entry.dev) == ("k", 3, 0, 0, 0)  # 0: not known


def test_a_change_no_time_shows_is_still_never_completed(make_sandbox, tmp_path, files):
    """Content changed with size and mtime as they were, and no ctime or inode known to compare (an entry of
    an earlier journal; or a write through a shared mmap, which moves no time at all): the whole file is read
    again before the completion and held against what was sent."""
    import dataclasses
    import os

    from mediatui.upload.events import Progress

    server = make_sandbox()
    [path] = files(600_000)
    item = dataclasses.replace(check_files([path])[0], ctime_ns=0, ino=0, dev=0)
    before = path.stat()
    changed = []

    def change_once(event) -> None:
        if isinstance(event, Progress) and not changed:
            changed.append(event)
            data = bytearray(path.read_bytes())
            data[10:20] = b"0123456789"  # bytes already sent
            path.write_bytes(bytes(data))
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    client = MediaClient(server.url, server.token, timeout=10)
    journal = Journal.for_server(server.url, tmp_path / "state")
    engine = UploadEngine(client, journal=journal, on_event=change_once, retry=FAST, chunk_size=100_000)
    [result] = engine.run([item])
    assert isinstance(result, Failed) and result.error == "changed while uploading: start again"
    assert stored_md5s(server)[0] == 0


def test_a_journal_whose_disk_fills_mid_upload_stops_it_naming_the_folder(make_sandbox, tmp_path, files, monkeypatch):
    """The chunks' record cannot be written: the upload stops there (its completion is never sent without a
    record of it), and the reason names the full folder, not an exception's class."""
    server = make_sandbox()
    [path] = files(600_000)
    disk = FullDisk(monkeypatch, tmp_path / "state")
    seen = []

    def fill_once(event) -> None:
        seen.append(event)
        if isinstance(event, Progress):
            disk.on()

    client = MediaClient(server.url, server.token, timeout=10)
    engine = UploadEngine(
        client, journal=Journal.for_server(server.url, tmp_path / "state"), on_event=fill_once, chunk_size=100_000
    )
    [result] = engine.run(check_files([path]))
    assert isinstance(result, Failed), result
    assert f"the state folder is full: {tmp_path / 'state'}" in result.error, result.error
    assert "LocalDataError" not in result.error
    assert stored_md5s(server)[0] == 0


def test_a_journal_that_fills_mid_upload_advises_freeing_that_folder_not_moving_it(
    make_sandbox, tmp_path, files, monkeypatch
):
    """Moving the state folder then would leave this upload in the old journal: resumed later there, it would
    make a second media. So the advice is to free the folder, and the screen's line keeps the next step whole."""
    from mediatui.upload.board import Board

    server = make_sandbox()
    [path] = files(600_000)
    disk = FullDisk(monkeypatch, tmp_path / "state")
    client = MediaClient(server.url, server.token, timeout=10)
    turn_on = lambda event: disk.on() if isinstance(event, Progress) else None  # noqa: E731
    engine = UploadEngine(
        client, journal=Journal.for_server(server.url, tmp_path / "state"), on_event=turn_on, chunk_size=100_000
    )
    [result] = engine.run(check_files([path]))
    assert "MEDIATUI_STATE_DIR" not in result.error and result.next == "resume"
    board = Board(3)
    board.apply(Failed(result.item, "x" * 400, result.stage, result.next))
    assert board.rows[result.item.key].detail.endswith("· R retries")


def test_a_refusal_of_the_first_chunk_that_is_no_file_problem_is_resumed_not_fixed(make_sandbox, tmp_path, files):
    """A 404 on the first chunk means the upload route is not there (a wrong URL), not a bad file."""
    from hostile_server import HostileServer, send_json

    [path] = files(50_000)
    with HostileServer() as server:
        server.route("POST", "/api/v2/media/upload/chunk/", lambda h: send_json(h, 404, {"detail": "Not found."}))
        client = MediaClient(server.url, "t")
        [result] = UploadEngine(client, retry=FAST).run(check_files([path]))
    assert isinstance(result, Failed) and result.next == "resume", result

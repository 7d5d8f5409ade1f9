"""What the upload screen needs from the Textual-free session, tested without a pilot.

One jobs limit for every run (files added later wait behind running ones, and
`+` lets more go at once), cancelling one key without cancelling later runs,
retrying one entry, the unfinished entries to offer, what a typed path names,
and a board that keeps hostile names inert.
"""

from __future__ import annotations

import threading
from pathlib import Path

from helpers import pdf_bytes, png_bytes
from mediatui.api import MediaClient
from mediatui.sandbox import Faults
from mediatui.upload import Completed, RetryPolicy, Started, UploadSession
from mediatui.upload import board as B
from mediatui.upload import journal as J
from mediatui.upload import session as S
from mediatui.upload.events import Cancelled, Progress, Queued, Retrying
from mediatui.upload.paths import MAX_FILES, PathListing, complete

FAST = RetryPolicy(base=0.01, cap=0.05, max_attempts=3)


def expand(text: str):
    """What a typed path names, listed at once (the screen lists it on a worker thread)."""
    return PathListing(text).run()


def files(folder, n, size=200_000, prefix="f"):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"{prefix}{i}.png"
        path.write_bytes(png_bytes(size, seed=i))
        paths.append(path)
    return paths


def count(server) -> int:
    with MediaClient(server.url, server.token) as client:
        return client.list(limit=1).count


class Concurrency:
    def __init__(self):
        self.now = self.peak = 0
        self.lock = threading.Lock()

    def __call__(self, event):
        with self.lock:
            if isinstance(event, Started):
                self.now += 1
                self.peak = max(self.peak, self.now)
            elif isinstance(event, (Completed, Cancelled)) or type(event).__name__ in ("Failed", "CompletionUnknown"):
                self.now -= 1


def test_one_jobs_limit_for_every_run(make_sandbox, tmp_path):
    server = make_sandbox(faults=Faults(latency_ms=20))
    watch = Concurrency()
    with (
        MediaClient(server.url, server.token) as client,
        UploadSession.open(client, tmp_path / "state", jobs=1, chunk_size=65536, retry=FAST) as session,
    ):
        first = session.plan_files(files(tmp_path / "a", 2, prefix="a")).items
        second = session.plan_files(files(tmp_path / "b", 2, prefix="b")).items
        runs = [threading.Thread(target=session.run, args=(batch, watch)) for batch in (first, second)]
        for run in runs:
            run.start()
        for run in runs:
            run.join(30)
    assert watch.peak == 1
    assert count(server) == 4


def test_more_jobs_start_waiting_files_at_once(make_sandbox, tmp_path):
    server = make_sandbox(faults=Faults(latency_ms=30))
    watch = Concurrency()
    with (
        MediaClient(server.url, server.token) as client,
        UploadSession.open(client, tmp_path / "state", jobs=1, chunk_size=32768, retry=FAST) as session,
    ):
        items = session.plan_files(files(tmp_path / "a", 3)).items
        started = threading.Event()

        def on_event(event):
            watch(event)
            if isinstance(event, Started):
                started.set()

        run = threading.Thread(target=session.run, args=(items, on_event))
        run.start()
        started.wait(10)
        session.jobs = 3
        run.join(30)
    assert watch.peak >= 2
    assert count(server) == 3


def test_cancelling_keys_leaves_later_runs_alone(make_sandbox, tmp_path):
    server = make_sandbox()
    with (
        MediaClient(server.url, server.token) as client,
        UploadSession.open(client, tmp_path / "state", retry=FAST) as session,
    ):
        items = session.plan_files(files(tmp_path / "a", 2)).items
        session.cancel_keys([items[0].key])  # before its run began
        results = session.run(items)
        assert [type(e) for e in results] == [Cancelled, Completed]
        later = session.plan_files(files(tmp_path / "b", 1, prefix="b")).items
        assert [type(e) for e in session.run(later)] == [Completed]
        assert [e.path for e in session.unfinished()] == [str(items[0].path)]
        retry = session.plan_resume([items[0].key])  # R: the cancelled one again
        assert [i.key for i in retry.items] == [items[0].key]
        assert [type(e) for e in session.run(retry.items)] == [Completed]
        assert session.unfinished() == []
    assert count(server) == 3


def test_retry_one_failed_entry_after_failures(make_sandbox, tmp_path):
    server = make_sandbox(faults=Faults(fail_rate=1.0))
    with (
        MediaClient(server.url, server.token) as client,
        UploadSession.open(client, tmp_path / "state", retry=FAST) as session,
    ):
        items = session.plan_files(files(tmp_path / "a", 2)).items
        assert [type(e).__name__ for e in session.run(items)] == ["Failed", "Failed"]
        server.config.faults.fail_rate = 0.0
        retry = session.plan_resume([items[1].key])
        assert [type(e) for e in session.run(retry.items)] == [Completed]
        assert {e.key for e in session.unfinished()} == {items[0].key}
    assert count(server) == 1


def test_unfinished_excludes_what_runs_here(make_sandbox, tmp_path):
    server = make_sandbox(faults=Faults(latency_ms=50))
    with (
        MediaClient(server.url, server.token) as client,
        UploadSession.open(client, tmp_path / "state", chunk_size=16384, retry=FAST) as session,
    ):
        items = session.plan_files(files(tmp_path / "a", 1)).items
        seen = []

        def on_event(event):
            if isinstance(event, Progress) and not seen:
                seen.append(session.unfinished())
                session.cancel_keys([event.item.key])

        session.run(items, on_event)
        assert seen == [[]]
        left = session.unfinished()
        assert [e.state for e in left] == [J.CANCELLED] and 0 < left[0].offset < left[0].size


def test_r_on_a_changed_upload_leaves_the_new_version_to_the_process_that_has_it(make_sandbox, tmp_path):
    """A file changed before its upload began (closed as changed); meanwhile another process takes the new
    version. R here must not upload that version a second time: it says who has it, then that it is done."""
    server = make_sandbox()
    [path] = files(tmp_path / "a", 1, size=50_000)
    with (
        MediaClient(server.url, server.token) as client,
        UploadSession.open(client, tmp_path / "state", retry=FAST) as here,
        UploadSession.open(client, tmp_path / "state", retry=FAST) as there,
    ):
        [item] = here.plan_files([path]).items
        path.write_bytes(png_bytes(60_000, seed=9))  # another version before a byte was sent
        [changed] = here.run([item])
        assert changed.error == "changed while uploading: start again"
        taken = there.plan_files([path])  # the other process plans the new version (and holds it)
        again = here.plan_resume([item.key])
        assert again.items == [] and [s.kind for s in again.skipped] == [S.OWNED], again.skipped
        there.run(taken.items)
        again = here.plan_resume([item.key])
        assert again.items == [] and [s.kind for s in again.skipped] == [S.DONE_BEFORE], again.skipped
        assert "already uploaded as #" in again.skipped[0].reason
    assert count(server) == 1


def test_r_that_the_journal_could_not_record_can_be_pressed_again(make_sandbox, tmp_path, monkeypatch):
    """R on a changed upload while the state folder is full fails; once there is room, R works (the claim
    taken for the first R used to stay, so every later R said it was being uploaded already)."""
    import pytest

    from helpers import FullDisk
    from mediatui.localdb import LocalDataError

    server = make_sandbox()
    [path] = files(tmp_path / "a", 1, size=50_000)
    with (
        MediaClient(server.url, server.token) as client,
        UploadSession.open(client, tmp_path / "state", retry=FAST) as session,
    ):
        [item] = session.plan_files([path]).items
        path.write_bytes(png_bytes(60_000, seed=9))
        session.run([item])  # closed: changed
        disk = FullDisk(monkeypatch, tmp_path / "state", files=False).on()
        with pytest.raises(LocalDataError):
            session.plan_resume([item.key])
        disk.off()
        again = session.plan_resume([item.key])
        assert [i.key for i in again.items] == [item.key], again.skipped


def test_a_typed_path_names_files(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = tmp_path / "pics"
    files(folder, 2)
    (folder / "notes.txt").write_text("no")
    (folder / "doc.PDF").write_bytes(pdf_bytes(1000))
    files(folder / "deeper", 1, prefix="d")
    found, note = expand("~/pics")
    assert [p.name for p in found] == ["doc.PDF", "f0.png", "f1.png"] and note is None
    found, _ = expand("~/pics/**")
    assert sorted(p.name for p in found) == ["d0.png", "doc.PDF", "f0.png", "f1.png"]
    found, _ = expand(f"{folder}/f*.png")
    assert [p.name for p in found] == ["f0.png", "f1.png"]
    assert expand(f"{folder}/z*")[1].startswith("nothing matches")
    assert expand("~/missing.png") == ([tmp_path / "missing.png"], None)  # pre-flight says why
    assert complete("~/pi") == "~/pics/"
    assert complete("~/pics/no") is None  # not uploadable
    assert complete("~/pics/do") == "~/pics/doc.PDF"


def test_a_big_tree_is_listed_only_up_to_the_cap_in_order_and_says_so(tmp_path, monkeypatch):
    """`~/**` over a tree larger than the cap (40 here, MAX_FILES on the screen): the first files in path order
    (as the whole tree sorted would give), a note that says to narrow the path, and the walk ends at the cap
    instead of listing the rest of the tree."""
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "f00.png").touch()  # files named like a folder come after that folder's files
    (tmp_path / "f00 b.png").touch()
    for folder in range(21):
        where = tmp_path / f"f{folder:02d}"
        where.mkdir()
        for n in range(20):
            (where / f"{n:03d}.png").touch()
    listing = PathListing("~/**", limit=40)
    found, note = listing.run()
    assert len(found) == 40 and note == "first 40 files of ~/**; narrow the path" and MAX_FILES == 1000
    assert found == sorted(tmp_path.rglob("*.png"))[:40]
    assert listing.seen == 23 + 2 * 20  # the root and two folders of 20 looked at, not all 21


def test_a_listing_stopped_adds_nothing_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    files(tmp_path / "pics", 3, size=100)
    listing = PathListing("~/**")
    listing.stop()
    assert listing.run() == ([], "stopped listing ~/**: nothing added")
    symlinked = tmp_path / "pics" / "loop"
    symlinked.symlink_to(tmp_path)  # a folder linked into itself is not walked again and again
    assert len(expand("~/**")[0]) == 3


def test_a_glob_never_walks_a_link_loop_and_its_notes_are_inert(tmp_path):
    """`**` in a glob enters no linked folder (glob.iglob did: a link to an ancestor looped for ever, even
    with nothing to match, and stop() could not end it); each file once; escapes in a typed path made visible."""
    loop = tmp_path / "loop"
    files(loop / "deep", 1, size=100)
    (loop / "deep" / "up").symlink_to(loop)
    (loop / "again").symlink_to(".")
    found, note = expand(f"{loop}/**/*.png")
    assert [p.relative_to(loop) for p in found] == [Path("deep/f0.png")] and note is None
    assert expand(f"{loop}/**/*.jpg")[1] == f"nothing matches {loop}/**/*.jpg"  # ends: nothing looped
    assert [p.name for p in expand(f"{loop}/deep/*.png")[0]] == ["f0.png"]
    hostile = f"{tmp_path}/\x1b]0;PWNED\x07\u202e/*.png"
    assert "\x1b" not in expand(hostile)[1] and "\u202e" not in expand(hostile)[1]


def test_the_board_keeps_hostile_names_inert(tmp_path):
    from mediatui.api import Media, MediaType
    from mediatui.upload.preflight import UploadItem

    name = "\x1b[2J[b]bold[@click=app.quit]\x9b\u202e\nx.png"
    item = UploadItem(tmp_path / name, 1000, 0, MediaType.IMAGE)
    board = B.Board(max_attempts=8)
    board.apply(Queued(item))
    board.apply(Started(item))
    board.apply(Retrying(item, 2, 4.0, "503 Service Unavailable"))
    row = board.rows[item.key]
    assert row.state_text() == "retrying 2/8 in 4 s: 503 Service Unavailable"
    assert "\x1b" not in row.name and "\x9b" not in row.name and "\u202e" not in row.name and "\n" not in row.name
    assert "[b]" in row.name and "[@click=app.quit]" in row.name
    board.apply(Progress(item, 500, 1000, 100.0, 5.0))
    assert board.status() == "uploading 1 · done 0 of 1 · 50%"
    media = board.apply(Completed(item, Media.from_json({"id": 123, "type": "image"})))
    assert media.id == 123 and row.state_text() == "completed as #123"
    assert board.status() is None and board.overall().startswith("1 of 1 files")


def test_the_file_browser_shows_names_inert(tmp_path):
    from mediatui.tui.screens.file_picker_modal import UploadableTree

    tree = UploadableTree.__new__(UploadableTree)  # not mounted: no app, no directory watcher
    label = tree.process_label("\x1b]0;x\x07[b]a\u202e\nb.png").plain
    assert label == "␛]0;x␇[b]a⟨U+202E⟩⏎b.png"
    assert [p.name for p in tree.filter_paths([tmp_path / "a.png", tmp_path / "b.txt", tmp_path / ".c.png"])] == [
        "a.png"
    ]


def test_the_overall_line_never_says_no_uploads_while_rows_are_listed():
    board = B.Board(3)
    board.offer("k1", "/p/a.png", 1000, 200, "5 min ago", None)
    board.offer("k2", "/p/b.png", 1000, 0, "5 min ago", None)
    board.refuse("r1", "/p/c.txt", "unknown type")
    assert board.overall() == "2 unfinished from before · 1 not sent"
    assert B.Board(3).overall() == "no uploads yet"

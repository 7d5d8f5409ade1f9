"""Issue 9: the upload screen against a real sandbox. Every test asserts the server's media count."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from helpers import cli_env, pdf_bytes, png_bytes, upload_under_way
from mediatui.api import MediaClient
from mediatui.sandbox import Faults
from mediatui.tui.screens.browse_screen import BrowseScreen
from mediatui.tui.screens.confirm_modal import GuardedConfirm
from mediatui.tui.screens.upload_screen import UploadScreen
from mediatui.upload import RetryPolicy
from mediatui.upload import board as B
from mediatui.upload import journal as J
from tui_helpers import burst, settle, status, wait_for

FAST = RetryPolicy(base=0.01, cap=0.05, max_attempts=3)


def count(server) -> int:
    with MediaClient(server.url, server.token) as client:
        return client.list(limit=1).count


def pictures(folder, n, size=150_000, names=None):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, name in enumerate(names or [f"p{i}.png" for i in range(n)]):
        path = folder / name
        path.write_bytes(png_bytes(size, seed=i))
        paths.append(path)
    return paths


def app_for(server, **options):
    from mediatui.settings.config import Secret, Settings
    from mediatui.tui.app import MediaTuiApp
    from tui_helpers import NOW

    options.setdefault("retry", FAST)
    return MediaTuiApp(Settings(server.url, Secret(server.token)), clock=lambda: NOW, upload_options=options)


def rows(app):
    return list(app.uploads.board.rows.values())


def states(app):
    return sorted(r.state for r in rows(app))


def shown(app) -> str:
    """What the upload screen's rows show, as text."""
    return "\n".join(str(s.render()) for s in app.screen.query(".upload-name, .upload-state, .upload-detail"))


async def open_upload(pilot):
    await settle(pilot)
    await pilot.press("u")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, UploadScreen) and pilot.app.focused is not None)


async def to_list(pilot):
    """tab, tab: from the path box past the type choice to the rows."""
    await pilot.press("tab", "tab")
    await wait_for(pilot, lambda: pilot.app.screen.query_one("#upload-list").has_focus, what="the list focused")


async def add(pilot, text):
    pilot.app.focused.value = text
    await pilot.press("enter")


@pytest.mark.smoke
async def test_a_folder_uploads_and_each_media_is_in_the_list(make_sandbox, tmp_path):
    server = make_sandbox(seed=3)
    pictures(tmp_path / "pics", 4)
    app = app_for(server)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(tmp_path / "pics"))
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED] * 4, what="four completed")
        ids = sorted(r.media_id for r in rows(app))
        await wait_for(pilot, lambda: "completed as #" in shown(app), what="the rows drawn")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, BrowseScreen)
        table = app.screen.table
        assert sorted(table.rows_media)[-4:] == ids
        assert {int(r.key.value) for r in table.ordered_rows[:4]} == set(ids)  # the top rows, without a reload
        assert "7 media" in status(app) or "7 of 7" in status(app), status(app)  # the count follows them
    assert count(server) == 7


async def test_u_and_a_typed_path_in_one_burst_land_in_the_path_box(make_sandbox, tmp_path):
    server = make_sandbox(seed=3)
    app = app_for(server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "u/tmp/xyd")  # d would delete on the list
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        await settle(pilot)
        assert app.screen.query_one("#path").value == "/tmp/xyd"
    assert count(server) == 3


async def test_cancel_one_midway_then_resume_it(make_sandbox, tmp_path):
    server = make_sandbox(seed=1, faults=Faults(latency_ms=60))
    [path] = pictures(tmp_path, 1, size=3_000_000, names=["big.png"])
    app = app_for(server, chunk_size=65536)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(path))
        await wait_for(pilot, lambda: rows(app) and rows(app)[0].done > 0, what="some progress")
        await to_list(pilot)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm))
        await wait_for(pilot, lambda: app.screen.armed)
        await pilot.press("y")
        await wait_for(pilot, lambda: states(app) == [B.CANCELLED], what="cancelled")
        done = rows(app)[0].done
        assert 0 < done < path.stat().st_size
        assert count(server) == 1
        server.config.faults.latency_ms = 0
        await pilot.press("R")
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED], what="completed after R")
    assert count(server) == 2


async def test_retry_after_failures(make_sandbox, tmp_path):
    server = make_sandbox(seed=1, faults=Faults(fail_rate=1.0, only_path="/upload/"))
    pictures(tmp_path / "pics", 2)
    app = app_for(server)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(tmp_path / "pics"))
        await wait_for(pilot, lambda: states(app) == [B.FAILED, B.FAILED], what="both failed")
        await wait_for(pilot, lambda: "gave up after 3 retries" in shown(app), what="the reason drawn")
        assert count(server) == 1
        server.config.faults.fail_rate = 0.0
        await to_list(pilot)
        await pilot.press("R")
        await wait_for(pilot, lambda: B.COMPLETED in states(app), what="the first retried")
        assert states(app) == [B.COMPLETED, B.FAILED]
        await pilot.press("down", "R")
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED] * 2, what="both")
    assert count(server) == 3


async def test_resume_an_entry_left_by_a_killed_process(make_sandbox, tmp_path):
    server = make_sandbox(seed=2, faults=Faults(latency_ms=30))
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf_bytes(3_000_000))
    proc, _ = upload_under_way(cli_env(server, tmp_path), path)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    with J.Journal.for_server(server.url, tmp_path / "state") as journal:
        [entry] = journal.entries()
    assert 0 < entry.offset < entry.size
    server.config.faults.latency_ms = 0
    app = app_for(server)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_upload(pilot)
        await wait_for(pilot, lambda: states(app) == [B.OFFERED], what="the entry offered")
        await wait_for(
            pilot, lambda: "minutes.pdf" in shown(app) and "unfinished" in shown(app), what="the offer drawn"
        )
        await pilot.press("enter")  # enter in the empty path box resumes them all
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED], what="resumed")
    assert count(server) == 3


async def test_preflight_errors_are_shown_per_file_and_the_others_go_on(make_sandbox, tmp_path):
    server = make_sandbox(seed=1)
    folder = tmp_path / "mixed"
    pictures(folder, 2)
    (folder / "fake.pdf").write_bytes(b"not a pdf at all")
    (folder / "huge.png").write_bytes(png_bytes(6_500_000))
    (folder / "empty.jpg").write_bytes(b"")
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(folder))
        await wait_for(
            pilot,
            lambda: len(rows(app)) == 5 and B.QUEUED not in states(app) and B.UPLOADING not in states(app),
            what="all settled",
        )
        assert states(app) == [B.COMPLETED, B.COMPLETED, B.REFUSED, B.REFUSED, B.REFUSED]
        reasons = ("not a PDF", "over the 5.0 MB limit", "is empty")
        await wait_for(pilot, lambda: all(r in shown(app) for r in reasons), what="each reason drawn")
    assert count(server) == 3


async def test_hostile_file_names_are_shown_literally(make_sandbox, tmp_path):
    server = make_sandbox(seed=1)
    names = ["\x1b]0;pwned\x07a.png", "[b]bold[@click=app.quit]b.png", "\x9bc\u202ed.png", "line\nbreak.png"]
    pictures(tmp_path / "evil", 4, names=names)
    app = app_for(server)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(tmp_path / "evil"))
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED] * 4, what="four completed")
        await wait_for(pilot, lambda: "[b]bold[@click=app.quit]b.png" in shown(app), what="the names drawn")
        text = shown(app)
        assert "␛]0;pwned" in text and "⟨U+009B⟩c⟨U+202E⟩d.png" in text and "line⏎break.png" in text
        assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
        assert app.is_running  # the [@click=app.quit] did nothing
    assert count(server) == 5


async def test_leave_the_screen_and_come_back_while_uploading(make_sandbox, tmp_path):
    # ~3 s of uploading: long enough, on a busy machine, to see the list's status line while it runs
    server = make_sandbox(seed=2, faults=Faults(latency_ms=100))
    pictures(tmp_path / "pics", 3, size=600_000)
    app = app_for(server, chunk_size=65536, jobs=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(tmp_path / "pics"))
        await wait_for(pilot, lambda: any(r.done for r in rows(app)), what="progress")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowseScreen))
        await wait_for(pilot, lambda: "uploading 1 · queued 2 · done 0 of 3 · " in status(app), what="the status line")
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen))
        assert len(app.screen.query(".upload-row")) == 3  # the same rows, still going
        server.config.faults.latency_ms = 0
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED] * 3, timeout=30, what="all done")
    assert count(server) == 5


@pytest.mark.serial
async def test_q_while_uploading_asks_then_quits_within_a_second_on_a_hung_server(make_sandbox, tmp_path):
    server = make_sandbox(seed=1, faults=Faults(latency_ms=30))
    pictures(tmp_path / "pics", 2, size=3_000_000)  # ~46 chunks each: far from done when the server hangs
    app = app_for(server, chunk_size=65536)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(tmp_path / "pics"))
        await wait_for(pilot, lambda: any(r.done for r in rows(app)), what="progress")
        server.config.faults.latency_ms = 60_000  # the server hangs from now on
        await to_list(pilot)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm), what="the question")
        await wait_for(pilot, lambda: app.screen.armed)
        started = time.monotonic()
        await pilot.press("y")
    took = time.monotonic() - started
    assert took < 1.5, took
    with J.Journal.for_server(server.url) as journal:
        left = journal.entries(J.RESUMABLE)
    assert [e.state for e in left] == [J.CANCELLED, J.CANCELLED], left  # resumable at the next start
    server.config.faults.latency_ms = 0
    assert count(server) == 1
    again = app_for(server)  # the next start offers them; ctrl+r resumes all
    async with again.run_test(size=(80, 24)) as pilot:
        await open_upload(pilot)
        await wait_for(pilot, lambda: states(again) == [B.OFFERED, B.OFFERED], what="both offered")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: states(again) == [B.COMPLETED, B.COMPLETED], timeout=30, what="resumed")
    assert count(server) == 3


async def test_jobs_keys_browser_and_palette(make_sandbox, tmp_path, monkeypatch):
    server = make_sandbox(seed=1)
    monkeypatch.chdir(tmp_path)  # an empty path box: the browser starts in the working folder
    pictures(tmp_path / "pics", 2)
    (tmp_path / "pics" / "notes.txt").write_text("not uploadable")
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Upload" in [c.title for c in app.get_system_commands(app.screen)]
        await open_upload(pilot)
        await to_list(pilot)
        await pilot.press("plus", "plus")
        assert app.uploads.jobs == 5 and "jobs 5" in app.screen.sub_title
        await pilot.press("minus")
        assert app.uploads.jobs == 4
        await pilot.press("ctrl+o")
        from mediatui.tui.screens.file_picker_modal import FilePickerModal, UploadableTree

        await wait_for(pilot, lambda: isinstance(app.screen, FilePickerModal))
        tree = app.screen.query_one(UploadableTree)
        await wait_for(pilot, lambda: any(str(n.label).endswith("pics") for n in tree.root.children))
        pics = next(n for n in tree.root.children if str(n.label).endswith("pics"))
        tree.move_cursor(pics)
        await pilot.press("enter")  # opens the folder
        await wait_for(pilot, lambda: len(pics.children) == 2, what="two uploadable files, no .txt")
        await pilot.press("down", "space", "space")  # mark both
        assert len(tree.marked) == 2
        await pilot.press("enter")  # add them
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED] * 2, what="both uploaded")
    assert count(server) == 3


async def test_the_screen_draws_at_most_ten_times_a_second(make_sandbox, tmp_path):
    server = make_sandbox(seed=1, faults=Faults(latency_ms=5))
    pictures(tmp_path / "pics", 4, size=1_500_000)
    app = app_for(server, chunk_size=16384, jobs=4)  # hundreds of progress events a second
    async with app.run_test(size=(120, 40)) as pilot:
        await open_upload(pilot)
        frames = []
        app.uploads.listeners.append(lambda: frames.append(time.monotonic()))
        await add(pilot, str(tmp_path / "pics"))
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED] * 4, timeout=60, what="all done")
    gaps = [b - a for a, b in zip(frames, frames[1:], strict=False)]
    assert len(frames) > 3 and min(gaps) >= 0.095, gaps
    assert count(server) == 5


async def test_cancel_all_asks_and_leaves_both_resumable(make_sandbox, tmp_path):
    server = make_sandbox(
        seed=1, faults=Faults(latency_ms=150)
    )  # slow enough that a loaded machine cannot finish first
    pictures(tmp_path / "pics", 2, size=2_000_000)
    app = app_for(server, chunk_size=65536)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(tmp_path / "pics"))
        await wait_for(pilot, lambda: all(r.done for r in rows(app)) and len(rows(app)) == 2, what="both going")
        await to_list(pilot)
        await pilot.press("X")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm))
        await wait_for(pilot, lambda: app.screen.armed)
        await pilot.press("y")
        await wait_for(pilot, lambda: states(app) == [B.CANCELLED, B.CANCELLED], what="both cancelled")
    assert count(server) == 1


async def test_in_catalogue_mode_an_upload_is_the_top_row(make_sandbox, tmp_path):
    server = make_sandbox(seed=0, listing=False)
    pictures(tmp_path / "pics", 1)
    app = app_for(server)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(tmp_path / "pics"))
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED], what="completed")
        media_id = rows(app)[0].media_id
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowseScreen))
        await wait_for(pilot, lambda: app.screen.table.row_count == 1, what="the row")
        assert int(app.screen.table.ordered_rows[0].key.value) == media_id
        await pilot.press("r")  # a reload reads it back from the catalogue
        await settle(pilot)
        assert [int(r.key.value) for r in app.screen.table.ordered_rows] == [media_id]
    assert server.sandbox.store.count_media() == 1  # no list endpoint: the store itself


async def test_the_type_choice_applies_to_files_added_after_it_and_enter_goes_to_the_media(make_sandbox, tmp_path):
    server = make_sandbox(seed=3)
    [first, second] = pictures(tmp_path / "pics", 2)
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        app.screen.query_one("#upload-type").value = "doc"
        await add(pilot, str(first))  # a PNG as a document: refused before sending
        await wait_for(pilot, lambda: states(app) == [B.REFUSED], what="refused")
        app.screen.query_one("#upload-type").value = "auto"
        await add(pilot, str(second))
        await wait_for(pilot, lambda: sorted(states(app)) == [B.COMPLETED, B.REFUSED], what="the second done")
        await wait_for(pilot, lambda: "is not a PDF" in shown(app), what="the reason drawn")
        media_id = next(r.media_id for r in rows(app) if r.state == B.COMPLETED)
        await to_list(pilot)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowseScreen))
        await wait_for(
            pilot,
            lambda: app.screen.table.current is not None and app.screen.table.current.id == media_id,
            what="the cursor on it",
        )
    assert count(server) == 4


async def test_a_long_file_name_ends_in_an_ellipsis_at_80_columns(make_sandbox, tmp_path):
    """Two long names that start alike must not show as the same cut-off text."""
    server = make_sandbox(seed=2)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("noise-with-a-rather-long-file-name-one.png", "noise-with-a-rather-long-file-name-two.png"):
        (folder / name).write_bytes(png_bytes(2000))
    app = app_for(server)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_upload(pilot)
        burst(app, f"{folder}\r")
        await wait_for(pilot, lambda: len(states(app)) == 2, what="both rows")
        await settle(pilot)
        names = re.findall(r"noise-with[^<]*", app.export_screenshot())  # what the terminal shows
        assert len(names) == 2 and all(name.endswith("…") for name in names), names
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED] * 2, what="both uploaded")
    assert count(server) == 4


async def test_the_profiles_jobs_set_how_many_upload_at_once(make_sandbox):
    from mediatui.settings.config import Secret, Settings
    from mediatui.tui.app import MediaTuiApp
    from tui_helpers import NOW

    server = make_sandbox(seed=3)
    app = MediaTuiApp(Settings(server.url, Secret(server.token), jobs=2), clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        assert app.uploads.jobs == 2 and "jobs 2 at once" in app.screen.sub_title


async def test_a_file_that_changes_while_it_uploads_says_so_and_r_starts_it_again_from_zero(make_sandbox, tmp_path):
    server = make_sandbox(seed=1, faults=Faults(latency_ms=30))
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf_bytes(3_000_000))
    app = app_for(server, chunk_size=100_000)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(path))
        await wait_for(pilot, lambda: any(r.done for r in rows(app)), what="bytes sent")
        server.config.faults.latency_ms = 60_000  # the next chunk waits while the file changes
        await wait_for(pilot, lambda: 60_000 in server.config.faults.held, what="a chunk in flight")
        path.write_bytes(pdf_bytes(2_000_000) + b"another version")  # rewritten: another file, same name
        server.config.faults.latency_ms = 0
        server.config.faults.release.set()
        await wait_for(pilot, lambda: states(app) == [B.FAILED], what="the upload stopped")
        why = "changed while uploading: start again · R uploads it as it is now"
        await wait_for(pilot, lambda: why in shown(app), what="why, and what to do")
        assert count(server) == 1  # nothing completed
        server.config.faults.release.clear()
        await to_list(pilot)
        await pilot.press("R")
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED], what="uploaded again from byte 0")
    assert count(server) == 2
    import httpx

    from helpers import md5
    from mediatui.api import MediaClient

    with MediaClient(server.url, server.token) as client:
        newest = client.list(limit=1).results[0]
    assert md5(httpx.get(newest.image or newest.url or "").content) == md5(path.read_bytes())


async def test_a_folder_holding_a_name_that_is_not_utf8_uploads_all_of_it(make_sandbox, tmp_path):
    server = make_sandbox(seed=1)
    folder = tmp_path / "pics"
    pictures(folder, 1, names=["plain.png"])
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.png"), "wb") as f:
        f.write(png_bytes(120_000, seed=5))
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(folder))
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED] * 2, what="both uploaded")
        assert "caf\\xe9.png" in shown(app)  # the byte shown as what it is
    assert count(server) == 3


async def test_a_full_state_folder_refuses_the_files_and_names_the_folder(make_sandbox, tmp_path, monkeypatch):
    from helpers import FullDisk

    server = make_sandbox(seed=1)
    [path] = pictures(tmp_path / "pics", 1)
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        await wait_for(pilot, lambda: app.uploads.ready is not None, what="the journal open")
        FullDisk(monkeypatch, tmp_path / "state").on()
        await add(pilot, str(path))
        await wait_for(pilot, lambda: "could not start: the state folder is full" in shown(app), what="why")
        assert states(app) == [B.REFUSED]
    assert count(server) == 1  # the seed alone


async def test_a_big_path_is_listed_in_a_worker_the_keys_still_work_and_escape_stops_it(
    make_sandbox, tmp_path, monkeypatch
):
    """`~/**` on a slow file system (a fault: each folder takes 50 ms to list, as over NFS): the screen says it
    is listing, typing goes on into the box, escape stops the listing (nothing added) and stays on the screen."""
    server = make_sandbox(seed=1)
    monkeypatch.setenv("HOME", str(tmp_path))
    for n in range(200):
        pictures(tmp_path / "photos" / f"{n:03d}", 1, size=100)
    real_scandir = os.scandir

    def slow_scandir(path="."):
        if str(path).startswith(str(tmp_path)):
            time.sleep(0.05)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", slow_scandir)
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        await add(pilot, "~/**")
        hint = lambda: str(app.screen.query_one("#upload-hint").render())  # noqa: E731
        await wait_for(pilot, lambda: "listing ~/**" in hint(), what="it says it lists")
        await pilot.press("a", "b", "c")
        await wait_for(pilot, lambda: app.focused.value == "abc", timeout=1.0, what="keys answered while listing")
        await pilot.press("escape")
        said = lambda: any("stopped listing ~/**: nothing added" in str(n.message) for n in app._notifications)  # noqa: E731
        await wait_for(pilot, said, what="stopped")
        assert isinstance(app.screen, UploadScreen) and rows(app) == [] and app.focused.value == "abc"
        await wait_for(pilot, lambda: "listing" not in hint(), what="the hint back")
    assert count(server) == 1


async def test_a_state_folder_put_right_is_used_on_the_next_add_without_a_restart(make_sandbox, tmp_path):
    """The journal could not be opened (a file stands where the state folder should be); once that is fixed,
    the next file added opens it and uploads (the failed opening used to be kept until the app restarted)."""
    server = make_sandbox(seed=1)
    [path] = pictures(tmp_path / "pics", 1)
    (tmp_path / "state").write_text("not a folder")
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(path))
        await wait_for(pilot, lambda: "could not start: cannot use" in shown(app), what="why")
        (tmp_path / "state").unlink()
        await add(pilot, str(path))
        await wait_for(pilot, lambda: B.COMPLETED in states(app), what="uploaded once the folder is right")
    assert count(server) == 2


async def test_a_path_that_cannot_be_listed_says_why_and_the_screen_goes_on(make_sandbox, tmp_path):
    """A name too long for the file system made the listing worker fail silently: the hint stayed at "listing",
    every enter said "still listing", escape did nothing. Now it says why, and the screen is as before."""
    server = make_sandbox(seed=1)
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(tmp_path / ("x" * 300) / "**"))
        said = lambda: [str(n.message) for n in app._notifications]  # noqa: E731
        await wait_for(pilot, lambda: any("cannot list" in m or "not a folder" in m for m in said()), what="why")
        hint = str(app.screen.query_one("#upload-hint").render())
        assert "listing" not in hint and rows(app) == []
        await add(pilot, str(tmp_path / "nothing-here.png"))  # the next path is taken, not "still listing"
        await wait_for(pilot, lambda: states(app) == [B.REFUSED], what="the next path tried")


def footer(app) -> str:
    """The footer's keys as shown: "R Retry", "R Upload again"."""
    from textual.widgets import Footer

    from mediatui.tui.textual_compat import footer_keys

    shown = footer_keys(app.screen.query_one(Footer))
    return " · ".join(f"{widget.key_display} {widget.description}" for widget, _ in shown if widget.display)


async def test_r_on_a_completed_upload_asks_naming_the_media_then_uploads_it_again(make_sandbox, tmp_path):
    """The footer names what R does on the row under the cursor: "Upload again" on a completed one, else "Retry"."""
    server = make_sandbox(seed=1)
    [path] = pictures(tmp_path / "pics", 1, size=20_000)
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(path))
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED], what="uploaded")
        media_id = rows(app)[0].media_id
        await to_list(pilot)
        await wait_for(pilot, lambda: "R Upload again" in footer(app) and "Retry" not in footer(app), what="footer")
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="the question")
        question = str(app.screen.query_one("#question").render())
        assert f"#{media_id}" in question and "p0.png" in question
        await pilot.press("y")
        await wait_for(pilot, lambda: count(server) == 3, what="uploaded again")


@pytest.mark.smoke
async def test_the_file_browser_starts_at_the_typed_folder_goes_up_and_jumps(make_sandbox, tmp_path):
    """ctrl+o starts where the path box points (else the working folder, not always $HOME); backspace goes up;
    a folder typed in its own box and enter go there."""
    from mediatui.tui.screens.file_picker_modal import FilePickerModal, UploadableTree

    server = make_sandbox(seed=1)
    pictures(tmp_path / "a" / "b", 1)
    pictures(tmp_path / "c", 1)
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        app.focused.value = str(tmp_path / "a" / "b") + "/"
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, FilePickerModal), what="the browser")
        tree = app.screen.query_one(UploadableTree)
        assert Path(tree.path) == tmp_path / "a" / "b"
        await pilot.press("backspace")
        await wait_for(pilot, lambda: Path(tree.path) == tmp_path / "a", what="one folder up")
        app.screen.query_one("#picker-path").focus()
        app.screen.query_one("#picker-path").value = str(tmp_path / "c")
        await pilot.press("enter")
        await wait_for(pilot, lambda: Path(tree.path) == tmp_path / "c", what="jumped")
        assert tree.has_focus
        app.screen.query_one("#picker-path").focus()
        await pilot.press("x")
        await pilot.press("escape")  # from the box: back to the files, the browser stays
        assert isinstance(app.screen, FilePickerModal) and tree.has_focus


async def test_the_upload_screens_header_names_the_profile_and_the_host(make_sandbox):
    from urllib.parse import urlsplit

    from mediatui.settings.config import Secret, Settings
    from mediatui.tui.app import MediaTuiApp
    from tui_helpers import NOW

    server = make_sandbox(seed=1)
    settings = Settings(server.url, Secret(server.token), profile="team-a")
    app = MediaTuiApp(settings, clock=lambda: NOW, upload_options={"retry": FAST})
    async with app.run_test(size=(80, 24)) as pilot:
        await open_upload(pilot)
        assert app.screen.title == f"mediatui · upload to team-a · {urlsplit(server.url).netloc}"


async def test_a_path_that_brings_many_files_asks_first_naming_how_many(make_sandbox, tmp_path):
    """`~/**` that stops at the cap used to start 1,000 uploads without a word. Over ASK_ABOVE files, a question
    names how many (and the cap, when the walk stopped there); n adds nothing, y adds them all."""
    from mediatui.tui.screens.upload_adding import ASK_ABOVE

    server = make_sandbox(seed=1)
    pictures(tmp_path / "many", ASK_ABOVE + 1, size=100)
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(tmp_path / "many"))
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="asked")
        question = str(app.screen.query_one("#question").render())
        assert f"Upload {ASK_ABOVE + 1} files" in question and "many" in question, question
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen), what="back")
        assert rows(app) == [] and app.screen.query_one("#path").value == str(tmp_path / "many")  # to narrow
        await add(pilot, str(tmp_path / "many"))
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="asked again")
        await pilot.press("y")
        await wait_for(pilot, lambda: len(rows(app)) == ASK_ABOVE + 1, what="all added")


async def test_a_walk_that_stops_at_the_cap_says_so_in_its_question(make_sandbox, tmp_path):
    from mediatui.upload.paths import MAX_FILES

    server = make_sandbox(seed=1)
    folder = tmp_path / "many"
    folder.mkdir()
    picture = png_bytes(100)
    for n in range(MAX_FILES + 1):
        (folder / f"{n:04d}.png").write_bytes(picture)
    app = app_for(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(folder) + "/**")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="asked")
        said = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert f"Upload the first {MAX_FILES:,} files" in said and "there are more" in said, said
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen), what="back")
        assert rows(app) == []
    assert count(server) == 1


async def test_end_and_page_keys_move_the_cursor_so_x_and_r_act_on_a_row_in_sight(make_sandbox, tmp_path):
    """End, G and PgDn used to scroll the rows and leave the cursor on the first: R then asked about p0.png,
    far out of sight (found in the tmux trial)."""
    server = make_sandbox(seed=1)
    pictures(tmp_path / "many", 12, size=100)
    app = app_for(server)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_upload(pilot)
        await add(pilot, str(tmp_path / "many"))
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED] * 12, what="uploaded")
        await to_list(pilot)
        listing = app.screen.query_one("#upload-list")
        await pilot.press("end")
        await wait_for(pilot, lambda: listing.index == 11, what="the last row")
        last = listing.highlighted_child
        await settle(pilot)
        assert listing.region.contains_region(last.region) or last.region.y < listing.region.bottom  # in sight
        await pilot.press("g")
        await wait_for(pilot, lambda: listing.index == 0, what="the first row")
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: (listing.index or 0) > 1, what="a page down")

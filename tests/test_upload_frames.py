"""Issue 9: how often the upload screen draws, and that what it draws last is exact.

Progress alone is drawn at most 4 times a second, a change of state (a file
started or completed) within 0.1 s of the last frame, never more than 10
frames a second in all, and a run's queued files with its first start.
While uploads run the switch interval is 1 ms (the engine threads get the
GIL back quickly from a drawing UI thread), and it is given back after.
Against a real sandbox; every test asserts its media count.
"""

from __future__ import annotations

import sys
import time

from mediatui.api import MediaClient
from mediatui.runtime.handover import SWITCH_INTERVAL
from mediatui.sandbox import Faults
from mediatui.tui import uploads as U
from mediatui.tui.widgets.upload_row import UploadRowView
from mediatui.upload import board as B
from mediatui.upload.events import Queued, Started
from mediatui.upload.preflight import check_file
from test_upload_screen import add, app_for, count, open_upload, pictures, states
from tui_helpers import wait_for


async def test_progress_is_drawn_4_times_a_second_and_the_last_frame_is_exact(make_sandbox, tmp_path, tricks):
    server = make_sandbox(seed=1, faults=Faults(latency_ms=5))
    paths = pictures(tmp_path / "pics", 3, size=1_200_000)
    app = app_for(server, chunk_size=16384, jobs=3)  # hundreds of progress events a second
    switch = sys.getswitchinterval()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_upload(pilot)
        uploads = app.uploads
        frames: list[tuple[float, tuple[str, ...]]] = []
        during: list[float] = []

        def frame() -> None:
            frames.append((time.monotonic(), tuple(r.state for r in uploads.board.rows.values())))
            during.append(sys.getswitchinterval())

        uploads.listeners.append(frame)
        await add(pilot, str(tmp_path / "pics"))
        await wait_for(pilot, lambda: states(app) == [B.COMPLETED] * 3, timeout=60, what="all done")
        await wait_for(pilot, lambda: not uploads.running, what="the run's end")
        await wait_for(pilot, lambda: uploads._drawn == uploads.board.version, what="the last frame")
        overall = str(app.screen.query_one("#upload-overall").render())
        figures = [str(s.render()) for s in app.screen.query(".upload-figures")]
        shown_states = sorted(str(s.render()) for s in app.screen.query(".upload-state"))
    assert sys.getswitchinterval() == switch  # given back when no run is left
    assert (SWITCH_INTERVAL in during) == tricks  # 1 ms while the engine ran; with MEDIATUI_PLAIN, never changed
    assert tricks or set(during) == {switch}

    gaps = [(b[0] - a[0], a[1] != b[1]) for a, b in zip(frames, frames[1:], strict=False)]
    assert len(frames) > 4 and min(gap for gap, _ in gaps) >= 0.095, gaps
    progress_only = [gap for gap, state_changed in gaps if not state_changed]
    assert progress_only and min(progress_only) >= 0.245, gaps

    with MediaClient(server.url, server.token) as client:
        ids = {m.id for m in client.list(limit=10).results}
    rows = list(app.uploads.board.rows.values())
    assert {r.media_id for r in rows} <= ids and len({r.media_id for r in rows}) == 3
    assert all(r.done == r.size == p.stat().st_size for r, p in zip(rows, paths, strict=True))
    assert overall.startswith("3 of 3 files · ")
    assert shown_states == sorted(f"completed as #{r.media_id}" for r in rows)
    for text in figures:  # "1.2 MB / 1.2 MB": all of it sent, no speed left over
        sent, total = text.strip().split(" / ")
        assert sent == total, figures
    assert count(server) == 4


async def test_a_change_of_state_brings_a_progress_frame_forward(make_sandbox, tmp_path):
    server = make_sandbox(seed=1)
    app = app_for(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_upload(pilot)
        uploads = app.uploads
        uploads.board.refuse("a", "a.pdf", "not a PDF")
        uploads.draw()  # a frame now
        drawn = uploads._drawn_at
        uploads.board.version += 1
        uploads.changed(urgent=False)  # progress alone: 0.25 s after that frame
        assert uploads._timer is not None and abs(uploads._due - (drawn + U.PROGRESS_INTERVAL)) < 1e-9
        uploads.changed(urgent=True)  # a completion: 0.1 s after it, the same single timer
        assert uploads._timer is not None and abs(uploads._due - (drawn + U.DRAW_INTERVAL)) < 1e-9
        uploads.changed(urgent=False)  # more progress does not push it back
        assert abs(uploads._due - (drawn + U.DRAW_INTERVAL)) < 1e-9
        await wait_for(pilot, lambda: uploads._drawn == uploads.board.version, what="the frame")
        assert uploads._drawn_at - drawn >= U.DRAW_INTERVAL
    assert count(server) == 1


async def test_files_queued_together_are_drawn_in_one_frame(make_sandbox, tmp_path):
    """A run queues its files together and starts the first at once: one frame mounts all their rows."""
    server = make_sandbox(seed=1)
    paths = pictures(tmp_path / "pics", 3)
    app = app_for(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_upload(pilot)
        uploads = app.uploads
        frames: list[list[str]] = []
        uploads.listeners.append(lambda: frames.append([r.state for r in uploads.board.rows.values()]))
        items = [check_file(path) for path in paths]
        for item in items:  # as the engine's thread posts them, before the UI takes the first
            app.post_message(U.UploadEvent(Queued(item)))
        app.post_message(U.UploadEvent(Started(items[0])))
        await wait_for(pilot, lambda: len(app.screen.query(UploadRowView)) == 3, what="three rows")
        assert frames[0] == [B.UPLOADING, B.QUEUED, B.QUEUED], frames
    assert count(server) == 1

"""One owner per community: uploads made on A stay A's, and after a switch to B the next upload lands on B."""

from __future__ import annotations

import httpx

from helpers import md5
from mediatui.settings.config import Secret, Settings
from mediatui.tui.app import MediaTuiApp
from mediatui.upload import board as B
from test_upload_screen import FAST, open_upload, pictures
from tui_helpers import NOW, settle, wait_for


def media_on(server) -> list:
    from mediatui.api import MediaClient

    with MediaClient(server.url, server.token) as client:
        return client.list(limit=50).results


async def test_upload_on_a_switch_to_b_upload_again_each_file_lands_once_where_it_was_sent(make_sandbox, tmp_path):
    a, b = make_sandbox(seed=1), make_sandbox(seed=2)
    [on_a] = pictures(tmp_path / "a", 1, size=120_000)
    [on_b] = pictures(tmp_path / "b", 1, size=90_000, names=["for-b.png"])
    app = MediaTuiApp(Settings(a.url, Secret(a.token)), clock=lambda: NOW, upload_options={"retry": FAST})
    async with app.run_test(size=(100, 30)) as pilot:
        await open_upload(pilot)
        pilot.app.focused.value = str(on_a)
        await pilot.press("enter")
        await wait_for(pilot, lambda: [r.state for r in app.uploads.board.rows.values()] == [B.COMPLETED])
        await pilot.press("escape")
        await settle(pilot)
        app.use_settings(Settings(b.url, Secret(b.token)))  # what the connect screen's F4 does
        await wait_for(pilot, lambda: app.settings.url == b.url and type(app.screen).__name__ == "BrowseScreen")
        await open_upload(pilot)
        pilot.app.focused.value = str(on_b)
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: any(
                r.name == "for-b.png" and r.state in (B.COMPLETED, B.FAILED) for r in app.uploads.board.rows.values()
            ),
            timeout=20,
            what="the upload on B to end",
        )
        assert [r.state for r in app.uploads.board.rows.values() if r.name == "for-b.png"] == [B.COMPLETED]
    a_new = [m for m in media_on(a) if m.id > 1]
    b_new = [m for m in media_on(b) if m.id > 2]
    assert [m.title for m in a_new] == ["p0.png"] and [m.title for m in b_new] == ["for-b.png"]
    assert md5(httpx.get(a_new[0].image).content) == md5(on_a.read_bytes())
    assert md5(httpx.get(b_new[0].image).content) == md5(on_b.read_bytes())


def slow_app_on(server) -> MediaTuiApp:
    return MediaTuiApp(
        Settings(server.url, Secret(server.token)),
        clock=lambda: NOW,
        upload_options={"retry": FAST, "chunk_size": 65536},
    )


async def uploading(pilot, folder, files: int) -> None:
    """`files` pictures of 900 KB added on the upload screen, once the first bytes are sent (200 ms a chunk:
    still running when the test switches)."""
    pictures(folder, files, size=900_000)
    await open_upload(pilot)
    pilot.app.focused.value = str(folder)
    await pilot.press("enter")
    await wait_for(pilot, lambda: any(r.done for r in pilot.app.uploads.board.rows.values()), what="progress")


async def test_a_switch_while_uploads_run_asks_first_and_leaves_them_resumable(make_sandbox, tmp_path):
    from mediatui.sandbox import Faults
    from mediatui.tui.screens.confirm_modal import GuardedConfirm
    from mediatui.upload import journal as J

    a, b = make_sandbox(seed=1, faults=Faults(latency_ms=200)), make_sandbox(seed=2)
    app = slow_app_on(a)
    async with app.run_test(size=(100, 30)) as pilot:
        await uploading(pilot, tmp_path / "a", 1)
        await pilot.press("escape")
        app._switch_to(Settings(b.url, Secret(b.token)))  # the connect screen's answer
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="the question")
        assert "Uploads are running on" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, GuardedConfirm))
        assert app.settings.url == a.url and app.uploads.running  # stayed, and they go on
        app._switch_to(Settings(b.url, Secret(b.token)))
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.settings.url == b.url and type(app.screen).__name__ == "BrowseScreen")
        await settle(pilot)
    with J.Journal.for_server(a.url) as journal:
        assert [e.state for e in journal.entries(J.RESUMABLE)] == [J.CANCELLED]  # A's upload, offered again later
    assert not [m for m in media_on(b) if m.id > 2]  # nothing of it went to B


async def test_a_switch_from_the_upload_screen_while_it_uploads_leaves_a_working_app(make_sandbox, tmp_path):
    """The old uploads' last events (cancelled) must not reach the screens the switch replaced."""
    from mediatui.sandbox import Faults
    from mediatui.tui.screens.confirm_modal import GuardedConfirm
    from mediatui.upload import journal as J

    a, b = make_sandbox(seed=1, faults=Faults(latency_ms=200)), make_sandbox(seed=2)
    app = slow_app_on(a)
    async with app.run_test(size=(100, 30)) as pilot:
        await uploading(pilot, tmp_path / "a", 2)
        old = app.uploads
        app._switch_to(Settings(b.url, Secret(b.token)))  # from the upload screen itself (the palette's switch)
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.settings.url == b.url and type(app.screen).__name__ == "BrowseScreen")
        await wait_for(pilot, lambda: not old.running, timeout=10, what="A's uploads to stop")
        await settle(pilot)
        assert app.is_running and len(app.screen.query_one("#table").rows) == 2  # B's two media, no crash
    with J.Journal.for_server(a.url) as journal:
        assert sorted(e.state for e in journal.entries(J.RESUMABLE)) == [J.CANCELLED, J.CANCELLED]


def test_the_switch_interval_comes_back_when_the_last_run_of_any_community_ends():
    import sys

    from mediatui.runtime.handover import SWITCH_INTERVAL, Handover

    before = sys.getswitchinterval()
    on_a, on_b = Handover(), Handover()
    on_a.run_started()
    on_b.run_started()
    on_a.run_ended()
    assert sys.getswitchinterval() == min(before, SWITCH_INTERVAL)  # B still runs
    on_b.run_ended()
    assert sys.getswitchinterval() == before

"""One owner per community: uploads made on A stay A's, and after a switch to B the next upload lands on B."""

from __future__ import annotations

import httpx

from helpers import md5
from mediatui.settings.config import Secret, Settings
from mediatui.tui.app import MediaTuiApp
from mediatui.upload import board as B
from test_upload_screen import FAST, open_upload, pictures
from tui_helpers import NOW, settle, status, titles, wait_for


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


async def switch_answering_yes(pilot, server) -> None:
    """The connect screen's answer while uploads run: the question, then y."""
    from mediatui.tui.screens.confirm_modal import GuardedConfirm

    app = pilot.app
    app.switching.chosen(Settings(server.url, Secret(server.token)))
    await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="the question")
    assert "Uploads are running on" in str(app.screen.query_one("#question").render())
    await pilot.press("y")
    await wait_for(pilot, lambda: app.settings.url == server.url and type(app.screen).__name__ == "BrowseScreen")


async def test_a_switch_asks_first_and_the_uploads_go_on_to_the_end_on_their_own_community(make_sandbox, tmp_path):
    from mediatui.sandbox import Faults
    from mediatui.tui.screens.confirm_modal import GuardedConfirm
    from mediatui.upload import journal as J

    a, b = make_sandbox(seed=1, faults=Faults(latency_ms=200)), make_sandbox(seed=2)
    app = slow_app_on(a)
    app.community.name = "community-a"
    async with app.run_test(size=(100, 30)) as pilot:
        await uploading(pilot, tmp_path / "a", 1)
        await pilot.press("escape")
        old, community_a = app.uploads, app.community
        await hang(pilot, a)
        app.switching.chosen(Settings(b.url, Secret(b.token)))  # the connect screen's answer
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="the question")
        await pilot.press("n")
        await wait_for(pilot, lambda: not isinstance(app.screen, GuardedConfirm))
        assert app.settings.url == a.url and app.uploads.running  # stayed, and they go on
        await switch_answering_yes(pilot, b)
        assert old.running and not community_a.closed  # still A's, still sending
        await wait_for(pilot, lambda: "% to community-a" in listed_status(app), what="B's list naming A's upload")
        answer(a)
        await wait_for(pilot, lambda: not old.running, timeout=30, what="A's upload to end")
        assert [r.state for r in old.board.rows.values()] == [B.COMPLETED]
        await wait_for(pilot, lambda: community_a.closed, what="A's community to end with its last upload")
        assert app.communities.uploads_elsewhere == []
        ended = f"Uploads to {community_a.name} ended: 1 of 1 landed."
        assert any(str(n.message) == ended for n in app._notifications)
        await wait_for(pilot, lambda: "uploading" not in listed_status(app), what="B's list to forget A's upload")
        await settle(pilot)
    with J.Journal.for_server(a.url) as journal:
        assert journal.entries(J.RESUMABLE) == []  # nothing left to resume: it landed
    [landed] = [m for m in media_on(a) if m.id > 1]
    assert md5(httpx.get(landed.image).content) == md5((tmp_path / "a" / "p0.png").read_bytes())
    assert not [m for m in media_on(b) if m.id > 2]  # nothing of it went to B


async def test_b_upload_screen_shows_and_cancels_as_uploads_naming_a_and_b_uploads_land_on_b(make_sandbox, tmp_path):
    from mediatui.sandbox import Faults
    from mediatui.tui.screens.confirm_modal import GuardedConfirm
    from mediatui.tui.screens.upload_screen import UploadScreen
    from test_upload_screen import to_list

    a, b = make_sandbox(seed=1, faults=Faults(latency_ms=150)), make_sandbox(seed=2)
    app = slow_app_on(a)
    app.community.name = "community-a"
    [on_b] = pictures(tmp_path / "b", 1, size=90_000, names=["for-b.png"])
    async with app.run_test(size=(100, 30)) as pilot:
        await uploading(pilot, tmp_path / "a", 1)
        old, community_a = app.uploads, app.community
        await hang(pilot, a)
        await switch_answering_yes(pilot, b)  # from the upload screen itself (the palette's switch)
        assert old.running
        await pilot.press("u")  # not open_upload: its settle would wait for A's hanging worker
        await wait_for(pilot, lambda: isinstance(app.screen, UploadScreen) and app.focused is not None)
        screen = app.screen
        assert isinstance(screen, UploadScreen) and screen.uploads is not old
        await wait_for(pilot, lambda: "community-a" in rows_text(screen), what="A's row on B's screen")
        assert "to community-a" in str(screen.query_one("#upload-overall").render())
        pilot.app.focused.value = str(on_b)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "for-b.png" in rows_text(screen), what="B's row")
        names = rows_text(screen).splitlines()
        assert any("p0.png" in line and "community-a" in line for line in names)
        assert any("for-b.png" in line and "community-a" not in line for line in names)
        await wait_for(pilot, lambda: not app.uploads.running, timeout=20, what="B's upload to end")
        assert [r.state for r in app.uploads.board.rows.values()] == [B.COMPLETED]

        await to_list(pilot)  # x on A's row cancels A's upload, from B's screen
        listing = screen.query_one("#upload-list")
        listing.index = next(i for i, line in enumerate(rows_text(screen).splitlines()) if "community-a" in line)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="the question")
        assert "p0.png  → community-a" in str(app.screen.query_one("#dialog").render()) + "".join(
            str(w.render()) for w in app.screen.query("Static")
        )
        await pilot.press("y")
        answer(a)  # the chunk in flight comes back; the upload stops before the next
        await wait_for(pilot, lambda: community_a.closed, timeout=20, what="A to end with its cancelled upload")
        assert [r.state for r in old.board.rows.values()] == [B.CANCELLED]

        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("R")  # A is closed: said, and the row stays as it was (never stuck on "queued")
        ended = "The uploads to community-a ended with it: connect to it (c on the list) to resume."
        await wait_for(pilot, lambda: any(str(n.message) == ended for n in app._notifications), what="the note")
        await settle(pilot)
        assert [r.state for r in old.board.rows.values()] == [B.CANCELLED]
    assert [m for m in media_on(a) if m.id > 1] == []  # cancelled: nothing landed on A
    assert [m.title for m in media_on(b) if m.id > 2] == ["for-b.png"]


async def hang(pilot, server) -> None:
    """From now on every request to `server` hangs (until `answer`): its uploads still run when the test looks."""
    server.config.faults.latency_ms = 60_000
    await wait_for(pilot, lambda: 60_000 in server.config.faults.held, what="a request to hang")


def answer(server) -> None:
    server.config.faults.latency_ms = 0
    server.config.faults.release.set()


def listed_status(app) -> str:
    """The list's status line, or nothing while another screen is on top."""
    return status(app) if app.screen.query("#status") else ""


def rows_text(screen) -> str:
    """The names of the upload rows as drawn, one line each."""
    return "\n".join(str(view.query_one(".upload-name").render()) for view in screen.query(".upload-row"))


async def test_coming_back_to_a_while_its_uploads_run_takes_them_back(make_sandbox, tmp_path):
    from mediatui.sandbox import Faults

    a, b = make_sandbox(seed=1, faults=Faults(latency_ms=200)), make_sandbox(seed=2)
    app = slow_app_on(a)
    async with app.run_test(size=(100, 30)) as pilot:
        await uploading(pilot, tmp_path / "a", 1)
        old, community_a = app.uploads, app.community
        await hang(pilot, a)
        await switch_answering_yes(pilot, b)
        back = a.url + "/api/v2/"  # A's address written another way: the same server, the same journal
        app.switching.chosen(Settings(back, Secret(a.token)))  # B uploads nothing: no question
        await wait_for(pilot, lambda: app.settings.url == back and type(app.screen).__name__ == "BrowseScreen")
        assert app.community is community_a and app.uploads is old and app.communities.uploads_elsewhere == []
        shown = app.screen
        app.switching.chosen(Settings(a.url, Secret(a.token)))  # connecting again to the community shown: no question
        await wait_for(pilot, lambda: app.screen is not shown, what="the list again")
        assert type(app.screen).__name__ == "BrowseScreen" and app.community is community_a and app.uploads is old
        answer(a)
        await wait_for(pilot, lambda: not old.running, timeout=30, what="A's upload to end")
        assert [r.state for r in old.board.rows.values()] == [B.COMPLETED] and not community_a.closed
        await wait_for(pilot, lambda: "p0.png" in titles(app), what="the landed media on A's list")
        await wait_for(pilot, lambda: "uploading" not in listed_status(app), what="the list to forget the upload")
        await settle(pilot)
    assert [m.title for m in media_on(a) if m.id > 1] == ["p0.png"]


async def test_q_asks_while_a_left_communitys_uploads_run_and_they_stay_resumable(make_sandbox, tmp_path):
    from mediatui.sandbox import Faults
    from mediatui.tui.screens.confirm_modal import GuardedConfirm
    from mediatui.upload import journal as J

    a, b = make_sandbox(seed=1, faults=Faults(latency_ms=200)), make_sandbox(seed=2)
    app = slow_app_on(a)
    async with app.run_test(size=(100, 30)) as pilot:
        await uploading(pilot, tmp_path / "a", 1)
        await hang(pilot, a)
        await switch_answering_yes(pilot, b)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="the question")
        assert "Uploads are running" in str(app.screen.query_one("#question").render())
        said = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert f"{a.url}: uploading 1 · done 0 of 1" in said  # the community they go to
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, what="the app to quit")
    with J.Journal.for_server(a.url) as journal:
        assert [e.state for e in journal.entries(J.RESUMABLE)] == [J.CANCELLED]


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


async def test_a_community_left_while_its_reads_are_retried_stops_them_and_says_nothing_on_the_next(make_sandbox):
    from mediatui.sandbox import Faults
    from tui_helpers import status

    a = make_sandbox(seed=1, faults=Faults(throttle_rate=1.0, seed=1))  # 429 with Retry-After: 1 s between tries
    b = make_sandbox(seed=2)
    app = slow_app_on(a)
    async with app.run_test(size=(100, 30)) as pilot:
        shown = lambda: status(app) if app.screen.query("#status") else ""  # noqa: E731
        await wait_for(pilot, lambda: "retrying" in shown(), what="A's first page retried")
        a_connection = app.list_connection.connection()
        app.switching.chosen(Settings(b.url, Secret(b.token)))
        await wait_for(pilot, lambda: "2 of 2 loaded" in shown(), what="B's list")
        told_b, listener = [], app.list_connection.retry_listener
        app.list_connection.retry_listener = lambda *retry: (told_b.append(retry), listener(*retry))
        await wait_for(pilot, a_connection.done, timeout=0.9, what="A's wait between retries to end at the switch")
        await settle(pilot)
        assert told_b == [] and "retrying" not in status(app)


async def test_the_list_left_by_a_switch_ends_with_its_community_and_tells_the_next_nothing(make_sandbox):
    """The first list stays under the next one (Textual's base screen): its page in flight must not, when it
    comes back, say "connected" in B's header, nor toast A's failure over B's list."""
    import socket

    a = make_sandbox(seed=120)
    app = MediaTuiApp(Settings(a.url, Secret(a.token)), clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        faults = a.config.faults
        faults.only_method, faults.latency_ms = "GET", 60_000
        await pilot.press("G")  # page 2 is asked for, and A holds it
        await wait_for(pilot, lambda: bool(faults.held), what="A holding page 2")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed = f"http://127.0.0.1:{s.getsockname()[1]}"  # bound, never listening: B refuses
        app.use_settings(Settings(closed, Secret("t")))
        await wait_for(pilot, lambda: "disconnected" in app.sub_title, what="B refusing")
        faults.fail_next, faults.latency_ms = 0, 0
        faults.release.set()  # A answers page 2 now
        await wait_for(pilot, lambda: not faults.held, what="A's answer")
        await settle(pilot)
        assert "disconnected" in app.sub_title and "127.0.0.1" in app.sub_title
        assert not [n for n in app._notifications if "load more" in str(n.title)]
        left = app.screen_stack[0]
        assert not any(w.is_running for w in app.workers if w.node is left)

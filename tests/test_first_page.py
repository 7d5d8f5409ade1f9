"""Page one fetched by a forked child while the app starts (mediatui.runtime.first_page), over real loopback HTTP.

The fork happens in a fresh interpreter of its own (the test process runs server
threads, and FirstPage refuses to fork beside threads, as it should).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from hostile_server import HostileServer, media, send_json
from mediatui.runtime.first_page import FirstPage
from mediatui.settings.config import Secret, Settings
from mediatui.tui.screens.delete_modal import DeleteModal
from tui_helpers import NOW, notice, settle, titles, wait_for

FORKING = r"""
import json, os, sys, threading, time
import mediatui.runtime.first_page as F
from mediatui.settings.config import Secret, Settings
url, token, timeout, action = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
first = F.FirstPage.start(Settings(url, Secret(token), timeout=timeout), 50)
pid = first.pid
started = time.monotonic()
if action == "cancel":
    time.sleep(0.3)  # the person quits 0.3 s into the start (the scene, not a wait for something)
    first.cancel()
    page = first.take()
elif action == "cancel-while-taking":
    threading.Timer(0.3, first.cancel).start()
    page = first.take()
else:
    page = first.take()
took = time.monotonic() - started
try:
    os.kill(pid, 0)
    alive = True
except ProcessLookupError:
    alive = False
print(json.dumps({
    "ids": [m.id for m in page.results] if page else None,
    "count": page.count if page else None,
    "took": took,
    "alive": alive,
    "second_take": first.take() is not None,
}))
"""


def fork_and_take(url: str, token: str, *, timeout: float = 10.0, action: str = "take") -> dict:
    """`timeout`: the request's deadline, which the app waits for the child at most (and a little more)."""
    done = subprocess.run(
        [sys.executable, "-c", FORKING, url, token, str(timeout), action],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_child_brings_page_one(sandbox, client):
    got = fork_and_take(sandbox.url, sandbox.token)
    page = client.list(limit=50)
    assert got["ids"] == [m.id for m in page.results] and got["count"] == page.count
    assert not got["alive"]  # reaped: no zombie left behind
    assert not got["second_take"]  # one page, once


@pytest.mark.serial
def test_a_refused_token_means_asking_again(sandbox):
    got = fork_and_take(sandbox.url, "not-the-token")
    assert got["ids"] is None and got["took"] < 5 and not got["alive"]


def test_a_server_slower_than_five_seconds_is_asked_once():
    """Issue 24: the app gave up on the child after 5 s and asked again, so a slow server got the question twice.

    The child's request is the first try: the app waits for it as long as the request itself may take."""

    def slow(handler):
        server.stop_event.wait(5.5)
        send_json(handler, 200, {"count": 1, "next": None, "previous": None, "results": [media(7)]})

    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", slow)
        got = fork_and_take(server.url, "t", timeout=10)
        lists = [path for method, path, _ in server.requests if method == "GET"]
    assert got["ids"] == [7] and got["took"] >= 5.0 and not got["alive"]
    assert len(lists) == 1, lists


@pytest.mark.serial
def test_a_hanging_server_is_given_up_when_the_childs_request_times_out():
    """The child's request has the usual deadline; then the app's own tries say what happens (status line)."""
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", server.hang())
        got = fork_and_take(server.url, "t", timeout=1)
    assert got["ids"] is None
    assert got["took"] < 2.5
    assert not got["alive"]


@pytest.mark.serial
@pytest.mark.parametrize("action", ["cancel", "cancel-while-taking"])
def test_cancel_ends_a_hanging_child_at_once(action):
    """Quitting (or another community) kills the child, even while the connecting thread waits on it."""
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", server.hang())
        got = fork_and_take(server.url, "t", timeout=30, action=action)
    assert got["ids"] is None and not got["alive"]
    assert got["took"] < 0.9  # woken by the child's end, not by its deadline


def test_no_fork_beside_threads_or_without_settings(sandbox):
    # this test process runs the sandbox's server thread: a fork here could inherit a held lock
    assert threading.active_count() > 1
    assert FirstPage.start(Settings(sandbox.url, Secret(sandbox.token)), 50) is None


def test_no_fork_when_there_is_nothing_to_ask():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from mediatui.settings.config import Secret, Settings\n"
            "from mediatui.runtime.first_page import FirstPage\n"
            "print(FirstPage.start(Settings('', Secret('')), 50),"
            " FirstPage.start(Settings('http://x', Secret('')), 50))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.split() == ["None", "None"], done.stderr


def test_no_fork_with_mediatui_plain(sandbox):
    code = (
        "from mediatui.settings.config import Secret, Settings\n"
        "from mediatui.runtime.first_page import FirstPage\n"
        f"print(FirstPage.start(Settings({sandbox.url!r}, Secret({sandbox.token!r})), 50))"
    )
    for env, forked in (({"MEDIATUI_PLAIN": "1"}, False), ({}, True)):
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            timeout=60,
            env={k: v for k, v in os.environ.items() if k != "MEDIATUI_PLAIN"} | env,
        )
        assert (done.stdout.strip() != "None") == forked, done.stderr


CHILD = r"""
import sys
from mediatui.settings.config import Secret, Settings
from mediatui.runtime.first_page import _child
_child(1, Settings(sys.argv[1], Secret(sys.argv[2])), 50)
"""


async def test_the_app_shows_the_page_the_child_brought_and_makes_its_client_when_needed(sandbox, client):
    """The rows come from the child's page (no list request of the app's own); delete still works."""
    from mediatui.tui.app import MediaTuiApp

    proc = subprocess.Popen([sys.executable, "-c", CHILD, sandbox.url, sandbox.token], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    first = FirstPage(proc.pid, os.dup(proc.stdout.fileno()), 30)
    proc.stdout.close()
    proc.wait(timeout=30)  # the child ended: the page is in the pipe
    client.delete(1)  # after the child's request: a list of the app's own would not show #1
    app = MediaTuiApp(Settings(sandbox.url, Secret(sandbox.token)), clock=lambda: NOW, first_page=first)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert titles(app)[0].startswith("Community guidelines v3")  # #1, from the child's page
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DeleteModal) and app.screen.armed)
        await pilot.press("y")
        await settle(pilot)
        results = str(app.screen.query_one("#results-body").render())
        assert "✓ #1 already gone" in results  # the client, made on first use, asked the server


async def test_a_child_that_failed_before_the_first_frame_is_asked_again_off_the_ui_thread(sandbox):
    """A refused token: the child is done (with no page) when the app starts; the app must say so, not crash."""
    from mediatui.tui.app import MediaTuiApp

    proc = subprocess.Popen([sys.executable, "-c", CHILD, sandbox.url, "bad-token"], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    first = FirstPage(proc.pid, os.dup(proc.stdout.fileno()), 30)
    proc.stdout.close()
    proc.wait(timeout=30)  # the child ended: its answer (a failure) is in the pipe
    app = MediaTuiApp(Settings(sandbox.url, Secret("bad-token")), clock=lambda: NOW, first_page=first)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.is_running
        assert "the token was refused" in notice(app).lower()


async def test_a_server_without_a_list_is_asked_once_not_again_by_the_app(tmp_path):
    """The public API has no list: the child asks for one, then for a media that cannot exist (a JSON 404: the
    token is good). The app used to take that for a failure and ask both again: four requests, not two."""
    from mediatui.tui.app import MediaTuiApp

    def not_found(handler):
        send_json(handler, 404, {"detail": "Not found."})

    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", not_found)
        proc = subprocess.Popen([sys.executable, "-c", CHILD, server.url, "t"], stdout=subprocess.PIPE)
        assert proc.stdout is not None
        first = FirstPage(proc.pid, os.dup(proc.stdout.fileno()), 30)
        proc.stdout.close()
        proc.wait(timeout=30)
        app = MediaTuiApp(Settings(server.url, Secret("t")), clock=lambda: NOW, first_page=first)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: "catalogue" in str(app.screen.query_one("#status").render()), what="mode")
            await settle(pilot)
        asked = [path for method, path, _ in server.requests if method == "GET"]
    assert len(asked) == 2, asked

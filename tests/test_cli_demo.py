"""Issue 25: `mediatui demo` says what it is: where its sandbox is, with which token, so that the CLI can be
tried beside it, and that its data is temporary; and, when it ends, that it ended. Run on a real pty."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from helpers import pty_read
from mediatui.localdb import per_server_file
from mediatui.settings.demo import demo_banner

ALT_SCREEN_ON, ALT_SCREEN_OFF = b"\x1b[?1049h", b"\x1b[?1049l"  # the TUI takes the screen, and gives it back


def test_the_demo_says_where_its_sandbox_is_and_that_it_ended(tmp_path):
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    mine = {"MEDIATUI_DATA_DIR": str(tmp_path / "data"), "MEDIATUI_STATE_DIR": str(tmp_path / "state")}
    other = per_server_file(tmp_path / "state", "uploads", "https://other.example")  # a real community's journal
    other.parent.mkdir(parents=True)
    other.write_bytes(b"kept")
    env = dict(os.environ, TERM="xterm-256color", TMPDIR=str(tmp_path), **mine)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mediatui", "demo", "--seed", "5"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    out = b""
    listed = None
    quitting = False
    mark = 0
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            data = pty_read(leader)
            if data is None:
                break
            out += data
            if listed is None and b"Quit" in out:  # the TUI is up: its footer is drawn
                before = out[: out.index(ALT_SCREEN_ON)].decode()
                tried = re.search(r"MEDIATUI_URL=(http://\S+) MEDIATUI_TOKEN=(\S+) mediatui list", before)
                assert tried, before
                url, token = tried.groups()
                folder = re.search(rf"{re.escape(str(tmp_path))}/mediatui-demo-\w+", before)
                assert folder and Path(folder.group()).is_dir(), before
                listed = subprocess.run(  # the CLI beside it, as the banner says
                    [sys.executable, "-m", "mediatui", "list"],
                    env=dict(os.environ, MEDIATUI_URL=url, MEDIATUI_TOKEN=token),
                    capture_output=True,
                    text=True,
                    timeout=30,
                )
                os.write(leader, b"u")  # the upload screen opens the upload journal of the demo's community
                mark = len(out)
            journal_made = any(tmp_path.rglob("uploads-*.sqlite"))  # by a worker, wherever the demo keeps it
            if listed is not None and b"Browse" in out[mark:] and journal_made and not quitting:
                os.write(leader, b"\x1bq")
                quitting = True
        assert proc.wait(10) == 0, out[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    assert listed is not None, out[-2000:]
    assert listed.returncode == 0 and len([json.loads(line) for line in listed.stdout.splitlines()]) == 5
    after = out[out.rindex(ALT_SCREEN_OFF) :].decode().replace("\r\n", "\n")
    ended = demo_banner(url, token, folder.group(), ended=True)
    assert ended in after and out.decode().count(ended) == 1, after  # once, on the screen the TUI gave back
    assert out.decode().count("mediatui list") == 1  # the try line is said while the sandbox is there only
    assert not Path(folder.group()).exists()  # "temporary" is true
    left = [p for name in mine for p in Path(env[name]).rglob("*") if p.is_file()]
    assert left == [other]  # the demo's catalogue and upload journal went with it; another community's stay


def test_the_banner_says_url_token_try_line_and_the_data_folder():
    """One Textual-free function words it, for the CLI now and the TUI's header and help later."""
    running = demo_banner("http://127.0.0.1:4321", "sandbox-token", "/tmp/mediatui-demo-x")
    assert "http://127.0.0.1:4321" in running and "sandbox-token" in running
    assert "MEDIATUI_URL=http://127.0.0.1:4321 MEDIATUI_TOKEN=sandbox-token mediatui list" in running
    assert "/tmp/mediatui-demo-x" in running and "temporary" in running
    ended = demo_banner("http://127.0.0.1:4321", "sandbox-token", "/tmp/mediatui-demo-x", ended=True)
    assert "mediatui list" not in ended and "stopped" in ended and "deleted" in ended
    hostile = demo_banner("http://127.0.0.1:1", "t", "/tmp/\x1b[2Jx")  # TMPDIR is the user's: kept inert
    assert "\x1b" not in hostile


async def test_while_the_demo_runs_its_header_says_so_and_f1_says_where_and_with_which_token(sandbox):
    from mediatui.settings.config import Secret, Settings
    from mediatui.tui.app import MediaTuiApp
    from mediatui.tui.screens.help_modal import HelpModal
    from tui_helpers import NOW, settle, wait_for

    words = demo_banner(sandbox.url, sandbox.token, "/tmp/mediatui-demo-x")
    app = MediaTuiApp(Settings(sandbox.url, Secret(sandbox.token), demo=words), clock=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = " ".join(str(widget.render()) for widget in app.screen.query("HeaderTitle"))
        assert "— demo · 127.0.0.1" in header, header
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpModal), what="F1")
        await pilot.pause()
        about = str(app.screen.query_one("#about").render())
        assert f"MEDIATUI_URL={sandbox.url} MEDIATUI_TOKEN={sandbox.token} mediatui list" in about.replace("\n", " ")
        assert "deleted when the demo ends" in about.replace("\n", " ")

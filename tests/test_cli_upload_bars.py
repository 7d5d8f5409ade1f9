"""`mediatui upload` on a real terminal: what a person sees when they press Ctrl-C under the progress bars.

The bytes the CLI writes to a pseudo-terminal are played on a small model of the screen (the few control
sequences rich's live display uses), and the test reads the screen as the person would.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time

from helpers import cli_env, pdf_bytes, pty_read
from mediatui.sandbox import Faults

COLS, ROWS = 100, 30
CANCELLING = "mediatui: cancelling between chunks... (Ctrl-C again to quit at once)"
BAR = "━"  # rich's bar glyph: on a line, that line is a progress bar

# Run as the child: makes the pty its controlling terminal, so that ^C typed into it is a real SIGINT from the
# terminal (as a person's Ctrl-C), echo and all.
TAKE_THE_TERMINAL = (
    "import fcntl, os, sys, termios\n"
    "fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n"
    "os.execv(sys.executable, [sys.executable, '-m', 'mediatui', *sys.argv[1:]])\n"
)


class Screen:
    """The screen after the bytes written: text only (colours ignored), with CR, LF, erase-line and cursor-up.

    Any other control sequence fails the test: this model must never silently disagree with a terminal.
    """

    SEQUENCE = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z])")

    def __init__(self) -> None:
        self.lines: list[list[str]] = [[]]
        self.row = self.col = 0

    def play(self, data: bytes) -> Screen:
        text = data.decode("utf-8", errors="replace")
        at = 0
        while at < len(text):
            char = text[at]
            if char == "\x1b":
                match = self.SEQUENCE.match(text, at)
                assert match, f"an escape this model does not know: {text[at : at + 12]!r}"
                self._control(*match.groups())
                at = match.end()
                continue
            if char == "\r":
                self.col = 0
            elif char == "\n":
                self.row += 1
                while len(self.lines) <= self.row:
                    self.lines.append([])
            else:
                assert char >= " ", f"a control character this model does not know: {char!r}"
                line = self.lines[self.row]
                line.extend(" " * (self.col + 1 - len(line)))
                line[self.col] = char
                self.col += 1
                assert self.col <= COLS, "a line wider than the terminal (this model does not wrap)"
            at += 1
        return self

    def _control(self, params: str, final: str) -> None:
        if final == "m" or params in ("?25", "?25l", "?25h") or (params == "?25" and final in "hl"):
            return  # colours; the cursor hidden or shown
        if final == "K" and params == "2":
            self.lines[self.row] = []
        elif final == "A":
            self.row = max(0, self.row - int(params or 1))
        else:
            raise AssertionError(f"an escape this model does not know: ESC[{params}{final}")

    def text(self) -> list[str]:
        return ["".join(line).rstrip() for line in self.lines]


def test_ctrl_c_under_the_bars_clears_them_then_says_so_once(make_sandbox, tmp_path):
    """Before: the message was written under the bars and rich's next redraw erased it, leaving stale bars (and
    the terminal's ^C echo) on the screen."""
    server = make_sandbox(faults=Faults(latency_ms=100))  # 30 chunks of 100 KB: 3 s at least; Ctrl-C after one
    path = tmp_path / "minutes.pdf"
    path.write_bytes(pdf_bytes(3_000_000))
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    env = dict(cli_env(server, tmp_path), TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", TAKE_THE_TERMINAL, "upload", str(path), "--chunk-size", "100000"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        start_new_session=True,
    )
    os.close(follower)
    out = b""
    pressed = False
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            data = pty_read(leader)
            if data is None:
                break
            out += data
            if not pressed and b"100.0 kB/3.0 MB" in out:  # the bars show the first chunk sent
                os.write(leader, b"\x03")  # Ctrl-C, typed
                pressed = True
        assert proc.wait(10) == 130, out[-2000:]
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    assert pressed, out[-2000:]
    screen = Screen().play(out).text()
    said = [n for n, line in enumerate(screen) if CANCELLING in line]
    assert len(said) == 1, "\n".join(screen)  # once, and not erased by a redraw
    assert screen[said[0]].endswith(CANCELLING) and BAR not in screen[said[0]], "\n".join(screen)
    assert not any(BAR in line for line in screen), "\n".join(screen)  # the bars were cleared, not left half drawn
    came_of_it = next(n for n, line in enumerate(screen) if line.startswith("cancelled  minutes.pdf at"))
    summary = next(n for n, line in enumerate(screen) if line.startswith("mediatui: cancelled: 1 resumable"))
    assert said[0] < came_of_it < summary, "\n".join(screen)  # said first, then what came of it

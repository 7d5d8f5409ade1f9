"""What a moderator over SSH feels: mediatui in a real pseudo-terminal, beside bare Textual apps.

Runs it in a pty of 120x40 against a sandbox in its own process and prints,
each beside the bare app of the same run:
  - time to first rows (process start until the first row's title is on the terminal),
    and the first frame (until the header is); then time to first rows beside the fair
    floor (bench/_floor_app.py), and mediatui's again with MEDIATUI_PLAIN=1 (no tricks);
  - bytes written to the terminal per cursor move (j, the cursor then resting past the
    detail panel's debounce), median and max;
  - holding down over 50 rows, pictures among them: each key's wait until the app next wrote.
The bare app is Header + DataTable + Footer holding the same rows, read from a file: it does
no network, so it is no fair floor for the first rows. The fair floor is the same app asking
the sandbox for page one with httpx in a plain thread started on mount: the least a Textual app
must do that, like mediatui, fetches its rows, with no start-up tricks. It and mediatui
with MEDIATUI_PLAIN=1 (src/mediatui/runtime/: at start-up, that is the first page from a forked
child; gc and switch-interval tuning come after the first rows) are timed to the first rows only,
STARTS times a run for each of the three, interleaved in turns that rotate. mediatui runs as the
command a moderator types (`mediatui --url ...`). Its sources are byte-compiled first, as an
install does (Textual's are): without that, a clean clone under PYTHONDONTWRITEBYTECODE
compiles every module of ours on each start, and the bench would measure the compiler.
Then the upload screen (bench/_upload_terminal.py): bytes written to the terminal per second while
uploading four 4-5 MB files at 20 ms latency, and its throughput against `mediatui upload`.
Run: .venv/bin/python bench/terminal.py [--list | --upload]
"""

from __future__ import annotations

import compileall
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

from _sandbox import sandbox_process

COLS, ROWS = 120, 40
RUNS = 5
STARTS = 3  # per run, each of floor, mediatui and mediatui plain timed to its first rows (mediatui once in full)
MOVES = 30
RESTED_MOVES = 8  # then moves that rest 0.8 s each: the picture preview is drawn
HELD_KEYS, HELD_RATE = 50, 50  # then down held over 50 rows (pictures among them) at 50 keys a second
TOKEN = "sandbox-token"
FLOOR = Path(__file__).with_name("_floor_app.py")

BARE = r"""
import json, sys
from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Footer, Header
rows = json.load(open(sys.argv[1]))
class Bare(App):
    TITLE = "barebench"
    def compose(self):
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("id", "type", "title", "added", "size")
        for row in rows:
            table.add_row(*map(Text, row))  # literal, like mediatui's cells
        table.focus()
Bare().run()
"""


class Term:
    """A child process on a pty of COLS x ROWS; reads what it writes, with timestamps."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.pid, self.fd = pid, fd
        self.data = b""

    def read_until(self, needle: bytes, timeout: float = 20.0) -> float:
        """Seconds from start until `needle` was written."""
        deadline = time.monotonic() + timeout
        while needle not in self.data:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{needle!r} never appeared; the terminal got {self.data[-600:]!r}")
            self._read(0.05)
        return time.perf_counter() - self.started

    def quiet(self, gap: float = 0.25, timeout: float = 10.0) -> int:
        """Read until nothing comes for `gap` seconds; the bytes read."""
        got = 0
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            n = self._read(gap)
            if n == 0:
                break
            got += n
        return got

    def _read(self, wait: float) -> int:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return 0
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:
            return 0
        self.data += chunk
        return len(chunk)

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def hold_down(self, keys: int, every: float) -> list[float]:
        """Send `keys` downs, one each `every` seconds (a held key); each one's wait until the app next wrote.

        A key counts as answered by the first bytes written after it: its frame, or one that
        holds it with keys before it.
        """
        waiting: list[float] = []
        waits: list[float] = []
        for _ in range(keys):
            sent = time.perf_counter()
            self.send("\x1b[B")
            waiting.append(sent)
            while time.perf_counter() < sent + every:
                if self._read(max(0.0, sent + every - time.perf_counter())):
                    now = time.perf_counter()
                    waits += [now - t for t in waiting]
                    waiting = []
        while waiting and self._read(2.0):
            now = time.perf_counter()
            waits += [now - t for t in waiting]
            waiting = []
        self.quiet(0.5)
        return waits

    def close(self) -> None:
        try:
            self.send("q")
            self.quiet(0.2, 3)
        finally:
            try:
                os.kill(self.pid, 9)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            os.close(self.fd)


def measure(argv: list[str], env: dict[str, str], header: bytes, first_row: bytes, full: bool = True) -> dict:
    """The first frame and first rows; with `full`, then moves, rested moves and a held key."""
    term = Term(argv, env)
    try:
        frame = term.read_until(header)
        rows = term.read_until(first_row)
        if not full:
            return {"frame": frame, "rows": rows}
        term.quiet(0.5)
        moves = []
        for _ in range(MOVES):
            term.send("\x1b[B")  # down: both tables move on it
            moves.append(term.quiet(0.2))  # past the detail panel's 50 ms debounce
        rested = []
        for _ in range(RESTED_MOVES):  # resting long enough for the picture (0.35 s) to be drawn
            term.send("\x1b[B")
            rested.append(term.quiet(0.8))
        held = term.hold_down(HELD_KEYS, 1 / HELD_RATE)
        return {"frame": frame, "rows": rows, "moves": moves, "rested": rested, "held": held}
    finally:
        term.close()


def preview_bytes(url: str, media: list, cols: int, rows: int) -> tuple[float, float, int]:
    """Bytes the panel fetches per picture preview: the file itself (before: every preview fetched it) and what
    panel_source picks now (the thumbnail where it has the pixels); medians over the listed media with a picture,
    and how many there were."""
    import httpx

    from mediatui.pictures.preview import media_source, panel_source

    before, after = [], []
    with httpx.Client() as http:
        for item in media:
            full, chosen = media_source(item), panel_source(item, cols, rows)
            if full is None or full[0] != "image" or chosen is None:
                continue
            sizes = {u: len(http.get(u).content) for u in {full[1], chosen[1]}}
            before.append(sizes[full[1]])
            after.append(sizes[chosen[1]])
    return statistics.median(before), statistics.median(after), len(before)


def main() -> None:
    compileall.compile_dir(str(Path(__file__).parents[1] / "src"), quiet=1)
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLS), "LINES": str(ROWS)}
    env.pop("MEDIATUI_PLAIN", None)  # mediatui with its tricks; the plain runs set it
    with tempfile.TemporaryDirectory() as data, sandbox_process("--seed", "1000") as url:
        env["MEDIATUI_DATA_DIR"] = data
        env["MEDIATUI_CONFIG"] = str(Path(data) / "none.toml")  # no profile of the machine's user
        env["MEDIATUI_TOKEN"] = TOKEN
        sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
        from mediatui.api import MediaClient
        from mediatui.tui.formatting import one_line

        with MediaClient(url, TOKEN) as client:  # rows enough for every move of both apps
            listed = [m for offset in (0, 50, 100) for m in client.list(limit=50, offset=offset).results]
        rows = [[str(m.id), str(m.type), one_line(m.display_title)[:40], "", ""] for m in listed]
        # the panel's picture slot at 120x40: 38 columns by 10 rows of half blocks
        full_bytes, panel_bytes, pictures = preview_bytes(url, listed, 38, 10)
        first = one_line(listed[0].display_title)[:12].encode()
        rows_file = Path(data) / "rows.json"
        rows_file.write_text(json.dumps(rows))
        installed = Path(sys.executable).with_name("mediatui")  # the console script pip made
        command = [str(installed)] if installed.exists() else [sys.executable, "-m", "mediatui"]
        # the command a moderator types (its argument parsing and the first page's prefetch included)
        apps = {
            "bare": ([sys.executable, "-c", BARE, str(rows_file)], env, b"barebench"),
            "floor": ([sys.executable, str(FLOOR), url], env, b"floorbench"),
            "mediatui": ([*command, "--url", url], env, b"mediatui"),
            "plain": ([*command, "--url", url], {**env, "MEDIATUI_PLAIN": "1"}, b"mediatui"),
        }
        runs: dict[str, list[dict]] = {name: [] for name in apps}
        turn = 0
        for _ in range(RUNS):  # interleaved, in turns that rotate: machine noise hits all alike
            for start in range(STARTS):  # the first turn: bare and mediatui in full
                names = ["bare", "floor", "mediatui", "plain"] if start == 0 else ["floor", "mediatui", "plain"]
                turn += 1
                for name in names[turn % len(names) :] + names[: turn % len(names)]:
                    argv, app_env, header = apps[name]
                    full = start == 0 and name in ("bare", "mediatui")
                    runs[name].append(measure(argv, app_env, header, first, full))
    bare, app = runs["bare"], [r for r in runs["mediatui"] if "moves" in r]

    def med(runs: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    def per_move(runs: list[dict], key: str = "moves") -> tuple[float, int]:
        moves = [m for r in runs for m in r[key]]
        return statistics.median(moves), max(moves)

    b_rows, a_rows = med(bare, "rows"), med(runs["mediatui"], "rows")
    b_frame, a_frame = med(bare, "frame"), med(runs["mediatui"], "frame")
    f_rows, p_rows = med(runs["floor"], "rows"), med(runs["plain"], "rows")
    (b_med, b_max), (a_med, a_max) = per_move(bare), per_move(app)
    print(
        f"pty {COLS}x{ROWS}, sandbox with 1,000 media, median of {RUNS} interleaved runs "
        f"({RUNS * STARTS} starts each for mediatui, the fair floor and plain)"
    )
    print(
        f"time to first rows: mediatui {a_rows * 1000:.0f} ms, bare Textual {b_rows * 1000:.0f} ms: "
        f"{a_rows / b_rows:.2f}x  (goal <= 1.5x)"
    )
    print(
        f"first frame:        mediatui {a_frame * 1000:.0f} ms, bare Textual {b_frame * 1000:.0f} ms: "
        f"{a_frame / b_frame:.2f}x  (goal <= 1.3x)"
    )
    print(
        f"time to first rows: mediatui {a_rows * 1000:.0f} ms, fair floor {f_rows * 1000:.0f} ms: "
        f"{a_rows / f_rows:.2f}x  (goal <= 1.05x)"
    )
    print(
        f"  with MEDIATUI_PLAIN=1 (no tricks): {p_rows * 1000:.0f} ms: {p_rows / f_rows:.2f}x of the floor; "
        f"the tricks gain {(p_rows - a_rows) * 1000:.0f} ms (before the first rows: the first page's child)"
    )
    print(
        f"bytes per cursor move: mediatui median {a_med / 1024:.1f} KB (max {a_max / 1024:.1f} KB), "
        f"bare DataTable median {b_med / 1024:.1f} KB (max {b_max / 1024:.1f} KB): "
        f"{a_med / max(b_med, 1):.1f}x  (goal: median <= 4 KB)"
    )
    print(
        f"bytes fetched per preview ({pictures} pictures of the seed): the file itself {full_bytes / 1024:.1f} KB, "
        f"what the panel fetches now {panel_bytes / 1024:.1f} KB: {panel_bytes / full_bytes:.2f}x"
    )
    (r_med, r_max), (rb_med, _) = per_move(app, "rested"), per_move(bare, "rested")
    print(
        f"bytes per cursor move resting 0.8 s (the picture drawn where the media has one): mediatui median "
        f"{r_med / 1024:.1f} KB (max {r_max / 1024:.1f} KB), bare DataTable median {rb_med / 1024:.1f} KB"
    )
    a_held = sorted(w for r in app for w in r["held"])
    b_held = sorted(w for r in bare for w in r["held"])
    print(
        f"down held over {HELD_KEYS} rows at {HELD_RATE} keys/s, each key until the app next wrote: mediatui "
        f"median {statistics.median(a_held) * 1000:.0f} ms, max {a_held[-1] * 1000:.0f} ms; bare DataTable median "
        f"{statistics.median(b_held) * 1000:.0f} ms, max {b_held[-1] * 1000:.0f} ms  (goal: under 100 ms)"
    )


if __name__ == "__main__":
    # --upload: only the upload screen's figures (bench/_upload_terminal.py); --list: only the list's.
    if "--upload" not in sys.argv[1:]:
        main()
    if "--list" not in sys.argv[1:]:
        import _upload_terminal

        _upload_terminal.run(Term, {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLS), "LINES": str(ROWS)})

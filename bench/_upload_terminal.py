"""The upload screen in a real pty: what it writes to the terminal while uploading, and its throughput.

Four PDF documents of 4 to 5 MB against a sandbox at 20 ms latency, at
120x40: bytes written to the terminal per second while uploading (goal
<= 30 KB/s, so that a slow SSH link is not flooded), and the time the screen
takes for them against `mediatui upload` with the same files, jobs and
server, interleaved in the same run (goal >= 0.95x its throughput).
Timed alike on both sides: from when the files are handed over (enter in
the path box; the CLI's first "queued" line) until the last one completed.
The screen's time also holds its pre-flight and planning (~10 ms), which the
CLI does before its first line: if anything, that counts against the screen.
Which goes first alternates from run to run (the sandbox or the machine may
still be busy with the run before), and the median is of 9 runs each: other
people's work on the 2 shared cores moves a single run by 10% or more.
Used by bench/terminal.py (`--upload`).
"""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _sandbox import sandbox_process

SIZES = (4_000_000, 4_400_000, 4_700_000, 5_000_000)
LATENCY_MS = "20"
JOBS = "3"

APP = r"""
import sys
from mediatui.settings.config import Secret, Settings
from mediatui.tui.app import MediaTuiApp
MediaTuiApp(Settings(sys.argv[1], Secret(sys.argv[2]))).run()
"""


def make_files(folder: Path, run: int) -> list[Path]:
    """Different bytes each run: the journal would skip a file uploaded before."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, size in enumerate(SIZES):
        path = folder / f"doc-{run}-{n}.pdf"
        block = hashlib.sha256(f"{run}-{n}".encode()).digest() * 2048
        with open(path, "wb") as f:
            f.write(b"%PDF-1.4\n")
            left = size - 9
            while left > 0:
                f.write(block[:left])
                left -= len(block[:left])
        paths.append(path)
    return paths


def completed_at(env: dict[str, str], url: str, folder: Path) -> float:
    """When the journal recorded the last of these files completed (wall clock, as both sides write it)."""
    from mediatui.upload import journal as J

    with J.Journal.for_server(url, Path(env["MEDIATUI_STATE_DIR"])) as journal:
        done = [e.updated for e in journal.entries((J.COMPLETED,)) if Path(e.path).parent == folder.resolve()]
    if len(done) != len(SIZES):
        raise RuntimeError(f"{len(done)} of {len(SIZES)} files completed in {folder}")
    return max(done)


def through_screen(term_cls, url: str, token: str, env: dict[str, str], folder: Path) -> tuple[float, float, int]:
    """Seconds from enter in the path box until '4 of 4 files' is on the terminal, until the journal's last
    completion, and the bytes written to the terminal meanwhile."""
    term = term_cls([sys.executable, "-c", APP, url, token], env)
    try:
        term.read_until(b"mediatui")
        term.quiet(0.5)
        term.send("u")
        term.read_until(b"enter adds")
        term.quiet(0.3)
        term.send(f"{folder}/*.pdf")
        term.quiet(0.3)
        before = len(term.data)
        started, wall = time.perf_counter(), time.time()
        term.send("\r")
        term.read_until(b"4 of 4 files", timeout=120)
        took = time.perf_counter() - started
        return took, completed_at(env, url, folder) - wall, len(term.data) - before
    finally:
        term.data = b""
        term.send("\x1b")  # back to the list: q quits at once (nothing runs)
        term.quiet(0.2)
        term.close()


def through_cli(url: str, token: str, env: dict[str, str], folder: Path) -> tuple[float, float]:
    """Seconds from its first "queued" line until its last "completed" line, and until the journal's last
    completion."""
    cmd = [sys.executable, "-m", "mediatui", "upload", "--jobs", JOBS, *map(str, sorted(folder.glob("*.pdf")))]
    proc = subprocess.Popen(
        cmd,
        env={**env, "MEDIATUI_URL": url, "MEDIATUI_TOKEN": token},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = last = None
    wall = 0.0
    for line in proc.stdout:
        if first is None and line.startswith("queued"):
            first, wall = time.perf_counter(), time.time()
        if line.startswith("completed"):
            last = time.perf_counter()
    proc.wait(60)
    if proc.returncode != 0 or first is None or last is None:
        raise RuntimeError(f"mediatui upload failed: {proc.stderr.read() if proc.stderr else ''}")
    return last - first, completed_at(env, url, folder) - wall


def run(term_cls, env: dict[str, str], runs: int = 9) -> None:
    total = sum(SIZES)
    screen, cli, rates, screen_j, cli_j = [], [], [], [], []
    with tempfile.TemporaryDirectory() as work, sandbox_process("--latency-ms", LATENCY_MS) as url:
        env = {
            **env,
            "MEDIATUI_STATE_DIR": os.path.join(work, "state"),
            "MEDIATUI_DATA_DIR": os.path.join(work, "data"),
        }
        token = "sandbox-token"
        for n in range(runs):  # interleaved: machine noise hits both alike
            make_files(Path(work) / f"s{n}", n)
            make_files(Path(work) / f"c{n}", 1000 + n)
            for side in ("screen", "cli") if n % 2 == 0 else ("cli", "screen"):
                if side == "screen":
                    took, by_journal, written = through_screen(term_cls, url, token, env, Path(work) / f"s{n}")
                    screen.append(took)
                    screen_j.append(by_journal)
                    rates.append(written / took)
                else:
                    took, by_journal = through_cli(url, token, env, Path(work) / f"c{n}")
                    cli.append(took)
                    cli_j.append(by_journal)
    s, c = statistics.median(screen), statistics.median(cli)
    print(
        f"upload, pty 120x40, 4 PDFs of 4-5 MB ({total / 1e6:.1f} MB), sandbox at {LATENCY_MS} ms latency, "
        f"jobs {JOBS}, median of {runs} interleaved runs (which goes first alternates)"
    )
    print(
        "each run, mediatui upload's time / the screen's: "
        + " ".join(f"{b / a:.2f}" for a, b in zip(screen, cli, strict=True))
    )
    print(
        f"terminal output while uploading: {statistics.median(rates) / 1024:.1f} KB/s "
        f"(max {max(rates) / 1024:.1f} KB/s)  (goal <= 30 KB/s)"
    )
    print(
        f"throughput as seen: screen {total / s / 1e6:.2f} MB/s ({s:.2f} s, until '4 of 4' is on the terminal), "
        f"mediatui upload {total / c / 1e6:.2f} MB/s ({c:.2f} s, until its last line): {c / s:.2f}x  (goal >= 0.95x)"
    )
    sj, cj = statistics.median(screen_j), statistics.median(cli_j)
    print(
        f"throughput by the journal's last completion: screen {total / sj / 1e6:.2f} MB/s ({sj:.2f} s), "
        f"mediatui upload {total / cj / 1e6:.2f} MB/s ({cj:.2f} s): {cj / sj:.2f}x"
    )

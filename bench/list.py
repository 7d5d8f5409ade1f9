"""List-screen benchmark: first rows, key latency while pages load, memory, first paint vs bare Textual.

Run: `make bench` (or .venv/bin/python bench/list.py). Each measurement runs in a
fresh process against a sandbox in another process; ratios compare figures of the same run.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _sandbox import sandbox_process

PROBE = Path(__file__).with_name("_list_probe.py")
RUNS = 7


def probe(*args: str) -> dict:
    out = subprocess.run([sys.executable, str(PROBE), *args], capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    started = time.perf_counter()
    with sandbox_process("--seed", "100000") as big:
        seeded = time.perf_counter() - started
        bare, app = [], []
        for _ in range(RUNS):  # interleaved, so machine noise hits both alike
            bare.append(probe("paint-bare")["paint_s"])
            app.append(probe("paint-app", big)["paint_s"])
        b, a = statistics.median(bare), statistics.median(app)
        print(
            f"first paint (median of {RUNS}): bare Textual {b * 1000:.0f} ms, mediatui {a * 1000:.0f} ms: "
            f"{a / b:.2f}x  (goal <= 1.3)"
        )
        runs_big = [probe("scroll", big) for _ in range(3)]
    print(f"sandbox with 100,000 media seeded in {seeded:.1f} s")
    with sandbox_process("--seed", "1000") as small:
        runs_small = [probe("scroll", small) for _ in range(3)]
    first = statistics.median(r["first_rows_s"] for r in runs_big)
    worst = max(r["max_key_wait_ms"] for r in runs_big)
    median_wait = statistics.median(r["median_key_wait_ms"] for r in runs_big)
    lag = max(r["max_loop_lag_ms"] for r in runs_big)
    print(f"first rows visible (100,000 media): {first * 1000:.0f} ms")
    print(
        f"j held at 50 keys/s through 5 pages: longest key wait {worst:.1f} ms, median {median_wait:.1f} ms, "
        f"longest event-loop stall {lag:.1f} ms  (goal < 100 ms)"
    )
    rss_big = statistics.median(r["rss_mb"] for r in runs_big)
    rss_small = statistics.median(r["rss_mb"] for r in runs_small)
    print(
        f"RSS after scrolling 5 pages: {rss_big:.1f} MB with 100,000 media, {rss_small:.1f} MB with 1,000: "
        f"{rss_big / rss_small:.2f}x  (goal <= 1.2)"
    )


if __name__ == "__main__":
    main()

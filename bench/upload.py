"""Upload benchmark: the engine against a plain httpx loop, 1 vs 4 jobs, and memory on a 50 MB PDF.

Run: `make bench` (or .venv/bin/python bench/upload.py). Every figure is
measured in this run against a baseline from the same run; ratios are printed.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
import time
from pathlib import Path

import httpx

from _sandbox import sandbox_process
from mediatui.api import MediaClient
from mediatui.upload import Completed, UploadEngine, check_files

CHUNK = 204800
TOKEN = "sandbox-token"
REPEATS = 5


def make_files(folder: Path, count: int, size: int) -> list[Path]:
    paths = []
    for n in range(count):
        path = folder / f"bench-{n}-{size}.pdf"
        with open(path, "wb") as f:
            f.write(b"%PDF-1.4\n")
            f.write(hashlib.sha256(str(n).encode()).digest() * ((size - 9) // 32))
            f.write(b"\0" * ((size - 9) % 32))
        paths.append(path)
    return paths


def baseline(url: str, paths: list[Path]) -> float:
    """The least a client can do: each chunk in series, then complete. Returns seconds."""
    start = time.perf_counter()
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30) as http:
        for path in paths:
            data, upload_id, digest = path.read_bytes(), None, hashlib.md5()
            for at in range(0, len(data), CHUNK):
                chunk = data[at : at + CHUNK]
                digest.update(chunk)
                form = {"upload_id": upload_id} if upload_id else {}
                r = http.post(
                    "/api/v2/media/upload/chunk/",
                    data=form,
                    files={"document": (path.name, chunk)},
                    headers={"Content-Range": f"bytes {at}-{at + len(chunk) - 1}/{len(data)}"},
                )
                r.raise_for_status()
                upload_id = r.json()["upload_id"]
            http.post(
                "/api/v2/media/upload/complete/", data={"upload_id": upload_id, "md5": digest.hexdigest()}
            ).raise_for_status()
    return time.perf_counter() - start


def engine(url: str, paths: list[Path], jobs: int, state: Path) -> float:
    from mediatui.upload import Journal

    with MediaClient(url, TOKEN) as client, Journal.for_server(url, state) as journal:
        start = time.perf_counter()
        results = UploadEngine(client, journal=journal, jobs=jobs).run(check_files(paths))
        elapsed = time.perf_counter() - start
    assert all(isinstance(r, Completed) for r in results), results
    return elapsed


def best_interleaved(*runs) -> list[float]:
    """Best time of each run, alternating them so that machine noise hits all alike."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(REPEATS):
        for n, (fn, *args) in enumerate(runs):
            times[n].append(fn(*args))
    return [min(t) for t in times]


def rss_kb() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def rss_growth(url: str, path: Path, state: Path) -> float:
    """Peak RSS growth in MB while the engine uploads one big file."""
    before, peak, done = rss_kb(), [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_kb())
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    engine(url, [path], 1, state)
    done.set()
    sampler.join()
    return (peak[0] - before) / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = make_files(folder, 4, 5 * 1024 * 1024)
        total_mb = sum(p.stat().st_size for p in files) / 1e6
        state = folder / "state"
        print(f"{len(files)} files, {total_mb:.1f} MB, chunks of {CHUNK} B, best of {REPEATS}")

        with sandbox_process() as url:
            engine(url, files[:1], 1, state)  # warm up both sides
            base, one, four = best_interleaved(
                (baseline, url, files), (engine, url, files, 1, state), (engine, url, files, 4, state)
            )
            print(
                f"no latency   baseline {total_mb / base:7.1f} MB/s   engine 1 job {total_mb / one:7.1f} MB/s"
                f"   engine 4 jobs {total_mb / four:7.1f} MB/s"
            )
            print(f"  engine/baseline (1 job, series like the baseline): {base / one:.2f}  (goal >= 0.95)")

        with sandbox_process("--latency-ms", "20") as url:
            one, four = best_interleaved((engine, url, files, 1, state), (engine, url, files, 4, state))
            print(f"20 ms latency   engine 1 job {total_mb / one:7.1f} MB/s   4 jobs {total_mb / four:7.1f} MB/s")
            print(f"  4 jobs/1 job: {one / four:.2f}  (goal >= 2.5)")

        big = make_files(folder, 1, 50 * 1024 * 1024 - 1000)[0]
        with sandbox_process() as url:
            print(f"peak RSS growth uploading a 50 MB PDF: {rss_growth(url, big, state):.1f} MB  (goal < 20 MB)")


if __name__ == "__main__":
    main()

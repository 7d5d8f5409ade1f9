"""Small makers of real files for upload tests."""

from __future__ import annotations

import hashlib
import io
import os
import random
import subprocess
import sys
import threading
import time

from PIL import Image


def png_bytes(size: int, seed: int = 0) -> bytes:
    """A valid PNG of about `size` bytes (noise does not compress)."""
    side = max(8, int((size / 3) ** 0.5))
    rng = random.Random(seed)
    img = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=0)
    return buf.getvalue()


def pdf_bytes(size: int) -> bytes:
    """A PDF-looking file of exactly `size` bytes (the sandbox checks the magic)."""
    head = b"%PDF-1.4\n"
    return head + bytes(size - len(head))


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def cli_env(server, tmp_path) -> dict[str, str]:
    """The environment of a `mediatui` subprocess against `server`, with its journal under tmp_path."""
    return dict(
        os.environ, MEDIATUI_URL=server.url, MEDIATUI_TOKEN=server.token, MEDIATUI_STATE_DIR=str(tmp_path / "state")
    )


def upload_under_way(env: dict[str, str], path) -> tuple[subprocess.Popen, str]:
    """`mediatui upload PATH` (100 KB chunks) in a subprocess, once it printed a progress line (and that line)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "mediatui", "upload", str(path), "--chunk-size", "100000"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 20
    line = ""
    while "progress" not in line and time.monotonic() < deadline:
        line = proc.stdout.readline()
    return proc, line


def wait_until(condition, timeout: float = 20.0, what: str = "", every: float = 0.01) -> None:
    """Until `condition()` holds (polled), for tests outside a pilot: a wait on the condition, never a guessed sleep."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(every)


def collect(stream) -> tuple[list[str], threading.Thread]:
    """The lines of a subprocess's pipe, appended by a thread as they come, so that a test can wait on one."""
    lines: list[str] = []

    def read() -> None:
        for line in stream:
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return lines, reader

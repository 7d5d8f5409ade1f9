"""The upload screen's scenes for `make screenshots` and the snapshot tests, deterministic.

Files are made from a fixed seed in a temporary folder (rows show names, not
the folder). Speed and ETA come from an injected clock that steps per engine
thread, and the mid-upload scene pauses each file's engine at a known chunk
(the scene app's `after_upload_event`, released when the app quits), so every frame is the
same. The sandbox's upload ids are counted rather than random for the
*completion unknown* row, which names its upload id.
"""

from __future__ import annotations

import asyncio
import io
import random
import tempfile
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from mediatui.upload import RetryPolicy
from mediatui.upload.board import ACTIVE, QUEUED, UPLOADING
from mediatui.upload.events import Event, Progress

CHUNK = 65536
FAST = RetryPolicy(base=0.01, cap=0.02, max_attempts=2)


def png(size: int, seed: int) -> bytes:
    """A real PNG of about `size` bytes (noise does not compress)."""
    from PIL import Image

    side = max(8, int((size / 3) ** 0.5))
    img = Image.frombytes("RGB", (side, side), random.Random(seed).randbytes(side * side * 3))
    out = io.BytesIO()
    img.save(out, "PNG", compress_level=0)
    return out.getvalue()


def step_clock(step: float = 0.5) -> Callable[[], float]:
    """A clock that moves `step` seconds per reading, separately on each thread (files run on their own)."""
    local = threading.local()

    def clock() -> float:
        local.now = getattr(local, "now", 1000.0) + step
        return local.now

    return clock


def options() -> dict[str, Any]:
    return {"chunk_size": CHUNK, "clock": step_clock(), "retry": FAST, "jobs": 2}


def _folder(files: dict[str, bytes]) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="mediatui-scene-"))
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


async def _until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 30.0) -> None:
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise TimeoutError("the upload scene did not reach its state")


async def _drawn(pilot: Pilot) -> None:
    """Until the app's timer has drawn the board as it is now, then one more refresh."""
    uploads = pilot.app.uploads  # type: ignore[attr-defined]
    await _until(pilot, lambda: uploads._drawn == uploads.board.version)
    await pilot.pause()
    await asyncio.sleep(0.05)
    await pilot.pause()


async def _add(pilot: Pilot, path: Path | str) -> None:
    from mediatui.tui.screens.upload_screen import UploadScreen

    app = pilot.app
    if not isinstance(app.screen, UploadScreen):
        await _until(pilot, lambda: bool(app.screen.query("#table")))
        await pilot.press("u")
        await _until(pilot, lambda: isinstance(app.screen, UploadScreen) and app.focused is not None)
    app.screen.query_one("#path").value = str(path)  # type: ignore[attr-defined]
    await pilot.press("enter")


def _states(pilot: Pilot) -> list[str]:
    return [r.state for r in pilot.app.uploads.board.rows.values()]  # type: ignore[attr-defined]


async def preflight(pilot: Pilot) -> None:
    """A folder with a fake PDF and a too-large image: both say why, the good one goes on."""
    folder = _folder(
        {"minutes.pdf": b"not a PDF at all", "harbour.png": png(180_000, 1), "panorama.png": png(6_500_000, 2)}
    )
    await _add(pilot, folder)
    await _until(pilot, lambda: len(_states(pilot)) == 3 and not set(_states(pilot)) & set(ACTIVE))
    await _drawn(pilot)


def pause_at(stops: dict[str, int], release: threading.Event) -> Callable[[Event], None]:
    """Each named file's engine waits after the progress that reached its byte count, until `release`."""

    def hook(event: Event) -> None:
        if isinstance(event, Progress) and event.bytes_done >= stops.get(event.item.name, 1 << 62):
            release.wait()

    return hook


def _named(board: Any, name: str) -> Callable[[], bool]:
    return lambda: any(r.name == name for r in board.rows.values())


async def mid_upload(pilot: Pilot) -> None:
    """Two files paused at known chunks (3 and 7 of 16), a third waiting its turn (jobs 2)."""
    uploads = pilot.app.uploads  # type: ignore[attr-defined]
    pilot.app.after_upload_event = pause_at(  # type: ignore[attr-defined]
        {"harbour.png": 3 * CHUNK, "minutes.pdf": 7 * CHUNK}, uploads.stopping
    )
    pdf = b"%PDF-1.4\n" + bytes(16 * CHUNK - 9)
    folder = _folder({"harbour.png": png(16 * CHUNK - 5000, 3), "minutes.pdf": pdf, "sunset.png": png(300_000, 4)})
    for name in ("harbour.png", "minutes.pdf", "sunset.png"):  # one by one: a fixed order of rows
        await _add(pilot, folder / name)
        await _until(pilot, _named(uploads.board, name))
    await _until(
        pilot,
        lambda: (
            sorted(r.done for r in uploads.board.rows.values()) == [0, 3 * CHUNK, 7 * CHUNK]
            and _states(pilot).count(UPLOADING) == 2
            and _states(pilot).count(QUEUED) == 1
        ),
    )
    await _drawn(pilot)


async def two_rows(pilot: Pilot) -> None:
    """At 80x24: one file paused at chunk 5 of 12, one completed, the rows' cursor on the first."""
    uploads = pilot.app.uploads  # type: ignore[attr-defined]
    pilot.app.after_upload_event = pause_at({"harbour-at-dawn.png": 5 * CHUNK}, uploads.stopping)  # type: ignore[attr-defined]
    folder = _folder({"harbour-at-dawn.png": png(12 * CHUNK - 3000, 8), "minutes.pdf": b"%PDF-1.4\n" + bytes(90_000)})
    await _add(pilot, folder / "minutes.pdf")
    await _until(pilot, lambda: _states(pilot) == ["completed"])
    await _add(pilot, folder / "harbour-at-dawn.png")
    await _until(
        pilot,
        lambda: (
            _states(pilot) == ["completed", UPLOADING] and max(r.done for r in uploads.board.rows.values()) == 5 * CHUNK
        ),
    )
    await pilot.press("tab", "tab")
    await _drawn(pilot)


@contextmanager
def counted_upload_ids() -> Iterator[None]:
    """The sandbox's upload ids as 0000…0001, 0000…0002: the *completion unknown* row names one."""
    from mediatui.sandbox import upload_routes

    count = iter(range(1, 1 << 30))
    real = upload_routes.uuid
    upload_routes.uuid = type("CountedUuid", (), {"uuid4": staticmethod(lambda: uuid.UUID(int=next(count)))})  # type: ignore[assignment]
    try:
        yield
    finally:
        upload_routes.uuid = real


async def finished(pilot: Pilot) -> None:
    """One completion lost (unknown), one refused by the server (failed), one completed."""
    server = pilot.app.scene_server  # type: ignore[attr-defined]
    folder = _folder({"lost.png": png(100_000, 5), "too-big.png": png(400_000, 6), "fine.png": png(120_000, 7)})
    with counted_upload_ids():
        faults = server.config.faults  # changed in place: the server holds this object
        faults.lose_rate, faults.only_path = 1.0, "/upload/complete/"
        await _add(pilot, folder / "lost.png")
        await _until(pilot, lambda: _states(pilot) == ["unknown"], 10)

        faults.lose_rate = 0.0
        await _add(pilot, folder / "too-big.png")
        await _until(pilot, lambda: _states(pilot) == ["unknown", "failed"])
        await _add(pilot, folder / "fine.png")
        await _until(pilot, lambda: _states(pilot) == ["unknown", "failed", "completed"])
    await pilot.press("tab", "tab")
    await _drawn(pilot)


SceneRun = Callable[[Pilot], Awaitable[None]]

"""`make screenshots`: the app's screens as SVG, against a freshly seeded sandbox.

Deterministic: fixed terminal sizes, fixed seed, the clock pinned near the
seed's epoch, and the sandbox on a fixed loopback port.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot

from mediatui.config import Secret, Settings
from mediatui.sandbox import SandboxConfig, SandboxServer
from mediatui.sandbox.seed import SEED_EPOCH
from mediatui.tui.app import MediaTuiApp

STABLE_PORT = 48765  # the URL shows in the header: a fixed port keeps the SVGs stable
Scene = Callable[[Pilot], Awaitable[None]]


async def _settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


SCENES: dict[str, tuple[tuple[int, int], Scene]] = {
    "home": ((80, 24), _settle),
}


async def _shoot(server: SandboxServer, name: str, size: tuple[int, int], scene: Scene, folder: Path) -> Path:
    clock = lambda: SEED_EPOCH + timedelta(hours=2)  # noqa: E731
    app = MediaTuiApp(Settings(server.url, Secret(server.token)), clock=clock)
    async with app.run_test(size=size) as pilot:
        await scene(pilot)
        svg = app.export_screenshot(title=f"mediatui — {name}")
    path = folder / f"{name}.svg"
    path.write_text(svg, encoding="utf-8")
    return path


def stable_sandbox(data_dir: Path, **config: object) -> SandboxServer:
    """A seeded sandbox on the fixed port (any free port if taken, at the cost of a URL diff)."""
    config.setdefault("seed", 60)
    try:
        return SandboxServer(SandboxConfig(data_dir, **config), port=STABLE_PORT)  # type: ignore[arg-type]
    except OSError:
        print(f"port {STABLE_PORT} is taken: the URL in the screenshots will differ", file=sys.stderr)
        return SandboxServer(SandboxConfig(data_dir, **config))  # type: ignore[arg-type]


async def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data, stable_sandbox(Path(data)) as server:
        for name, (size, scene) in SCENES.items():
            print(await _shoot(server, name, size, scene, folder))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))

"""The app's scenes, for `make screenshots` (SVGs for the README) and the snapshot tests.

Deterministic: fixed terminal sizes, fixed seed data, the clock pinned two
hours after the seed's newest media; the sandbox binds any free port and the
header shows it by a fixed display name, so no scene depends on a port.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from mediatui.pictures.fetch import Fetcher
from mediatui.sandbox import SandboxConfig, SandboxServer
from mediatui.settings.config import Secret, Settings
from mediatui.tui.app import MediaTuiApp
from mediatui.tui.uploads import UploadEvent
from scenes import uploads as upload_scenes
from tui_helpers import NOW, settle

DISPLAY_NAME = "sandbox"  # shown in the header instead of the URL, whose port varies


async def armed(pilot: Pilot) -> None:
    """Until a confirmation on screen accepts its answer (its guard time has passed)."""
    for _ in range(400):
        if getattr(pilot.app.screen, "armed", True):
            return
        await asyncio.sleep(0.01)


class Typed(str):
    """Text typed into the focused field: its characters go in one press and one settle (a settle per
    character made the form scenes the slowest tests of the suite, and changes nothing drawn)."""


def keys(*presses: str) -> Callable[[Pilot], Awaitable[None]]:
    async def run(pilot: Pilot) -> None:
        await settle(pilot)
        for key in presses:
            await armed(pilot)
            await pilot.press(*key) if isinstance(key, Typed) else await pilot.press(key)
            await settle(pilot, 2)

    return run


def hold_cursors_still(pilot: Pilot) -> None:
    """Every text cursor hidden and still: a blinking one is drawn or not by the clock, not by the scene."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]


async def shown(scene: Scene, pilot: Pilot) -> None:
    """The scene's keys, then its cursors held still."""
    await scene.run(pilot)
    hold_cursors_still(pilot)
    await pilot.pause()


async def conflict(pilot: Pilot) -> None:
    """The title typed here, and changed meanwhile by another moderator (with the keywords): ctrl+s shows both."""
    from mediatui.api import MediaClient
    from mediatui.tui.screens.conflict_modal import ConflictModal

    await keys("e", "end", Typed(" (v4)"))(pilot)
    server = pilot.app.scene_server  # type: ignore[attr-defined]
    media_id = pilot.app.screen.media.id  # type: ignore[attr-defined]
    with MediaClient(server.url, server.token) as other:
        other.patch(media_id, {"title": "Community guidelines, v3 reviewed", "keywords": "rules, moderation"})
    await keys("ctrl+s")(pilot)
    for _ in range(1000):
        if isinstance(pilot.app.screen, ConflictModal) and pilot.app.screen.armed:
            break
        await asyncio.sleep(0.01)
    await settle(pilot)


async def put_switch(pilot: Pilot) -> None:
    """The edit form scrolled to its "Save with PUT" switch, which says on or off beside it (NO_COLOR)."""
    await keys("e")(pilot)
    pilot.app.screen.query_one("#row-put").scroll_visible(animate=False)
    await settle(pilot)


async def history(pilot: Pilot) -> None:
    """An edit saved with the form and a delete from the list, then `H`: the history newest first."""
    from mediatui.tui.screens.history_screen import HistoryScreen

    await keys("e", "end", Typed(" (v4)"), "ctrl+s", "y")(pilot)
    await _until(pilot, lambda: type(pilot.app.screen).__name__ == "BrowseScreen")
    await keys("j", "d", "y")(pilot)
    await _until(pilot, lambda: getattr(pilot.app.screen, "state", "") == "done")
    await keys("enter", "H")(pilot)
    pilot.app.clear_notifications()  # "Saved #1." would be there or gone by the clock (5 s): never in the picture
    await _until(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, HistoryScreen) and len(pilot.app.screen.query_one("#history-table").rows) == 2
        ),
    )
    await settle(pilot)


async def history_diff(pilot: Pilot) -> None:
    """The edit's record (the second row) opened: its change, field by field."""
    await history(pilot)
    await keys("j", "enter")(pilot)


async def diagnose(pilot: Pilot) -> None:
    """The palette's "Diagnose", chosen by name; the report is the scene's own (SceneApp.diagnosis)."""
    from textual.command import CommandList

    await settle(pilot)
    await pilot.press("ctrl+p", *"Diagnose")
    await _until(pilot, lambda: bool(pilot.app.screen.query(CommandList)) and _matches(pilot))
    await pilot.press("enter")
    await _until(pilot, lambda: getattr(pilot.app.screen, "report", None) is not None)
    await settle(pilot)


def _matches(pilot: Pilot) -> bool:
    from textual.command import CommandList

    return pilot.app.screen.query_one(CommandList).option_count > 0


def diagnosis() -> Any:
    """A report as `mediatui doctor` words it, fixed: the real one's round trip, free space, paths and Python
    version change from run to run. The terminal and pictures lines are the checks' own, on a fixed terminal
    inside a tmux whose set-clipboard is off (so that the picture shows a line to fix)."""
    from mediatui.community import doctor_local as local
    from mediatui.community.doctor import Report
    from mediatui.community.doctor_local import Check

    env = {"TERM": "tmux-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8", "TMUX": "/tmp/tmux-1000/default"}
    home = "/home/moderator"
    return Report(
        (
            local.terminal(env, (80, 24), "truecolor"),
            Check(
                "tmux",
                False,
                "set-clipboard is off (y, Y and ctrl+y copy nothing), "
                "allow-passthrough off (only Kitty pictures need it)",
                "tmux set -g set-clipboard on",
            ),
            local.pictures("auto", env, "truecolor", no_color=False),
            Check(
                "config", True, f"{home}/.config/mediatui/config.toml (mode 600), profiles: sandbox; default: sandbox"
            ),
            Check("community", True, "http://127.0.0.1:8000 answered in 4 ms, no TLS"),
            Check("token", True, "from MEDIATUI_TOKEN; the API accepts it (60 media)"),
            Check("state folder", True, f"{home}/.local/state/mediatui, writable, 80.5 GB free, no unfinished uploads"),
            Check("data folder", True, f"{home}/.local/share/mediatui, writable, 80.5 GB free, the trash is off"),
            Check("versions", True, "mediatui 0.1.0, Python 3.11.7, Textual 8.2.8"),
        )
    )


async def _until(pilot: Pilot, condition: Callable[[], bool]) -> None:
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise TimeoutError("the scene did not reach its state")


@dataclass(frozen=True)
class Scene:
    size: tuple[int, int]
    run: Callable[[Pilot], Awaitable[None]] = settle
    sandbox: dict[str, Any] = field(default_factory=dict)
    token: str | None = None
    uploads: bool = False  # the upload screen's options: a stepping clock, small chunks (upload_scenes.py)
    no_color: bool = False  # NO_COLOR set: Textual then draws in monochrome


SCENES: dict[str, Scene] = {
    "list": Scene((100, 30)),
    "list-80x24": Scene((80, 24)),
    "list-120x40": Scene((120, 40)),
    "list-nocolor-80x24": Scene((80, 24), keys("space", "j"), no_color=True),  # a marked row, then the cursor
    "hostile-120x40": Scene((120, 40), keys("slash", "[", "enter")),
    "empty-catalogue-80x24": Scene((80, 24), sandbox={"listing": False}),
    "error-80x24": Scene((80, 24), token="wrong-token"),
    "delete-80x24": Scene((80, 24), keys("d")),
    "preview": Scene((100, 30), keys("p")),
    "bulk-delete-120x40": Scene((120, 40), keys("space", "space", "space", "space", "D", "y")),
    "form": Scene((100, 30), keys("e", "end", Typed(" (v4)"))),
    "form-80x24": Scene((80, 24), keys("e")),
    "form-120x40": Scene((120, 40), keys("e")),
    "form-nocolor-80x24": Scene((80, 24), put_switch, no_color=True),
    "form-errors-80x24": Scene((80, 24), keys("e", "tab", "tab", Typed("nope"), "ctrl+s")),
    "form-confirm-80x24": Scene(
        (80, 24), keys("e", "end", Typed(" (v4)"), "tab", "tab", Typed("https://example.org/g"), "ctrl+s")
    ),
    "form-conflict-80x24": Scene((80, 24), conflict),
    "create-80x24": Scene((80, 24), keys("n", Typed("https://example.org/post"))),
    "history-80x24": Scene((80, 24), history),
    "history-diff-80x24": Scene((80, 24), history_diff),
    "diagnose-80x24": Scene((80, 24), diagnose),
    "upload": Scene((120, 40), upload_scenes.mid_upload, uploads=True),
    "upload-preflight-80x24": Scene((80, 24), upload_scenes.preflight, uploads=True),
    "upload-finished-80x24": Scene((80, 24), upload_scenes.finished, {"max_image": 250_000}, uploads=True),
    "upload-80x24": Scene((80, 24), upload_scenes.two_rows, uploads=True),
}


def stable_sandbox(data_dir: Path, **config: Any) -> SandboxServer:
    """A seeded sandbox on any free loopback port."""
    config.setdefault("seed", 60)
    config.setdefault("public_url", "http://sandbox.invalid")  # file URLs without the varying port
    return SandboxServer(SandboxConfig(data_dir, **config))


class SceneApp(MediaTuiApp):
    """The app as a scene runs it: `after_upload_event(event)` is called on the engine's thread after each of
    its events is posted, so a scene can hold an engine at a known chunk (tests/scenes/uploads.py)."""

    after_upload_event: Callable[[Any], None] | None = None

    def diagnosis(self) -> Callable[[], Any]:
        """The palette's "Diagnose" shows a fixed report (scenes.diagnosis): the real one varies by machine."""
        return diagnosis

    def post_message(self, message: Any) -> bool:
        posted = super().post_message(message)
        hook = self.after_upload_event
        if hook is not None and isinstance(message, UploadEvent):
            hook(message.event)
        return posted


def scene_app(scene: Scene, server: SandboxServer) -> MediaTuiApp:
    token = server.token if scene.token is None else scene.token
    before = os.environ.pop("NO_COLOR", None)
    if scene.no_color:
        os.environ["NO_COLOR"] = "1"  # read once, as the app is made
    try:
        app = SceneApp(
            Settings(server.url, Secret(token)),
            clock=lambda: NOW,
            display_name=DISPLAY_NAME,
            upload_options=upload_scenes.options() if scene.uploads else None,
        )
    finally:
        os.environ.pop("NO_COLOR", None)
        if before is not None:
            os.environ["NO_COLOR"] = before
    app.scene_server = server  # type: ignore[attr-defined]  # scenes change its faults as they go
    fetcher = _sandbox_fetcher(server)  # pictures of http://sandbox.invalid/... from the sandbox
    app.previews.fetcher = lambda: fetcher
    return app


def _sandbox_fetcher(server: SandboxServer) -> Fetcher:
    """A fetcher whose requests for the scene's fixed file host go to the sandbox's real port."""
    import httpx

    real = httpx.URL(server.url)

    class ToSandbox(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.host == "sandbox.invalid":
                request.url = request.url.copy_with(scheme=real.scheme, host=real.host, port=real.port)
            return super().handle_request(request)

    return Fetcher(transport=ToSandbox(), allowed_hosts={"sandbox.invalid"})  # the scenes' fixed file host


async def _shoot(name: str, scene: Scene, folder: Path) -> Path:
    with tempfile.TemporaryDirectory() as data, stable_sandbox(Path(data), **scene.sandbox) as server:
        app = scene_app(scene, server)
        async with app.run_test(size=scene.size) as pilot:
            await shown(scene, pilot)
            svg = app.export_screenshot(title=f"mediatui — {name}")
        if (
            app.communities.uploads_made is not None
        ):  # a headless run ends without the app's quit: its uploads would wait on
            app.communities.uploads_made.shutdown()
    path = folder / f"{name}.svg"
    path.write_text(svg, encoding="utf-8")
    return path


async def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        os.environ.setdefault("MEDIATUI_DATA_DIR", data)  # an empty catalogue, never the user's
        os.environ.setdefault("MEDIATUI_STATE_DIR", data)  # an empty upload journal, never the user's
        for name, scene in SCENES.items():
            print(await _shoot(name, scene, folder))

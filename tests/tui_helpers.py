"""Driving the app in tests: a pinned clock, and waiting until workers and their messages settle."""

from __future__ import annotations

import io
from datetime import timedelta

from rich.console import Console

from mediatui.config import Secret, Settings
from mediatui.sandbox.seed import SEED_EPOCH
from mediatui.tui.app import MediaTuiApp

NOW = SEED_EPOCH + timedelta(hours=2)


def make_app(server, token: str | None = None) -> MediaTuiApp:
    return MediaTuiApp(Settings(server.url, Secret(server.token if token is None else token)), clock=lambda: NOW)


async def settle(pilot, rounds: int = 4) -> None:
    """Workers post messages that start other workers: wait a few rounds."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.06)  # past the detail panel's debounce


def status(app) -> str:
    return str(app.screen.query_one("#status").render())


def notice(app) -> str:
    return str(app.screen.query_one("#notice").render())


def plain(renderable, width: int = 200) -> str:
    """What a renderable shows, as text (server text must come out literally)."""
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def detail(app) -> str:
    return plain(app.screen.query_one("#detail-body").content)


def titles(app) -> list[str]:
    table = app.screen.query_one("#table")
    return [str(table.get_cell(row.key, "title")) for row in table.ordered_rows]

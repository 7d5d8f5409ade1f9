"""Driving the app in tests: a pinned clock, and waiting until workers and their messages settle."""

from __future__ import annotations

import asyncio
import io
import time
from datetime import timedelta

from rich.console import Console

from mediatui.sandbox.seed import SEED_EPOCH
from mediatui.settings.config import Secret, Settings
from mediatui.tui.app import MediaTuiApp

NOW = SEED_EPOCH + timedelta(hours=2)


def make_app(server, token: str | None = None) -> MediaTuiApp:
    return MediaTuiApp(Settings(server.url, Secret(server.token if token is None else token)), clock=lambda: NOW)


async def settle(pilot, rounds: int = 4) -> None:
    """Until no worker runs and no timer of the list screen is pending (no sleep racing a timer)."""
    quiet = 0
    for _ in range(2000):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        pending = getattr(screen, "pending", None)
        busy = bool(pending and pending()) or any(w.is_running for w in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= rounds:
            return
        if busy:
            await asyncio.sleep(0.005)
    raise AssertionError("the app did not settle")


async def wait_for(pilot, condition, timeout: float = 10.0, what: str = "") -> None:
    """Until `condition()` holds: a wait on the condition itself, never a guessed sleep."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause()
        await asyncio.sleep(0.005)


def burst(app, text: str) -> None:
    """Keys as one read from a laggy link: parsed by the driver's parser, all posted before any is handled."""
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    events = [*parser.feed(text), *parser.tick()]
    for event in events:
        event.set_sender(app)
        app.post_message(event)


def status(app) -> str:
    """The status line; "" while a screen without one is on top (a burst's `o` box, until its enter is handled)."""
    found = app.screen.query("#status")
    return str(found.first().render()) if found else ""


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

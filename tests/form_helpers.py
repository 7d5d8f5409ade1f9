"""Waiting on conditions and sending key bursts, for the form tests (no guessed sleeps)."""

from __future__ import annotations

import asyncio
import time


async def wait_for(pilot, condition, timeout: float = 10.0, what: str = "") -> None:
    """Until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause()
        await asyncio.sleep(0.005)


def burst(app, text: str) -> None:
    """Keys as one read from a laggy link: parsed by Textual's own parser, all posted before any is handled."""
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    for event in [*parser.feed(text), *parser.tick()]:
        event.set_sender(app)
        app.post_message(event)

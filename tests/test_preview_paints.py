"""What `p` costs the terminal: the picture is painted once per load, never again for what changes around it.

Over SSH every byte is latency, and a half-block picture is the largest thing the app writes (~14 bytes a
cell in 256 colours): painting it three or four times made one `p` cost 350-570 kB at 120x40. These tests
count the picture's cells in every update the app would write to the terminal (the headless driver
writes nothing, so the spy renders each update as the real driver would).
"""

from __future__ import annotations

import pytest
from textual._compositor import CompositorUpdate
from textual.containers import ScrollableContainer

from mediatui.api import MediaClient
from mediatui.tui.screens.preview_modal import PreviewModal
from test_preview_screen import go_to
from tui_helpers import make_app, settle, wait_for

HALF_BLOCK = "▀"


def spy_paints(app) -> list[int]:
    """Half-block cells in each update written from now on (text-only updates count 0)."""
    painted: list[int] = []
    display = app._display

    def spy(screen, renderable) -> None:
        if isinstance(renderable, CompositorUpdate):
            painted.append(renderable.render_segments(app.console).count(HALF_BLOCK))
        display(screen, renderable)

    app._display = spy
    return painted


def visible_cells(screen: PreviewModal) -> int:
    """The picture's cells the terminal shows now (a zoomed picture scrolls: only a part shows)."""
    picture = screen.query_one("#preview-picture").region
    view = screen.query_one(ScrollableContainer).scrollable_content_region
    return picture.intersection(view).area


async def open_preview(pilot, server) -> PreviewModal:
    app = pilot.app
    with MediaClient(server.url, server.token) as client:
        image = next(m for m in client.list(limit=20).results if str(m.type) == "image")
    await go_to(pilot, image.id)
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(app.screen, PreviewModal) and not app.screen.pending(), what="picture")
    await settle(pilot)
    assert isinstance(app.screen, PreviewModal)
    return app.screen


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_one_p_paints_the_picture_once(make_sandbox, size):
    server = make_sandbox(seed=12)
    app = make_app(server)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        painted = spy_paints(app)
        screen = await open_preview(pilot, server)
        shown = visible_cells(screen)
        assert shown > 0
        assert sum(painted) == shown, f"picture of {shown} cells, painted {painted}"


async def test_zoom_paints_the_zoomed_picture_once(make_sandbox):
    server = make_sandbox(seed=12)
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_preview(pilot, server)
        for key in ("plus", "plus", "minus"):
            painted = spy_paints(app)
            await pilot.press(key)
            await wait_for(pilot, lambda: not screen.pending(), what="the zoomed picture")
            await settle(pilot)
            shown = visible_cells(screen)
            assert sum(painted) == shown, f"{key}: {shown} cells shown, painted {painted}"


async def test_what_changes_under_the_preview_does_not_paint_it_again(make_sandbox):
    server = make_sandbox(seed=12)
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await open_preview(pilot, server)
        beneath = app.screen_stack[-2]
        painted = spy_paints(app)
        beneath.refresh()  # the list under it repaints whole (a notice, a row updated, its footer's keys)
        beneath.query_one("Footer").refresh()
        await settle(pilot)
        assert sum(painted) == 0, painted
        assert isinstance(app.screen, PreviewModal) and screen.query_one("#preview-picture").region.area > 0

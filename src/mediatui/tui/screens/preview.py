"""`p`: the current media's picture as large as the terminal, with its title, pixel size and file size.

The file is fetched once, on a daemon thread; `+` and `-` scale it again
(also off the UI thread) to 1, 2 or 4 times the screen, and a larger picture
scrolls. Nothing here blocks a key. With Kitty graphics the picture is sent
once per zoom and shown as placeholder cells (which scroll like text), and
the terminal forgets it when the screen closes or the zoom changes.

Each load carries a number: a result for an earlier one (`+` pressed twice
quickly, the first decode finishing last) is dropped, so neither is it drawn
nor does it end the loading of the one still running. The label says how
much larger the picture really is than at 1×: a Kitty placement is at most
297 cells, so "4×" is about 2.5× at 120 columns, and a small file is never
scaled beyond its own pixels.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.screen import ModalScreen
from textual.widgets import Static

from mediatui.api import Media
from mediatui.preview import Picture, PreviewError, fit, picture
from mediatui.sanitize import inert
from mediatui.tui import background
from mediatui.tui.widgets.media_preview import describe_picture, drawing_mode, kitty_or_half_blocks, release_kitty

ZOOMS = (1, 2, 4)


class PreviewScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,p", "dismiss", "Close"),
        Binding("plus,equals_sign", "zoom(1)", "Zoom in"),
        Binding("minus", "zoom(-1)", "Zoom out"),
    ]
    DEFAULT_CSS = """
    PreviewScreen { background: $background; }
    PreviewScreen #preview-title { height: 1; padding: 0 1; text-style: bold; }
    PreviewScreen #preview-facts { height: 1; padding: 0 1; color: $text-muted; }
    PreviewScreen ScrollableContainer { height: 1fr; }
    PreviewScreen #preview-picture { width: auto; height: auto; }
    """

    def __init__(self, media: Media, url: str) -> None:
        super().__init__()
        self.media = media
        self.url = url
        self.zoom = 0
        self.data: bytes | None = None
        self._loading = False
        self._request = 0  # the number of the latest load: only its result is shown

    def pending(self) -> bool:
        """True while the picture is on its way (tests and screenshots wait on this, never on a sleep)."""
        return self._loading

    def compose(self) -> ComposeResult:
        yield Static(Text(inert(self.media.display_title, limit=200)), id="preview-title")
        yield Static(Text("loading…", style="dim italic"), id="preview-facts")
        with ScrollableContainer():
            yield Static(id="preview-picture")

    def on_mount(self) -> None:
        fetcher = self.app.fetcher  # type: ignore[attr-defined]
        self._start(lambda: fetcher().fetch(self.url))

    def action_zoom(self, step: int) -> None:
        zoom = min(max(self.zoom + step, 0), len(ZOOMS) - 1)
        if zoom != self.zoom and self.data is not None:
            self.zoom = zoom
            data = self.data
            self._start(lambda: data)

    def on_unmount(self) -> None:
        release_kitty(self, self.app)

    def _start(self, get: object) -> None:
        base = (max(8, self.size.width - 2), max(4, self.size.height - 3))  # cells at 1×
        cols, rows = base[0] * ZOOMS[self.zoom], base[1] * ZOOMS[self.zoom]
        kitty = drawing_mode(self.app) == "kitty"  # type: ignore[arg-type]
        if kitty:
            from mediatui.graphics_kitty import MAX_CELLS

            cols, rows = min(cols, MAX_CELLS), min(rows, MAX_CELLS)  # a placement names 297 columns and rows at most
        loop = asyncio.get_running_loop()

        def load() -> tuple[bytes, Picture]:
            data = get()  # type: ignore[operator]
            return data, picture(data, cols, rows, kitty=kitty)

        self._request += 1
        request = self._request
        self._loading = True
        future = background.start(load, name="mediatui-preview")
        future.add_done_callback(lambda done: background.soon(loop, self._arrived, request, base, done))

    def _arrived(self, request: int, base: tuple[int, int], done: Future[tuple[bytes, Picture]]) -> None:
        if request != self._request:
            return  # for a zoom left since: the latest load is still running, and its result alone is shown
        self._loading = False
        if not self.is_mounted:
            return
        facts = self.query_one("#preview-facts", Static)
        try:
            self.data, item = done.result()
        except PreviewError as exc:
            facts.update(Text(f"no preview: {inert(str(exc))}", style="italic"))
            return
        except Exception as exc:  # noqa: BLE001 - a bug here must not end the app
            facts.update(Text(f"no preview ({type(exc).__name__})", style="italic"))
            return
        zoom = f" · zoom {_factor(item, base)}× (+/-)" if self.data else ""
        facts.update(Text(describe_picture(item).replace(" · p: full screen", "") + zoom + " · escape closes"))
        drawn = kitty_or_half_blocks(self, self.app, (self.url, item.cols, item.rows), item)
        self.query_one("#preview-picture", Static).update(Group(drawn))


def _factor(item: Picture, base: tuple[int, int]) -> str:
    """How much larger `item` is drawn than at 1× (`base` cells), to a tenth: "1", "2", "2.5"."""
    at_one = fit(item.width, item.height, *base)[0]
    return f"{item.cols / at_one:.1f}".removesuffix(".0")

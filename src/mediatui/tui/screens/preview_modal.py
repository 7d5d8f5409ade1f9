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
from textual.css.scalar import Scalar
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from mediatui._compat import Self
from mediatui.api import Media
from mediatui.pictures.fetch import PreviewError
from mediatui.pictures.preview import Picture, fit, picture
from mediatui.pictures.preview_state import Previews
from mediatui.sanitize import inert
from mediatui.tui import background
from mediatui.tui.textual_compat import layout_pending
from mediatui.tui.widgets.media_preview import describe_picture, drawing_mode, kitty_or_half_blocks, release_kitty

ZOOMS = (1, 2, 4)


class PreviewModal(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,p", "dismiss", "Close"),
        Binding("plus,equals_sign", "zoom(1)", "Zoom in"),
        Binding("minus", "zoom(-1)", "Zoom out"),
    ]
    DEFAULT_CSS = """
    PreviewModal { background: $background; }
    PreviewModal #preview-title { height: 1; padding: 0 1; text-style: bold; }
    PreviewModal #preview-facts { height: 1; padding: 0 1; color: $text-muted; }
    PreviewModal ScrollableContainer { height: 1fr; }
    PreviewModal #preview-picture { width: 0; height: 0; }
    """

    def __init__(self, media: Media, url: str, previews: Previews) -> None:
        super().__init__()
        self.previews = previews  # how it draws (kitty or half blocks) and fetches
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

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        """Never the whole screen again for a change that does not show (see the module's notes on paints).

        Textual passes what the screen beneath repaints (its footer's keys, a notice) up to this one as
        `refresh(*regions)`, often the whole terminal: this screen is opaque and covers it all, so none
        of that shows. And a layout repaints what it moved by itself: the screen's own full repaint on
        top of it (asked for after a mount) would paint the picture a second time.
        """
        if self.styles.background.a == 1 and not recompose:
            if regions and not layout:
                return self  # from beneath
            if layout:
                repaint = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def on_mount(self) -> None:
        media = self.media
        if media.image_width and media.image_height and media.image_width > 0 and media.image_height > 0:
            self._size_picture(self._cells(media.image_width, media.image_height, self._base()))  # as it will be
        fetcher = self.previews.fetcher
        self._start(lambda: fetcher().fetch(self.url))

    def action_zoom(self, step: int) -> None:
        zoom = min(max(self.zoom + step, 0), len(ZOOMS) - 1)
        if zoom != self.zoom and self.data is not None:
            self.zoom = zoom
            data = self.data
            self._start(lambda: data)

    def on_unmount(self) -> None:
        release_kitty(self, self.app)

    def _base(self) -> tuple[int, int]:
        """Cells for the picture at 1×: the terminal less the two lines of text and the scrollbars' room."""
        size = self.app.size
        return max(8, size.width - 2), max(4, size.height - 3)

    def _box(self, base: tuple[int, int]) -> tuple[int, int]:
        """Cells the picture fits in at the current zoom."""
        cols, rows = base[0] * ZOOMS[self.zoom], base[1] * ZOOMS[self.zoom]
        if drawing_mode(self.app, self.previews.mode) == "kitty":
            from mediatui.pictures.graphics_kitty import MAX_CELLS

            cols, rows = min(cols, MAX_CELLS), min(rows, MAX_CELLS)  # a placement names 297 columns and rows at most
        return cols, rows

    def _cells(self, width: int, height: int, base: tuple[int, int]) -> tuple[int, int]:
        """The cells a `width` × `height` picture takes at the current zoom (as `picture` scales it)."""
        cols, pixel_rows = fit(width, height, *self._box(base))
        return cols, (pixel_rows + 1) // 2

    def _size_picture(self, cells: tuple[int, int]) -> bool:
        """Give the picture's widget its size, and its box the scrollbars it needs; True if anything changed.

        The scrollbars are decided here, not left to Textual's "auto", which shows both for a picture
        taller than the screen and a little narrower, then drops one a frame later: two more paints.
        """
        widget = self.query_one("#preview-picture", Static)
        box = self.query_one(ScrollableContainer)
        width, height = self.app.size.width, max(1, self.app.size.height - 2)  # less the title and the facts
        vertical = cells[1] > height
        horizontal = cells[0] > width - (box.styles.scrollbar_size_vertical if vertical else 0)
        vertical = vertical or (horizontal and cells[1] > height - box.styles.scrollbar_size_horizontal)
        overflow = ("scroll" if horizontal else "hidden", "scroll" if vertical else "hidden")
        size = (Scalar.from_number(cells[0]), Scalar.from_number(cells[1]))
        if (widget.styles.width, widget.styles.height) == size and (
            box.styles.overflow_x,
            box.styles.overflow_y,
        ) == overflow:
            return False
        widget.styles.width, widget.styles.height = cells
        box.styles.overflow_x, box.styles.overflow_y = overflow
        return True

    def on_resize(self) -> None:
        picture = self.query_one("#preview-picture", Static).styles
        if picture.width is not None and picture.height is not None:
            self._size_picture(
                (int(picture.width.value), int(picture.height.value))
            )  # its scrollbars, for the new size

    def _start(self, get: object) -> None:
        base = self._base()  # cells at 1×
        cols, rows = self._box(base)
        kitty = drawing_mode(self.app, self.previews.mode) == "kitty"
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
        if not self.is_mounted:
            self._loading = False
            return
        facts = self.query_one("#preview-facts", Static)
        try:
            self.data, item = done.result()
        except PreviewError as exc:
            self._loading = False
            facts.update(Text(f"no preview: {inert(str(exc))}", style="italic"))
            return
        except Exception as exc:  # noqa: BLE001 - a bug here must not end the app
            self._loading = False
            facts.update(Text(f"no preview ({type(exc).__name__})", style="italic"))
            return
        zoom = f" · zoom {_factor(item, base)}× (+/-)" if self.data else ""
        facts.update(Text(describe_picture(item).replace(" · p: full screen", "") + zoom + " · escape closes"))
        drawn = Group(kitty_or_half_blocks(self, self.app, (self.url, item.cols, item.rows), item))
        cells = (item.graphic.cols, item.graphic.rows) if item.graphic is not None else (item.cols, item.rows)
        widget = self.query_one("#preview-picture", Static)
        if self._size_picture(cells):
            # A widget whose size changes is painted by the layout, and again once it has heard of its new size
            # (and the scrollbars come or go): blank, all that, and the picture after it, once.
            widget.update("")
            self.call_after_refresh(self._draw, request, drawn, 8)
        else:
            self._draw(request, drawn, 8)  # the same size: only the picture's own cells are painted

    def _draw(self, request: int, drawn: Group, waits: int) -> None:
        """The picture, once the layouts its size set off are done (`waits` more refreshes at most)."""
        if request != self._request:
            return  # a later load has started: it draws its own
        if not self.is_mounted:
            self._loading = False
            return
        if waits and self.layout_pending():
            self.call_after_refresh(self._draw, request, drawn, waits - 1)
            return
        self._loading = False
        self.query_one("#preview-picture", Static).update(drawn)

    def layout_pending(self) -> bool:
        """A layout (or the repaint a resize asks for) is still to come on this screen.

        Textual says so only in private flags (tui/textual_compat.py; tests/test_preview_paints.py fails if they go).
        """
        return layout_pending([self, *self.walk_children(Widget)])


def _factor(item: Picture, base: tuple[int, int]) -> str:
    """How much larger `item` is drawn than at 1× (`base` cells), to a tenth: "1", "2", "2.5"."""
    at_one = fit(item.width, item.height, *base)[0]
    return f"{item.cols / at_one:.1f}".removesuffix(".0")

"""The picture of the current media under its details: fetched on a daemon thread, late answers dropped.

Only the media the detail panel shows is fetched (the panel follows the
cursor once it rests), and an answer for a media the cursor has left is
thrown away: keys never wait on a fetch. Pictures are cached by the app.

Kitty graphics (see mediatui.pictures.graphics_kitty): the worker also encodes the
picture; on arrival it is sent to the terminal once, by the driver's own
writer (so it keeps its place among the frames, outside the compositor),
and the slot shows placeholder cells naming it. Moving on, switching
previews off or leaving deletes it from the terminal. The app gives no
public way to write to the terminal, so `terminal_writer` uses its driver.
"""

from __future__ import annotations

import asyncio
import os
import weakref
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

from rich.console import Group
from rich.text import Text
from textual.timer import Timer
from textual.widgets import Static

from mediatui.pictures.preview import (
    DocumentFacts,
    HalfBlock,
    Picture,
    PreviewError,
    document_facts,
    panel_source,
    picture,
    resolve_mode,
)
from mediatui.sanitize import inert
from mediatui.tui import background
from mediatui.tui.textual_compat import write_to_terminal

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from rich.console import RenderableType
    from textual.app import App

    from mediatui.api import Media
    from mediatui.pictures.fetch import Fetcher
    from mediatui.pictures.graphics_kitty import KittyImages
    from mediatui.pictures.preview_state import Previews

ROWS = 10  # picture rows in the detail panel; `p` shows it as large as the terminal
MIN_PANEL = 18  # a shorter panel (80×24) keeps its rows for the fields: `p` shows the picture instead
REST = 0.35  # seconds the cursor rests on a media before its picture is fetched and drawn

_images: weakref.WeakKeyDictionary[App[Any], KittyImages] = weakref.WeakKeyDictionary()


def drawing_mode(app: App[Any], chosen: str) -> str:
    """What this session draws now: "kitty", "halfblock" or "off" (the profile's choice, or `P`'s).

    A headless app (tests, screenshots) has no terminal for "auto" to recognise: the terminal the tests run
    in must not change what they see. With NO_COLOR, Textual greys every colour, the placeholders' too, and a
    grey cell names no picture: half blocks then.
    """
    environ: Mapping[str, str] = {} if app.is_headless else os.environ
    mode = resolve_mode(chosen, environ, app.console.color_system)
    return "halfblock" if mode == "kitty" and app.no_color else mode


def kitty_images(app: App[Any]) -> KittyImages:
    """The app's record of the images the terminal holds (one per app, made on first use, gone with the app)."""
    found = _images.get(app)
    if found is None:
        from mediatui.pictures.graphics_kitty import KittyImages, in_tmux

        found = _images[app] = KittyImages(terminal_writer(app), tmux=in_tmux(os.environ))
    return found


def close_kitty(app: App[Any]) -> None:
    """The app is quitting: the terminal forgets every picture now, while the driver still writes (at unmount the
    message loop has ended and nothing more goes out), and no picture arriving later is sent."""
    found = _images.get(app)
    if found is not None:
        found.close()


def terminal_writer(app: App[Any]) -> Callable[[str], None]:
    """Text for the terminal itself, queued by the driver's writer thread in order with the frames.

    It holds the app weakly: the registry's value must not keep its key, the app, alive.
    """
    ref = weakref.ref(app)

    def write(data: str) -> None:
        app = ref()
        if app is None:
            return
        write_to_terminal(app, data)

    return write


def kitty_or_half_blocks(owner: object, app: App[Any], key: object, item: Picture) -> RenderableType:
    """The picture as Kitty placeholders (sending it first if need be), or as half blocks if it has no graphic."""
    if item.graphic is None:
        release_kitty(owner, app)
        return HalfBlock(item.pixels)
    from mediatui.pictures.graphics_kitty import Placeholders

    image_id = kitty_images(app).show(owner, key, item.graphic)
    return Placeholders(image_id, item.graphic.cols, item.graphic.rows)


def release_kitty(owner: object, app: App[Any]) -> None:
    found = _images.get(app)
    if found is not None:
        found.release(owner)


class MediaPreview(Static):
    """A fixed slot at the bottom of the detail panel, the same height for every media.

    Over SSH every byte is latency: the slot never changes height from one media to the next (so the
    text above it never moves and is never repainted whole), and a picture (a few kB of colour codes)
    is drawn only once the cursor has rested REST seconds, so holding j costs no picture at all.
    """

    DEFAULT_CSS = """
    MediaPreview { dock: bottom; height: 11; padding: 0; }
    """

    def __init__(self, previews: Previews, *, rows: int = ROWS, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.previews = previews  # on or off, the pictures kept, the fetcher
        self.rows = rows
        self._wanted: tuple[int | None, str] | None = None
        self.display = False  # shown once previews are on and the panel is tall enough
        self._loading: tuple[int | None, str] | None = None
        self._timer: Timer | None = None
        self._drawn = False
        self._kitty = False
        self._thumbnail = False  # the slot shows the server's thumbnail, not the file
        self._color: str | None = None  # the thumbnail's main colour, filling the slot while the picture comes

    @property
    def busy(self) -> bool:
        """A picture is due or on its way (tests and screenshots wait on this, never on a sleep)."""
        return self._loading is not None or self._timer is not None

    def reset(self) -> None:
        """Forget what is shown, so that the next `show_for` starts again (previews switched on or off)."""
        self._wanted = None

    def show_for(self, media: Media | None, cols: int | None = None, panel_height: int | None = None) -> None:
        """Show `media`'s picture (or its document's facts) once the cursor rests; a blank slot until then.

        Nothing is fetched when previews are off, or in a panel shorter than MIN_PANEL rows.
        """
        mode = drawing_mode(self.app, self.previews.mode)
        on = mode != "off" and (panel_height is None or panel_height >= MIN_PANEL)
        self.display = on
        self._kitty = mode == "kitty"
        width = max(8, (cols or self.size.width or 40) - 2)
        found = panel_source(media, width, self.rows, kitty=self._kitty)
        if not on or media is None or found is None:
            self._stop_timer()
            self._wanted = None
            self._blank()
            return
        kind, url = found
        thumb = media.thumbnail
        self._thumbnail = thumb is not None and url == thumb.url
        self._color = thumb.color if thumb is not None else None
        wanted = (media.id, url)
        if wanted == self._wanted:  # the same media drawn again (z, a catalogue row read again): its timer goes on
            return
        self._stop_timer()
        self._wanted = wanted
        self._blank()
        self._timer = self.set_timer(REST, lambda: self._start(wanted, kind, url, width))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_unmount(self) -> None:
        release_kitty(self, self.app)

    def _blank(self) -> None:
        release_kitty(self, self.app)
        if self._drawn:
            self.update("")
            self._drawn = False

    def _start(self, wanted: tuple[int | None, str], kind: str, url: str, width: int) -> None:
        self._timer = None
        if wanted != self._wanted:
            return
        kitty = self._kitty
        cached = self.previews.cache.get(url, width, self.rows, kitty=kitty) if kind == "image" else None
        if cached is not None:
            self._show(wanted, cached)
            return
        self._loading = wanted
        if self._color and not self._kitty:  # the picture's main colour while it comes (a line per row: cheap)
            self.update(Text("\n".join(" " * width for _ in range(self.rows)), style=f"on {self._color}"))
            self._drawn = True
        loop = asyncio.get_running_loop()
        future = background.start(
            _load, self.previews.fetcher, kind, url, width, self.rows, kitty, name="mediatui-preview"
        )
        future.add_done_callback(lambda done: background.soon(loop, self._arrived, wanted, kind, url, width, done))

    def _arrived(self, wanted: tuple[int | None, str], kind: str, url: str, width: int, done: Future[object]) -> None:
        if wanted == self._loading:
            self._loading = None
        if wanted != self._wanted or not self.is_mounted:
            return  # the cursor moved on: a late answer is dropped
        try:
            result = done.result()
        except PreviewError as exc:
            self._say(f"no preview: {inert(str(exc))}")
            return
        except Exception as exc:  # noqa: BLE001 - a bug here must not end the app
            self._say(f"no preview ({type(exc).__name__})")
            return
        if isinstance(result, Picture):
            self.previews.cache.put(url, width, self.rows, result)
        self._show(wanted, result)

    def _say(self, text: str) -> None:
        release_kitty(self, self.app)
        self.update(Text(text, style="dim italic"))
        self._drawn = True

    def _show(self, wanted: tuple[int | None, str], result: object) -> None:
        if isinstance(result, Picture):
            drawn = kitty_or_half_blocks(self, self.app, (wanted[1], result.cols, result.rows), result)
            facts = Text(
                describe_picture(result, thumbnail=self._thumbnail), style="dim", no_wrap=True, overflow="ellipsis"
            )
            self.update(Group(facts, drawn))  # one line: the slot's height is fixed, the picture keeps its rows
        elif isinstance(result, DocumentFacts):
            release_kitty(self, self.app)
            self.update(Text(describe_document(result), style="dim"))
        self._drawn = True


def _load(
    fetcher: Callable[[], Fetcher], kind: str, url: str, cols: int, rows: int, kitty: bool
) -> Picture | DocumentFacts:
    data = fetcher().fetch(url)
    return document_facts(data) if kind == "doc" else picture(data, cols, rows, kitty=kitty)


def describe_picture(item: Picture, *, thumbnail: bool = False) -> str:
    import humanize

    what = "thumb" if thumbnail else "px"
    return f"{item.width}×{item.height} {what} · {humanize.naturalsize(item.size)} · p: full screen"


def describe_document(facts: DocumentFacts) -> str:
    import humanize

    pages = f"{facts.pages} page{'s' if facts.pages != 1 else ''}" if facts.pages is not None else "pages unknown"
    note = f" ({facts.note})" if facts.note else ""
    return f"PDF · {pages} · {humanize.naturalsize(facts.size)}{note} · no page preview (no system binaries)"

"""The picture of the current media under its details: fetched on a daemon thread, late answers dropped.

Only the media the detail panel shows is fetched (the panel follows the
cursor once it rests), and an answer for a media the cursor has left is
thrown away: keys never wait on a fetch. Pictures are cached by the app.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from mediatui.preview import DocumentFacts, HalfBlock, Picture, PreviewError, document_facts, picture, source
from mediatui.sanitize import inert
from mediatui.tui import background

if TYPE_CHECKING:
    from collections.abc import Callable

    from mediatui.api import Media
    from mediatui.preview import Fetcher
    from mediatui.tui.app import MediaTuiApp

ROWS = 10  # cells high in the detail panel; `p` shows it as large as the terminal


class MediaPreview(Static):
    DEFAULT_CSS = """
    MediaPreview { height: auto; padding: 0 0 1 0; }
    """

    app: MediaTuiApp

    def __init__(self, *, rows: int = ROWS, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.rows = rows
        self._wanted: tuple[int | None, str] | None = None
        self.display = False  # until a media with a picture is shown

    def reset(self) -> None:
        """Forget what is shown, so that the next `show_for` starts again (previews switched on or off)."""
        self._wanted = None

    def show_for(self, media: Media | None, cols: int | None = None) -> None:
        """Start showing `media`'s picture (or facts of its document); nothing when it has none."""
        found = source(str(media.type) if media and media.type else None, media and media.url,
                       media and media.image) if media else None
        if media is None or found is None:
            self._wanted = None
            self.display = False
            return
        self.display = True
        if self.app.preview_mode == "off":
            self._wanted = None
            self.update(Text("previews are off (P turns them on)", style="dim italic"))
            return
        kind, url = found
        width = max(8, (cols or self.size.width or 40) - 1)
        wanted = (media.id, url)
        if wanted == self._wanted:
            return
        self._wanted = wanted
        cached = self.app.pictures.get(url, width, self.rows) if kind == "image" else None
        if cached is not None:
            self._show(wanted, cached)
            return
        self.update(Text("loading preview…", style="dim italic"))
        loop = asyncio.get_running_loop()
        future = background.start(_load, self.app.fetcher, kind, url, width, self.rows, name="mediatui-preview")
        future.add_done_callback(lambda done: background.soon(loop, self._arrived, wanted, kind, url, width, done))

    def _arrived(self, wanted: tuple[int | None, str], kind: str, url: str, width: int, done: Future[object]) -> None:
        if wanted != self._wanted or not self.is_mounted:
            return  # the cursor moved on: a late answer is dropped
        try:
            result = done.result()
        except PreviewError as exc:
            self.update(Text(f"no preview: {inert(str(exc))}", style="dim italic"))
            return
        except Exception as exc:  # noqa: BLE001 - a bug here must not end the app
            self.update(Text(f"no preview ({type(exc).__name__})", style="dim italic"))
            return
        if isinstance(result, Picture):
            self.app.pictures.put(url, width, self.rows, result)
        self._show(wanted, result)

    def _show(self, wanted: tuple[int | None, str], result: object) -> None:
        if isinstance(result, Picture):
            self.update(Group(HalfBlock(result.pixels), Text(describe_picture(result), style="dim")))
        elif isinstance(result, DocumentFacts):
            self.update(Text(describe_document(result), style="dim"))


def _load(fetcher: Callable[[], Fetcher], kind: str, url: str, cols: int, rows: int) -> Picture | DocumentFacts:
    data = fetcher().fetch(url)
    return document_facts(data) if kind == "doc" else picture(data, cols, rows)


def describe_picture(item: Picture) -> str:
    import humanize

    return f"{item.width}×{item.height} px · {humanize.naturalsize(item.size)} · p: full screen"


def describe_document(facts: DocumentFacts) -> str:
    import humanize

    pages = f"{facts.pages} page{'s' if facts.pages != 1 else ''}" if facts.pages is not None else "pages unknown"
    note = f" ({facts.note})" if facts.note else ""
    return f"PDF · {pages} · {humanize.naturalsize(facts.size)}{note} · no page preview (no system binaries)"

"""The detail panel: every field of a media, nulls shown as such, long text wrapped, unknown fields too."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from mediatui.api import Media
from mediatui.sanitize import inert
from mediatui.tui.formatting import NULL, multi_line, natural_time

def describe(media: Media, now: datetime, *, gone: bool = False, note: str | None = None,
             show_empty: bool = True) -> Group:
    """The fields as literal Text in a label/value grid; server text is never parsed.

    Null fields are left out unless `show_empty`: fewer lines to draw on every
    cursor move (over SSH each byte is latency), and a line says how many.
    """
    head = Text()
    if gone:
        head.append("The server no longer has this media (404).\n", style="bold red")
    if note:
        head.append(note + "\n", style="italic")
    grid = _grid()
    empty = 0
    for f in fields(Media):
        value = getattr(media, f.name)
        if f.name == "extra" or (f.name == "embed" and value is None):
            continue
        if value is None and not show_empty:
            empty += 1
            continue
        grid.add_row(Text(f.name), _value(f.name, value, now))
    parts: list[RenderableType] = [head, grid] if head else [grid]
    if media.extra:
        other = _grid()
        for name, value in sorted(media.extra.items()):
            other.add_row(Text(inert(str(name), limit=40)), _value(name, value, now))
        parts += [Text("\nother fields", style="bold underline"), other]
    if empty:
        parts.append(Text(f"{empty} empty fields hidden (z shows them)", style="dim italic"))
    return Group(*parts)


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")  # long values wrap in their own column, URLs fold
    return grid


def _value(name: str, value: object, now: datetime) -> Text:
    if value is None:
        return NULL
    if isinstance(value, datetime):
        return Text(f"{value.isoformat()}  ({natural_time(value, now)})")
    if isinstance(value, bool):
        return Text(str(value).lower(), style="italic")
    if isinstance(value, (dict, list)):
        return Text(multi_line(json.dumps(value, ensure_ascii=False)))
    return Text(multi_line(str(value)))


class MediaDetail(VerticalScroll, can_focus=True):
    """Scrolls when focused (enter from the table), so long descriptions can be read."""

    DEFAULT_CSS = """
    MediaDetail { height: 1fr; }
    MediaDetail > Static { width: 1fr; }
    """

    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self._show_empty = False
        self._shown: tuple[Media | None, datetime, bool, str | None] | None = None

    def compose(self):  # noqa: ANN201
        yield Static(Text("Nothing selected.", style="dim"), id="detail-body")

    @property
    def show_empty(self) -> bool:
        return self._show_empty

    @show_empty.setter
    def show_empty(self, value: bool) -> None:
        self._show_empty = value
        if self._shown is not None:
            media, now, gone, note = self._shown
            self._shown = None
            self.show(media, now, gone=gone, note=note)

    def show(self, media: Media | None, now: datetime, *, gone: bool = False, note: str | None = None) -> None:
        """Redraws only when something shown changed: the same media again writes nothing."""
        shown = (media, now, gone, note)
        if shown == self._shown:
            return
        self._shown = shown
        body = self.query_one("#detail-body", Static)
        if media is None:
            body.update(Text(note or "Nothing selected.", style="dim"))
        else:
            body.update(describe(media, now, gone=gone, note=note, show_empty=self._show_empty))
        self.scroll_home(animate=False)

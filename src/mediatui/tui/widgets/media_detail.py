"""The detail panel: every field of a media, nulls shown as such, long text wrapped, unknown fields too.

Light on the wire: over SSH every byte written to the terminal is latency, and
the panel follows the cursor. So it repaints only the lines whose text changed
(`DetailLines`), and its layout keeps lines where they were: the label column
has one fixed width and the grid spans the panel, so that a longer value
elsewhere does not move or re-pad every line, and the body fills the panel, so
that a media with fewer lines does not resize (and so repaint) the whole panel.
"""

from __future__ import annotations

import heapq
import json
from dataclasses import fields
from datetime import datetime

import humanize
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

from mediatui.api import Media, Thumbnail
from mediatui.api.models import SDK_ONLY_FIELDS
from mediatui.pictures.preview_state import Previews
from mediatui.sanitize import inert
from mediatui.tui.formatting import NULL, multi_line, natural_time
from mediatui.tui.widgets.media_preview import MediaPreview

#: Every label has this width, whichever fields are shown: values start in the same column for every media.
LABEL_WIDTH = max(len(f.name) for f in fields(Media) if f.name != "absent")
MAX_METADATA = 12  # metadata keys shown as lines (a share's or a link's: a few)


def describe(
    media: Media, now: datetime, *, gone: bool = False, note: str | None = None, show_empty: bool = True
) -> Group:
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
        if f.name in ("extra", "absent") or (f.name in SDK_ONLY_FIELDS and value is None):
            continue
        if value is None and not show_empty:
            empty += 1
            continue
        if f.name == "embed" and isinstance(value, dict):
            for label, text in _embed_rows(media):
                grid.add_row(Text(label), text)
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
    # expand: every line is as wide as the panel, so a longer value on another line changes no padding here
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(style="bold", no_wrap=True, min_width=LABEL_WIDTH)  # an unknown field's longer name may widen it
    grid.add_column(overflow="fold", ratio=1)  # long values wrap in their own column, URLs fold
    return grid


def _embed_rows(media: Media) -> list[tuple[str, Text]]:
    """The nested embed (SCEmbedType) as named lines, not one JSON line: its url, then each metadata key as
    "meta KEY" (a key such as "url" or "type" never reads as one of the media's own fields). Its type and id are
    the flat fields' lines already; its own id means nothing to a moderator. Empty metadata values are left out."""
    rows = [("embed url", Text(multi_line(media.embed_url)))] if media.embed_url else []
    raw = media.embed.get("metadata") if isinstance(media.embed, dict) else None
    if raw is not None and not isinstance(raw, dict):  # not an object, as the SDK says it is: shown as it came
        rows.append(("embed metadata", Text(multi_line(json.dumps(raw, ensure_ascii=False)[:4000]))))
    filled = {key: item for key, item in (media.embed_metadata or {}).items() if item not in (None, "")}
    for key in heapq.nsmallest(MAX_METADATA, filled, key=str):  # not a sort of thousands on every cursor move
        item = filled[key]
        shown = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)[:4000]
        rows.append((f"meta {inert(str(key), limit=15)}", Text(multi_line(inert(shown, limit=400)))))
    if len(filled) > MAX_METADATA:
        rows.append(("", Text(f"… {len(filled) - MAX_METADATA:,} more metadata keys (mediatui get shows all)")))
    return rows


def _value(name: str, value: object, now: datetime) -> Text:
    if value is None:
        return NULL
    if name == "size" and isinstance(value, int):
        return Text(f"{humanize.naturalsize(value)} ({value:,} bytes)")
    if name == "image_thumbnail":
        thumb = Thumbnail.from_json(value)
        if thumb is not None:
            color = f", {thumb.color}" if thumb.color else ""
            return Text(multi_line(f"{thumb.width}×{thumb.height}{color}  {thumb.url}"))
    if isinstance(value, datetime):
        return Text(f"{value.isoformat()}  ({natural_time(value, now)})")
    if isinstance(value, bool):
        return Text(str(value).lower(), style="italic")
    if isinstance(value, (dict, list)):
        return Text(multi_line(json.dumps(value, ensure_ascii=False)))
    return Text(multi_line(str(value)))


class DetailLines(Widget):
    """A renderable whose update repaints only the lines that differ from what is on screen.

    A Static repaints its whole area on `update`, and a layout that changes
    the panel's virtual size repaints the panel: ~9 KB per cursor move at
    120x40. Here the new content is rendered to lines, compared with the
    lines shown, and only the changed lines are marked dirty; Textual's
    compositor then writes only those regions. At least as tall as the panel
    (`min-height: 100%`), so a shorter media changes no geometry.
    """

    DEFAULT_CSS = """
    DetailLines { height: auto; min-height: 100%; }
    """

    def __init__(self, content: RenderableType, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self._content = content
        self._lines: tuple[int, list[Strip]] | None = None  # (width, the content's lines at that width)
        self.repainted: list[int] | None = None  # lines marked dirty by the last update; None = all of them

    @property
    def content(self) -> RenderableType:
        return self._content

    def render(self) -> RenderableType:
        return self._content

    def _render_lines(self, content: RenderableType, width: int) -> list[Strip]:
        return Visual.to_strips(self, visualize(self, content, markup=False), width, None, self.visual_style)

    def lines(self) -> list[Strip]:
        """The content's lines at the current width (what is on screen, or about to be)."""
        width = self.size.width
        if self._lines is None or self._lines[0] != width:
            self._lines = (width, self._render_lines(self._content, width) if width else [])
        return self._lines[1]

    def update(self, content: RenderableType) -> None:
        width = self.size.width
        before = self.lines() if width and self.is_mounted else None
        self._content = content
        if before is None:  # not laid out yet: nothing on screen to compare with
            self._lines = None
            self.repainted = None
            self.refresh(layout=True)
            return
        after = self._render_lines(content, width)
        self._lines = (width, after)
        viewport = self.parent.scrollable_content_region.height if isinstance(self.parent, Widget) else 0
        if len(after) != len(before) and max(len(after), len(before)) > viewport:
            self.repainted = None  # the body's height changes: a layout, the panel repainted
            self.refresh(layout=True)
            return
        blank = Strip.blank(width)
        changed = [
            y
            for y in range(max(len(before), len(after)))
            if (before[y] if y < len(before) else blank) != (after[y] if y < len(after) else blank)
        ]
        self.repainted = changed
        if changed:
            self.refresh(*(Region(0, y, width, 1) for y in changed))

    def on_resize(self) -> None:
        self._lines = None

    def render_line(self, y: int) -> Strip:
        """Runs of one style as one segment: the label and the gap after it cost one colour sequence, not two."""
        return super().render_line(y).simplify()


class MediaDetail(VerticalScroll, can_focus=True):
    """Scrolls when focused (enter from the table), so long descriptions can be read."""

    DEFAULT_CSS = """
    MediaDetail { height: 1fr; }
    MediaDetail > DetailLines { width: 1fr; }
    """

    def __init__(self, previews: Previews, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.previews = previews  # for the picture at the bottom
        self._show_empty = False
        self._shown: tuple[Media | None, datetime, bool, str | None] | None = None

    def compose(self):  # noqa: ANN201
        yield MediaPreview(self.previews, id="detail-preview")
        yield DetailLines(Text("Nothing selected.", style="dim"), id="detail-body")

    @property
    def preview(self) -> MediaPreview:
        return self.query_one(MediaPreview)

    @property
    def body(self) -> DetailLines:
        return self.query_one("#detail-body", DetailLines)

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
        """Redraws only when something shown changed, and then only the lines that did."""
        shown = (media, now, gone, note)
        if shown == self._shown:
            return
        self._shown = shown
        self.preview.show_for(media, self.size.width, self.size.height)
        if media is None:
            self.body.update(Text(note or "Nothing selected.", style="dim"))
        else:
            self.body.update(describe(media, now, gone=gone, note=note, show_empty=self._show_empty))
        self.scroll_home(animate=False)

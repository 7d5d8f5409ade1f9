"""Server text made safe to show: always rich Text, control characters made visible.

Nothing here builds markup. Control characters go through `mediatui.sanitize`:
an escape sequence in a title shows as ␛[2J rather than reaching the terminal,
and a line break shows as ⏎ in one-line places such as table cells.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

import humanize
from rich.text import Text

from mediatui.api import Media
from mediatui.sanitize import inert

NULL = Text("null", style="dim italic")


def article(word: str) -> str:
    """ "a" or "an" before a word as it is read: an embed, a url (a "you-are-ell"), a vimeo."""
    return "an" if word[:1].lower() in "aeio" else "a"


def one_line(text: str) -> str:
    """A single line: line breaks become ⏎, every other control a visible picture or ⟨U+XXXX⟩; at most what a
    row can show (a 500,000-character title is cut before it is made inert, not drawn whole each move)."""
    return inert(text[:MAX_LINE_CHARS], limit=MAX_LINE_CHARS).strip()


MAX_LINE_CHARS = 1000  # of a one-line value: wider than any terminal row
MAX_SHOWN_CHARS = 4000  # of one value in the detail panel: the whole of it is in the form and in `mediatui get`
MAX_SHOWN_LINES = 60


def multi_line(text: str) -> str:
    """Several lines, made inert, and cut: a member's 200,000 line breaks cost 18 s a cursor move uncut."""
    shown = inert(text[:MAX_SHOWN_CHARS], multiline=True, limit=MAX_SHOWN_CHARS)
    if len(text) > MAX_SHOWN_CHARS and not shown.endswith("…"):
        shown += "…"
    lines = shown.split("\n")
    if len(lines) > MAX_SHOWN_LINES:
        more = text.count("\n") + 1 - MAX_SHOWN_LINES
        shown = "\n".join(lines[:MAX_SHOWN_LINES]) + f"\n… ({more:,} more lines)"
    return shown


def cell(text: str | None, style: str = "") -> Text:
    """A table cell: literal text, one line, cut with an ellipsis."""
    return Text(one_line(text or ""), style=style, no_wrap=True, overflow="ellipsis")


def natural_time(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "—"
    return humanize.naturaltime(now - when)


def size_text(media: Media) -> str:
    """Dimensions for pictures, bytes for files, a duration for videos."""
    if media.image_width and media.image_height:
        return f"{media.image_width}×{media.image_height}"
    if media.size is not None:
        return humanize.naturalsize(media.size)
    if media.oembed_duration:
        minutes, seconds = divmod(int(media.oembed_duration), 60)
        return f"{minutes}:{seconds:02d}"
    return "—"


def host_of(media: Media) -> str:
    for url in (media.url, media.image, media.oembed_url):
        if url:
            try:
                return urlsplit(url).hostname or ""
            except ValueError:
                return ""
    return ""


def media_label(media: Media, width: int = 60) -> Text:
    """`#12 image “Title”` for dialogs: literal, one line, cut to width."""
    title = one_line(media.display_title)
    if len(title) > width:
        title = title[: width - 1] + "…"
    return Text.assemble((f"#{media.id} ", "bold"), (f"{media.type or '?'} ", "italic"), title)

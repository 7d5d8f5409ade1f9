"""A one-line Input that never passes a control character to the terminal (its value is untouched).

Textual's Input draws its value as it is: markup stays literal, but an ESC, a C1
control (U+009B is a one-character CSI) or a bidi override in a value reaches the
terminal raw. Server values and file names are put into inputs, so here every such
character is drawn as one visible stand-in (␛ for ESC, ⏎ for a line break, � for C1
and bidi controls). Apart from form_fields (TextArea and the form's rows), so that
the list, whose search box is one, does not load TextArea before its first frame.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip
from textual.widgets import Input

from mediatui.sanitize import LINE_BREAK, inert, is_inert


def visible(text: str) -> str:
    """`text` with each unsafe character replaced by one visible character (the length stays the same)."""
    if is_inert(text):
        return text
    out = []
    for ch in text:
        if is_inert(ch):
            out.append(ch)
        elif ch in "\n\u2028\u2029":
            out.append(LINE_BREAK)
        else:
            picture = inert(ch)
            out.append(picture if len(picture) == 1 else "\ufffd")
    return "".join(out)


class _VisibleControls(Highlighter):
    def highlight(self, text: Text) -> None:
        shown = visible(text.plain)
        if shown != text.plain:
            text.plain = shown


class InertInput(Input):
    """An Input whose drawing is always safe for the terminal (its value is untouched).

    The completion suggestion (a file name, say) is drawn after the value without the highlighter,
    so every line is checked as it is drawn, too.
    """

    def __init__(self, value: str = "", **kw: object) -> None:
        kw.setdefault("compact", True)
        # Focus never selects the text: a key typed next (of a burst, or a Down meant for a list) would replace
        # a title or a URL by itself. The cursor waits at the end; ctrl+u clears what is before it.
        kw.setdefault("select_on_focus", False)
        super().__init__(value, highlighter=_VisibleControls(), **kw)  # type: ignore[arg-type]

    def render_line(self, y: int) -> Strip:
        return visible_strip(super().render_line(y))


def visible_strip(strip: Strip) -> Strip:
    """The same line with every unsafe character drawn as one visible stand-in."""
    if all(is_inert(segment.text) for segment in strip):
        return strip
    width = strip.cell_length
    shown = Strip([Segment(visible(s.text), s.style, s.control) for s in strip])
    return shown.crop(0, width)

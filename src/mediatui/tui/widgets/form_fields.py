"""The form's widgets: inputs that never pass a control character to the terminal, and one row per field.

Textual's Input and TextArea draw their value as it is: markup stays literal,
but an ESC, a C1 control (U+009B is a one-character CSI) or a bidi override
in a value reaches the terminal raw. A server value is put into these fields
for editing, so here every such character is drawn as one visible stand-in
(␛ for ESC, ⏎ for a line break, � for C1 and bidi controls). Only the
drawing changes: the value itself is kept and sent exactly as it is.
"""

from __future__ import annotations

from rich.highlighter import Highlighter
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Input, Static, TextArea

from mediatui.sanitize import LINE_BREAK, inert, is_inert

LABEL_WIDTH = 21


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
        super().__init__(value, highlighter=_VisibleControls(), **kw)  # type: ignore[arg-type]

    def render_line(self, y: int) -> Strip:
        return _visible_strip(super().render_line(y))


class InertTextArea(TextArea):
    """A TextArea whose lines are drawn with every control character made visible."""

    def __init__(self, text: str = "", **kw: object) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", compact=True, **kw)  # type: ignore[arg-type]

    def render_line(self, y: int) -> Strip:
        return _visible_strip(super().render_line(y))


def _visible_strip(strip: Strip) -> Strip:
    """The same line with every unsafe character drawn as one visible stand-in."""
    if all(is_inert(segment.text) for segment in strip):
        return strip
    width = strip.cell_length
    shown = Strip([Segment(visible(s.text), s.style, s.control) for s in strip])
    return shown.crop(0, width)


class NullMark(Static):
    """`null` beside a field whose value is null; a click toggles it (ctrl+n does from the keyboard)."""

    class Toggled(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, field_name: str) -> None:
        super().__init__(id=f"null-{field_name}", classes="null-mark")
        self.field_name = field_name

    def show(self, is_null: bool) -> None:
        self.update(Text("null", style="bold") if is_null else Text("·null", style="dim"))
        self.set_class(is_null, "-null")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Toggled(self.field_name))


class FieldRow(Vertical):
    """A label, the editor, the null mark (for fields that may be null), and the server's error under it."""

    def __init__(self, name: str, editor: object, *, nullable: bool, label: str | None = None) -> None:
        super().__init__(id=f"row-{name}", classes="field-row")
        self.field_name = name
        self.editor = editor
        self.nullable = nullable
        self.label = label or name

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-line"):
            yield Static(Text(self.label), classes="field-label")
            yield self.editor  # type: ignore[misc]
            if self.nullable:
                yield NullMark(self.field_name)
            else:
                yield Static(classes="null-mark")
        yield Static(id=f"err-{self.field_name}", classes="field-error")

    def on_mount(self) -> None:
        self.query_one(".field-error").display = False

    def show_error(self, messages: list[str]) -> None:
        error = self.query_one(".field-error", Static)
        error.update(Text("\n".join(inert(m, limit=300) for m in messages)))
        error.display = bool(messages)


class FactsPanel(Static, can_focus=True):
    """The read-only facts; focusable so that tab reaches (and scrolls to) them too."""

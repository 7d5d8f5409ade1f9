"""The form's widgets: a TextArea that never passes a control character to the terminal, and one row per field.

Textual's TextArea draws its text as it is; a server value is put into these
fields for editing, so every unsafe character is drawn as one visible stand-in,
as InertInput does (widgets/inert_input.py, re-exported here). Only the drawing
changes: the value itself is kept and sent exactly as it is.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Static, Switch, TextArea

from mediatui.sanitize import inert
from mediatui.tui.widgets.inert_input import InertInput, visible_strip

LABEL_WIDTH = 21


class InertTextArea(TextArea):
    """A TextArea whose lines are drawn with every control character made visible."""

    def __init__(self, text: str = "", **kw: object) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", compact=True, **kw)  # type: ignore[arg-type]

    def render_line(self, y: int) -> Strip:
        return visible_strip(super().render_line(y))


class NullMark(Static):
    """`null` beside a field whose value is null; a click toggles it (ctrl+n does from the keyboard)."""

    class Toggled(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, field_name: str, is_null: bool) -> None:
        """Drawn as it starts: an update once mounted would lay the whole form out again."""
        super().__init__(
            self._said(is_null), id=f"null-{field_name}", classes="null-mark -null" if is_null else "null-mark"
        )
        self.field_name = field_name
        self._shown = is_null

    @staticmethod
    def _said(is_null: bool) -> Text:
        return Text("null", style="bold") if is_null else Text("·null", style="dim")

    def show(self, is_null: bool) -> None:
        """Called on every key typed into the field: an update lays the whole form out again (~12 ms a key)."""
        if is_null is self._shown:
            return
        self._shown = is_null
        self.update(self._said(is_null))
        self.set_class(is_null, "-null")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Toggled(self.field_name))


class FieldRow(Vertical):
    """A label, the editor, the null mark (for fields that may be null), and the server's error under it.

    One grid (mediatui.tcss: label, editor and mark in a line, the error spanning the line under them) rather
    than a line container in a column, and the error line mounted only when a first error comes (most forms
    never show one): every widget on the form costs each layout (one per key typed) and each frame.
    """

    def __init__(
        self, name: str, editor: object, *, nullable: bool, is_null: bool = False, label: str | None = None
    ) -> None:
        # A switch is as wide as it is, and its null mark right after it (the grid's middle column fits it).
        switch = isinstance(editor, (Switch, SaidSwitch))
        super().__init__(id=f"row-{name}", classes="field-row -switch" if switch else "field-row")
        self.field_name = name
        self.editor = editor
        self.nullable = nullable
        self.is_null = is_null  # as the field starts
        self.label = label or name
        self._errors: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(Text(self.label), classes="field-label")
        yield self.editor  # type: ignore[misc]
        if self.nullable:
            yield NullMark(self.field_name, self.is_null)
        else:
            yield Static(classes="null-mark")

    def show_error(self, messages: list[str]) -> None:
        """Unchanged errors are left as they are: an update lays the whole form out again."""
        if messages == self._errors:
            return
        self._errors = list(messages)
        text = Text("\n".join(inert(m, limit=300) for m in messages))
        shown = self.query(".field-error").results(Static)
        error = next(shown, None)
        if error is None:
            self.mount(Static(text, id=f"err-{self.field_name}", classes="field-error"))
            return
        error.update(text)
        error.display = bool(messages)


class SaidSwitch(Horizontal):
    """A switch with "on" or "off" beside it: without colour (NO_COLOR, a 16-colour terminal's greys) a switch's
    knob alone cannot be read."""

    DEFAULT_CSS = """
    SaidSwitch { width: auto; height: auto; }
    SaidSwitch > .switch-said { width: 4; padding: 1 0 0 1; }
    """

    def __init__(self, value: bool, *, switch_id: str) -> None:
        super().__init__()
        self._switch = Switch(value, id=switch_id, animate=False)

    def compose(self) -> ComposeResult:
        yield self._switch
        yield Static(self._said(self._switch.value), classes="switch-said")

    @staticmethod
    def _said(value: bool) -> Text:
        return Text("on" if value else "off", style="bold" if value else "")

    @on(Switch.Changed)
    def _changed(self, event: Switch.Changed) -> None:
        self.query_one(".switch-said", Static).update(self._said(event.value))


class FactsPanel(Static, can_focus=True):
    """The read-only facts; focusable so that tab reaches (and scrolls to) them too."""


__all__ = ["FactsPanel", "FieldRow", "InertInput", "InertTextArea", "LABEL_WIDTH", "NullMark", "SaidSwitch"]

"""The edit form's fields: an editor widget per field kind, the read-only facts, placeholders that say null.

Values are held raw in the widgets, which draw control characters visibly; every label and prompt is inert
Text. Kept apart from the screen (edit_form_screen.py), which wires saving and keys.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Select, Switch

from mediatui.api import Media
from mediatui.media.edits import Draft, FieldSpec, Kind, shown
from mediatui.sanitize import inert
from mediatui.tui.widgets.form_fields import InertInput, InertTextArea

PUT_SWITCH = "f-put"


def field_name(widget: Widget | None) -> str | None:
    """The media field a form widget edits (its id is `f-<field>`)."""
    if widget is None or not widget.id or not widget.id.startswith("f-") or widget.id == PUT_SWITCH:
        return None
    return widget.id[2:]


def choice_prompt(value: str, allowed: tuple[str, ...], spec: FieldSpec) -> Text:
    """A choice's prompt: literal Text; a value from the server that is not in the API's list says so."""
    if value in spec.choices:
        return Text(value)
    return Text.assemble(inert(value, limit=40), (" (from the server)", "italic"))


def field_editor(spec: FieldSpec, draft: Draft) -> Widget:
    """The widget that edits one field, holding the server's value (null shown as such)."""
    start = draft.start[spec.name]
    wid = f"f-{spec.name}"
    if spec.kind is Kind.CHOICE:
        allowed = draft.allowed(spec.name)
        options = [(choice_prompt(value, allowed, spec), value) for value in allowed]
        return Select(
            options,
            prompt="null",
            allow_blank=spec.nullable or start is None,
            value=Select.NULL if start is None else str(start),
            compact=True,
            id=wid,
        )
    if spec.kind is Kind.BOOL:
        return Switch(bool(start), id=wid, animate=False)
    if spec.kind is Kind.LONG_TEXT:
        return InertTextArea("" if start is None else str(start), placeholder=placeholder(spec, start), id=wid)
    return InertInput("" if start is None else str(start), placeholder=placeholder(spec, start), id=wid)


def facts_text(media: Media, specs: list[FieldSpec]) -> Text:
    """The read-only fields of a group, one per line."""
    out = Text()
    for spec in specs:
        out.append(f"{spec.name:<21}", style="bold")
        out.append(shown(_fact(media, spec.name), limit=80))
        out.append("  (read-only)\n", style="dim")
    out.rstrip()
    return out


def placeholder(spec: FieldSpec, entry: Any) -> str:
    """What an empty box says: null, or "" (empty) for text that is empty on purpose."""
    if entry is None:
        return "null"
    return '"" (empty)' if spec.kind in (Kind.TEXT, Kind.LONG_TEXT) else "null"


def _fact(media: Media, name: str) -> Any:
    value = getattr(media, name)
    return value.isoformat() if hasattr(value, "isoformat") else value

"""Small dialogs of the list screen: open by id, type filter, help."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from mediatui.api import MediaType
from mediatui.catalogue import parse_ids


class OpenIdsScreen(ModalScreen[list[int] | None]):
    """Asks for ids (`12, 15, 20-30`); bad input is explained before anything is sent."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="open"):
            yield Static(Text("Open media by id", style="bold"))
            yield Input(placeholder="12, 15, 20-30", id="ids")
            yield Static(Text("enter opens · escape cancels", style="dim"), id="ids-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            ids = parse_ids(event.value)
        except ValueError as exc:
            error = self.query_one("#ids-error", Static)
            error.update(Text(str(exc), style="bold red"))
            return
        self.dismiss(ids)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TypeFilterScreen(ModalScreen[str | None]):
    """Pick a type to show; "" means every type, None means no change."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        options = [Option(Text("every type"), id="")] + [Option(Text(t.value), id=t.value) for t in MediaType]
        with Vertical(id="dialog", classes="types"):
            yield Static(Text("Show media of type", style="bold"))
            yield OptionList(*options, id="types")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.get_option_index(self.current or "")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key of the screen it was opened from, and the app's."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.source = screen

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for key, description in key_help(self.source):
            table.add_row(Text(key), Text(description))
        with VerticalScroll(id="dialog", classes="help"):
            yield Static(Text("Keys", style="bold"))
            yield Static(table)
            yield Static(Text("Every action is also in the command palette (ctrl+p). escape closes.", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)


_FIXED = [
    ("↑ ↓ j k", "move"), ("PgUp PgDn", "page up / down"), ("g G", "first / last loaded"),
    ("enter", "focus the detail panel (escape returns)"),
]


def key_help(screen: Screen) -> list[tuple[str, str]]:
    rows = list(_FIXED)
    seen = {"j", "k", "g", "G", "escape"}
    for binding in [*screen.BINDINGS, *screen.app.BINDINGS]:
        if not isinstance(binding, Binding) or binding.key in seen:
            continue
        seen.add(binding.key)
        keys = binding.key.replace("question_mark", "?").replace("slash", "/").replace(",", " ")
        rows.append((keys, binding.description))
    return rows

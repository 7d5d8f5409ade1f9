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
from mediatui.media.catalogue import parse_ids
from mediatui.tui.widgets.form_fields import InertInput


class OpenIdsScreen(ModalScreen[list[int] | None]):
    """Asks for ids (`12, 15, 20-30`); bad input is explained before anything is sent."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="open"):
            yield Static(Text("Open media by id", style="bold"))
            yield InertInput(placeholder="12, #15, 20-30", id="ids", compact=False)
            yield Static(Text("enter opens · escape cancels", style="dim"), id="ids-error")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            ids = parse_ids(event.value.replace("#", " "))  # `#12` as the app shows ids
        except ValueError as exc:
            error = self.query_one("#ids-error", Static)
            error.update(Text(str(exc), style="bold red"))
            return
        self.dismiss(ids)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TypeList(OptionList):
    """The picker's list: j and k move like down and up, as in the list of media."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


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
            yield TypeList(*options, id="types")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.get_option_index(self.current or "")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key of the screen it was opened from, and the app's, in two columns: q shows at 80×24."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.source = screen

    def compose(self) -> ComposeResult:
        rows = key_help(self.source)
        half = (len(rows) + 1) // 2
        table = Table.grid(padding=(0, 1))
        for _ in range(2):
            table.add_column(style="bold", no_wrap=True)
            table.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        for left, right in zip(rows[:half], [*rows[half:], ("", "")], strict=False):
            table.add_row(Text(left[0]), Text(left[1]), Text(right[0]), Text(right[1]))
        with VerticalScroll(id="dialog", classes="help"):
            yield Static(Text("Keys", style="bold"))
            yield Static(table)
            yield Static(Text("Every action is also in the command palette (ctrl+p). escape closes.", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)


#: Keys the table handles itself, named as the palette names their bindings.
_MOVES = [
    ("↓ j  ↑ k", "Down / Up"),
    ("PgDn PgUp", "Page down / up"),
    ("g  G", "First / Last"),
    ("enter", "Into the detail (escape back)"),
]


def key_help(screen: Screen) -> list[tuple[str, str]]:
    """Quit and Help first, then moves, then the screen's keys, with the same names as the palette."""
    rows: list[tuple[str, str]] = []
    on_list = hasattr(type(screen), "table")
    seen = {"j", "k", "g", "G", "escape"} if on_list else set()  # on the list, the moves' rows name these
    bindings = [
        b
        for b in [*screen.app.BINDINGS, *screen.BINDINGS]
        if isinstance(b, Binding) and screen.check_action(b.action, ()) is not False
    ]  # a read-only profile hides changes
    first = [b for b in bindings if b.action in ("quit", "app.quit", "help")]
    for binding in [*first, None, *bindings]:
        if binding is None:
            rows += _MOVES if on_list else []
            continue
        if binding.key in seen or not binding.description:
            continue
        seen.add(binding.key)
        keys = binding.key.replace("question_mark", "?").replace("slash", "/").replace(",", " ")
        rows.append((keys, binding.description))
    rows.insert(2, ("ctrl+p", "Command palette"))
    return rows

"""`?` or F1: every key of the screen it was opened from, with the names the command palette gives them."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from mediatui.tui.widgets.keys_footer import full_name

DIALOG_MARGIN = 8  # columns of the terminal the help dialog's border and padding take (its width: 98%)
TWO_COLUMNS = 80  # terminal columns from which the keys are in two columns anyway, long names wrapped


class HelpModal(ModalScreen[None]):
    """Every key of the screen it was opened from, and the app's, in two columns: q shows at 80×24."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, screen: Screen, about: str = "") -> None:
        """`about`: words on the community shown, above the keys (the demo's: where its sandbox is, its token)."""
        super().__init__()
        self.source = screen
        self.about = about

    def compose(self) -> ComposeResult:
        rows = key_help(self.source)
        half = (len(rows) + 1) // 2
        parts = [rows[:half], rows[half:]]
        keys = [max((len(key) for key, _ in part), default=0) for part in parts]
        names = [max((len(name) for _, name in part), default=0) for part in parts]
        two_fit = keys[0] + names[0] + keys[1] + names[1] + 3 <= self.app.size.width - DIALOG_MARGIN
        # Two columns where both fit, or from 80 terminal columns on, a long name then wrapping (whole) in its
        # column so that 80x24 shows every key unscrolled; narrower, one column, scrolled. Never a name cut.
        pairs = 2 if two_fit or self.app.size.width >= TWO_COLUMNS else 1
        table = Table.grid(padding=(0, 1))
        for number in range(pairs):
            width = keys[number] if pairs == 2 else max(keys)
            table.add_column(style="bold", no_wrap=True, min_width=width)
            table.add_column(overflow="fold", ratio=1)  # a long name wraps in its column, whole
        if pairs == 2:
            for left, right in zip(rows[:half], [*rows[half:], ("", "")], strict=False):
                table.add_row(Text(left[0]), Text(left[1]), Text(right[0]), Text(right[1]))
        else:
            for key, name in rows:
                table.add_row(Text(key), Text(name))
        with VerticalScroll(id="dialog", classes="help") as dialog:
            dialog.border_title = "Keys"  # in the border, as the hint below: more lines for the keys at 80x24
            dialog.border_subtitle = "ctrl+p: every action by name · escape closes"
            yield Static(table)
            if self.about:  # after the keys: at 80x24 those fit unscrolled, and the demo's words follow
                yield Static(Text(self.about), id="about")

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
    on_list = bool(getattr(screen, "CURSOR_KEYS", ()))  # the list: its moves are the table's, named below
    seen = {"j", "k", "g", "G", "escape"} if on_list else set()  # on the list, the moves' rows name these
    bindings = [
        b
        for b in [*_app_bindings(screen), *screen.BINDINGS]
        if isinstance(b, Binding) and screen.check_action(b.action, ()) is not False
    ]  # a read-only profile hides changes
    first = sorted(  # Quit, then Help
        (b for b in bindings if b.action in ("quit", "app.quit", "help")), key=lambda b: b.action == "help"
    )
    for binding in [*first, None, *bindings]:
        if binding is None:
            rows += _MOVES if on_list else []
            continue
        if binding.key in seen or not binding.description:
            continue
        seen.add(binding.key)
        keys = binding.key.replace("question_mark", "?").replace("slash", "/").replace(",", " ")
        rows.append((keys, full_name(binding)))
    rows.insert(2, ("ctrl+p", "Command palette"))
    return rows


def _app_bindings(screen: Screen) -> list[Binding]:
    """The app's keys that this screen leaves to the app, one per action: `q` on the list, `ctrl+q` on a form
    (where the form takes `q`)."""
    own_keys = {key for b in screen.BINDINGS if isinstance(b, Binding) for key in b.key.split(",")}
    own_actions = {b.action.removeprefix("app.") for b in screen.BINDINGS if isinstance(b, Binding)}
    chosen: dict[str, Binding] = {}
    for binding in screen.app.BINDINGS:
        if not isinstance(binding, Binding) or binding.action in own_actions:
            continue
        if set(binding.key.split(",")) & own_keys:
            continue
        chosen.setdefault(binding.action, binding)
    return list(chosen.values())

"""`t` on the list: which type of media to show (every type, or one)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from mediatui.api import MediaType

MEDIA_TYPES = tuple(kind.value for kind in MediaType)


class TypeList(OptionList):
    """The picker's list: j and k move like down and up, as in the list of media."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]


class TypeFilterModal(ModalScreen[str | None]):
    """Pick a type to show; "" means every type, None means no change. The history's `t` picks an action alike
    (`kinds`, `title` and `every` name them)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        current: str | None,
        kinds: tuple[str, ...] = MEDIA_TYPES,
        title: str = "Show media of type",
        every: str = "every type",
    ) -> None:
        super().__init__()
        self.current = current
        self.kinds, self.heading, self.every = kinds, title, every

    def compose(self) -> ComposeResult:
        options = [Option(Text(self.every), id="")] + [Option(Text(kind), id=kind) for kind in self.kinds]
        with Vertical(id="dialog", classes="types"):
            yield Static(Text(self.heading, style="bold"))
            yield TypeList(*options, id="types")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.get_option_index(self.current or "")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")

    def action_cancel(self) -> None:
        self.dismiss(None)

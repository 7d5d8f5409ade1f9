"""`o` on the list: ids to open (`12, #15, 20-30`), bad input explained before anything is sent."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from mediatui.media.catalogue import parse_ids
from mediatui.tui.widgets.form_fields import InertInput


class OpenIdsModal(ModalScreen[list[int] | None]):
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

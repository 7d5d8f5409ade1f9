"""`enter` on a history record: what the change did, field by field (before → after), every value inert."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from mediatui._compat import UTC
from mediatui.media.edits import shown
from mediatui.media.history import Record, record_diff
from mediatui.sanitize import inert

VALUE_LIMIT = 300  # characters of a value shown; a column wraps it whole up to there


class RecordModal(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, record: Record) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        one = self.record
        at = one.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        media = f"#{one.media_id}" if one.media_id is not None else "no media"
        how = f" ({one.method})" if one.method else ""
        undoes = f", undoing record {one.undoes}" if one.undoes else ""
        heading = f"Record {one.id}: {one.action}{how} of {media}{undoes}"
        profile = f" · profile {inert(one.profile, limit=24)}" if one.profile else ""  # the header names the host
        about = f"{at}{profile} · {inert(one.said, limit=200)}"
        table = Table(box=None, padding=(0, 1), show_edge=False, expand=True)
        table.add_column("field", style="bold", no_wrap=True)
        table.add_column("before", overflow="fold", ratio=1)
        table.add_column("after", overflow="fold", ratio=1)
        changes = record_diff(one)
        for name, before, after in changes:
            table.add_row(
                Text(inert(name, limit=40)),
                *(self._value(value, side) for value, side in ((before, one.before), (after, one.after))),
            )
        with VerticalScroll(id="dialog", classes="record"):
            yield Static(Text(inert(heading, limit=200), style="bold"), id="question")
            yield Static(Text(about, style="dim"))
            yield Static(table if changes else Text("No field changed."), id="record-diff")
            yield Static(Text("escape closes", style="dim"), id="hint")

    @staticmethod
    def _value(value: object, side: dict[str, object] | None) -> Text:
        if side is None:
            return Text("—", style="dim")  # a create has no before, a delete no after
        return Text(shown(value, limit=VALUE_LIMIT))

    def action_close(self) -> None:
        self.dismiss(None)

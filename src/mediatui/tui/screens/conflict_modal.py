"""Another moderator changed a field this form changed too: three columns, and the moderator chooses.

Shown by the edit form when its read just before saving finds fields both
sides changed (mediatui.media.conflicts). Each row: the value when the form
opened, the server's value now, and yours. `t` keeps theirs for those fields
(the rest of the form is still sent), `m` uses yours, escape goes back to the
form with everything typed kept. Nothing is sent from here: the usual
confirmation follows a choice. `t` and `m` drop one side's work, so they count
only once the box has been drawn and the guard time has passed, as for every
question (keys already in flight do not answer it).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from mediatui.media.conflicts import Choice, Conflict
from mediatui.media.edits import shown
from mediatui.tui.guard_time import GuardTime
from mediatui.tui.screens.confirm_modal import GUARD

VALUE_LIMIT = 120  # characters of a value at most; a column wraps it (at 80 columns a title takes a few lines)


class ConflictModal(ModalScreen[Choice | None]):
    BINDINGS = [
        Binding("t", "choose('theirs')", "Keep theirs"),
        Binding("m", "choose('mine')", "Use mine"),
        Binding("escape,b", "back", "Back to the form"),
    ]

    def __init__(
        self,
        media_id: int,
        conflicts: list[Conflict],
        guard: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        *,
        question: str | None = None,
        headings: tuple[str, str, str] = ("when opened", "on the server now", "yours"),
        hint: str = "t keeps theirs · m uses yours (a confirmation follows) · escape: back to the form",
    ) -> None:
        """`question`, `headings` and `hint` name the three versions where they are not the form's (an undo's:
        what the edit left, the server's now, what it set back)."""
        super().__init__()
        self.media_id = media_id
        self.conflicts = conflicts
        self.guard_time = GuardTime(GUARD if guard is None else guard, clock)
        names = ", ".join(c.name for c in conflicts)
        self.question = question or f"#{media_id} changed on the server since you opened it: {names}"
        self.headings = headings
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm conflict"):
            yield Static(Text(self.question, style="bold"), id="question")
            with VerticalScroll(id="confirm-lines"):
                yield Static(self._table(), id="conflict-table")
            yield Static(Text(self.hint), id="hint")

    def _table(self) -> Table:
        table = Table(box=None, padding=(0, 1), show_edge=False, expand=True)
        table.add_column("field", style="bold", no_wrap=True)
        for heading in self.headings:
            table.add_column(heading, overflow="fold", ratio=1)  # wrapped, whole: values often differ at the end
        for conflict in self.conflicts:
            values = (conflict.base, conflict.theirs, conflict.mine)
            table.add_row(Text(conflict.name), *(Text(shown(v, limit=VALUE_LIMIT)) for v in values))
        return table

    def on_mount(self) -> None:
        self.call_after_refresh(self.guard_time.drawn)

    @property
    def armed(self) -> bool:
        """A `t` or `m` now is an answer to this box (drawn, and the guard time passed)."""
        return self.guard_time.armed

    def action_choose(self, choice: Choice) -> None:
        if not self.armed:
            self.query_one("#hint", Static).update(Text(f"{self.hint}  (too soon: press it again)"))
            return
        self.dismiss(choice)

    def action_back(self) -> None:
        self.dismiss(None)

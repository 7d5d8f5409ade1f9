"""A yes/no question for anything that sends or throws work away, safe against keys that arrive in bursts.

Over a laggy SSH link the keys typed after the one that opened a question can
arrive in the same read, before the question was ever on the screen: a `y`
meant for the list would answer it. So `y` counts only once the question has
been drawn and GUARD seconds have passed since; earlier it is ignored (and
the hint says so). `n` and escape always answer no at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from mediatui.sanitize import inert
from mediatui.tui.guard_time import GuardTime

GUARD = 0.3  # seconds between the question being drawn and a `y` that counts


class GuardedConfirm(ModalScreen[bool]):
    """Asks `question`, shows `lines` (made inert here), and answers True only for a `y` that came in time."""

    BINDINGS = [
        Binding("y", "yes", "Yes"),
        Binding("n,escape", "no", "No"),
    ]

    def __init__(
        self,
        question: str,
        lines: list[str],
        *,
        yes: str = "y: yes",
        no: str = "n or escape: no",
        danger: bool = False,
        guard: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.question = question
        self.lines = lines
        self.hint = f"{yes} · {no}"
        self.danger = danger
        self.guard_time = GuardTime(GUARD if guard is None else guard, clock)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="confirm -danger" if self.danger else "confirm"):
            yield Static(Text(inert(self.question, limit=200), style="bold"), id="question")
            with VerticalScroll(id="confirm-lines"):
                yield Static(Text("\n".join(inert(line, limit=200) for line in self.lines)), id="confirm-body")
            yield Static(Text(self.hint), id="hint")

    def on_mount(self) -> None:
        self.query_one("#confirm-lines").display = bool(self.lines)
        self.call_after_refresh(self.guard_time.drawn)

    @property
    def armed(self) -> bool:
        """A `y` now is an answer to this question (drawn, and the guard time passed)."""
        return self.guard_time.armed

    @property
    def drawn_at(self) -> float | None:
        return self.guard_time.drawn_at

    def action_yes(self) -> None:
        if not self.armed:
            self.query_one("#hint", Static).update(Text(f"{self.hint}  (too soon: press y again)"))
            return
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)

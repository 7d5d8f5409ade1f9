"""The palette's "Diagnose": the report of `mediatui doctor`, on the community shown, in a dialog.

The checks reach the network (one request, at most 15 s) and run a `tmux` command, so they run on a thread of
their own (tui/background.py) while the dialog says so; escape closes it at any time, and a report that comes
after is dropped with the dialog. Each line is the CLI's own, already inert; at 80x24 the dialog scrolls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from mediatui.sanitize import inert
from mediatui.tui import background

if TYPE_CHECKING:
    from mediatui.community.doctor import Report

log = logging.getLogger("mediatui.tui")


class DiagnoseModal(ModalScreen[None]):
    """`work` makes the report (on a worker thread); the app's `diagnosis()` gives it."""

    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, work: Callable[[], Report]) -> None:
        super().__init__()
        self.work = work
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        from mediatui.community.doctor import BUDGET

        with VerticalScroll(id="dialog", classes="diagnose") as dialog:
            dialog.border_title = "Diagnose"
            dialog.border_subtitle = "escape closes · mediatui doctor prints the same"
            yield Static(Text(f"Checking… (at most {BUDGET:.0f} s)", style="bold"), id="diagnose-summary")
            yield Static("", id="diagnose-lines")

    def on_mount(self) -> None:
        self.run_worker(self._diagnose(), exclusive=True, name="diagnose")

    async def _diagnose(self) -> None:
        try:
            report = await background.in_thread(self.work)
        except Exception as exc:  # noqa: BLE001 - a check that crashed: said, and in the log with its traceback
            log.error("the diagnosis failed", exc_info=exc)
            self.query_one("#diagnose-summary", Static).update(
                Text(f"The checks failed ({inert(type(exc).__name__)}): --log FILE has the details.", style="bold red")
            )
            return
        self.show(report)

    def show(self, report: Report) -> None:
        self.report = report
        wrong = sum(not check.ok for check in report.checks)
        summary = (
            Text("Everything is OK.", style="bold green")
            if not wrong
            else Text(f"{wrong} of {len(report.checks)} checks need a fix (!!).", style="bold red")
        )
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold", ratio=1)  # a long line wraps under itself, after its OK or !!
        for check, line in zip(report.checks, report.lines(), strict=True):
            mark = Text("OK", style="green") if check.ok else Text("!!", style="bold red")
            table.add_row(mark, Text(line[4:]))
        self.query_one("#diagnose-summary", Static).update(summary)
        self.query_one("#diagnose-lines", Static).update(table)

    def action_close(self) -> None:
        self.dismiss(None)

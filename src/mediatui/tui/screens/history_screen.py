"""`H` on the list: the history of the community shown, newest first; a record's diff; `U` undoes an edit.

Thin: the records and the undo rule are Textual-free (media/history.py,
media/history_undo.py). The file is read on a worker; the undo reads the
media again on a worker, shows a conflict as the edit form does (the
moderator settles it), then asks the guarded question with the change it will
send, and records the undo, linked to the record it undid. Read-only
profiles see the history but cannot undo (U is hidden and refused).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from mediatui.api import ApiError
from mediatui.community import Change
from mediatui.localdb import LocalDataError
from mediatui.media.history import ACTIONS, Record
from mediatui.sanitize import inert
from mediatui.tui import background
from mediatui.tui.background import in_thread
from mediatui.tui.formatting import natural_time
from mediatui.tui.textual_compat import Header
from mediatui.tui.widgets.inert_input import InertInput
from mediatui.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from mediatui.api import Media
    from mediatui.community import Community
    from mediatui.media.history_undo import UndoPlan
    from mediatui.tui.screens.browse_view import Severity

SHOWN = 500  # records listed at most (newest first); `/` and `t` narrow them
COLUMNS = (("#", 4), ("when", 14), ("action", 12), ("media", 6), ("title", 0), ("outcome", 8))  # 0: what is left


class HistoryScreen(Screen[None]):
    AUTO_FOCUS = "#history-table"
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help"),
        Binding("escape", "back", "Back to the list"),
        Binding("slash", "search", "Search"),
        Binding("t", "action_filter", "Action"),
        Binding("enter", "show", "Diff"),
        Binding("U", "undo", "Undo"),  # an edit set back, a delete restored
        Binding("j", "move(1)", "Down", show=False),  # as on the list
        Binding("k", "move(-1)", "Up", show=False),
        Binding("g,home", "move(-1000000)", "First", show=False),
        Binding("G,end", "move(1000000)", "Last", show=False),
    ]

    def __init__(
        self, community: Community, clock: Callable[[], datetime], changed: Callable[[], None] = lambda: None
    ) -> None:
        """`changed()`: an undo or a restore changed media (the list loads them again)."""
        super().__init__()
        self.community = community
        self.clock = clock
        self.changed = changed
        self.search: str | None = None
        self.action: str | None = None
        self.records: list[Record] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield InertInput(placeholder="search titles and ids — enter applies, escape leaves", id="history-search")
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=False)
        yield Static(id="history-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "mediatui · history"  # the sub-title names the community
        self.query_one("#history-search").display = False
        table = self.query_one(DataTable)
        for name, width in COLUMNS:
            table.add_column(name, width=width or self._title_width(self.app.size.width), key=name)
        self.load()

    @staticmethod
    def _title_width(columns: int) -> int:
        """The title takes what the other columns leave (each cell has a column of padding on either side)."""
        fixed = sum(width + 2 for _, width in COLUMNS if width) + 2 + 2  # the title's padding, the scrollbar
        return max(12, columns - fixed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A read-only profile sees the history but cannot undo: U is hidden, in the footer, F1 and the palette."""
        if action == "undo" and self.community.refusal(Change.UPDATE) is not None:  # CREATE too: a restore
            return False
        return True

    # -- the records ------------------------------------------------------------------

    @work(exclusive=True, group="history", exit_on_error=False)
    async def load(self) -> None:
        history = self.community.history
        try:
            records = await in_thread(lambda: history().records(action=self.action, search=self.search, limit=SHOWN))
        except Exception as exc:  # noqa: BLE001 - a file that cannot be read: said, never a crash
            self._status(f"the history cannot be read: {exc}")
            return
        self.records = records
        table = self.query_one(DataTable)
        table.clear()
        now = self.clock()
        for one in records:
            action = one.action + (f" {one.method}" if one.method and one.action == "update" else "")
            if one.undoes:
                action = f"undo ←{one.undoes}"
            style = "" if one.outcome == "done" else "red" if one.outcome == "failed" else "yellow"
            table.add_row(
                Text(str(one.id)),
                Text(natural_time(one.at, now)),
                Text(action),
                Text(f"#{one.media_id}" if one.media_id is not None else "—"),
                Text(inert(one.title or "", limit=200), no_wrap=True, overflow="ellipsis"),
                Text(inert(one.outcome), style=style),
                key=str(one.id),
            )
        self._status()

    def _status(self, note: str | None = None) -> None:
        count = len(self.records)
        parts = [f"{count} record{'s' if count != 1 else ''}" + (" (the newest)" if count >= SHOWN else "")]
        if self.search:
            parts.append(f"search “{inert(self.search, limit=40)}”")
        if self.action:
            parts.append(f"action {self.action}")
        parts.append(note or "enter: what changed · U undoes an edit or restores a delete")
        self.query_one("#history-status", Static).update(Text(inert(" · ".join(parts), limit=300)))

    @property
    def current(self) -> Record | None:
        table = self.query_one(DataTable)
        if not self.records or table.cursor_row is None or not 0 <= table.cursor_row < len(self.records):
            return None
        return self.records[table.cursor_row]

    # -- keys -------------------------------------------------------------------------

    def action_move(self, rows: int) -> None:
        table = self.query_one(DataTable)
        table.focus()
        table.move_cursor(row=min(max(0, table.cursor_row + rows), max(0, table.row_count - 1)))

    def action_search(self) -> None:
        box = self.query_one("#history-search", Input)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#history-search")
    def _searched(self, event: Input.Submitted) -> None:
        self.search = event.value.strip() or None
        event.input.display = bool(self.search)
        self.query_one(DataTable).focus()
        self.load()

    def action_action_filter(self) -> None:
        from mediatui.tui.screens.type_filter_modal import TypeFilterModal

        def chosen(kind: str | None) -> None:
            if kind is not None:
                self.action = kind or None
                self.load()

        dialog = TypeFilterModal(self.action, ACTIONS, "Show records of", "every action")
        self.app.push_screen(dialog, chosen)

    def action_back(self) -> None:
        """Escape: out of the search box first, then the search, then the action filter, then back to the list."""
        box = self.query_one("#history-search", Input)
        if box.has_focus:
            box.display = bool(self.search)
            self.query_one(DataTable).focus()
        elif self.search or self.action:
            if self.search:
                self.search, box.value, box.display = None, "", False
            else:
                self.action = None
            self.load()
        else:
            self.dismiss(None)

    @on(DataTable.RowSelected, "#history-table")
    def _selected(self) -> None:
        """enter on a row (the table takes enter before the screen's binding): its diff."""
        self.action_show()

    def action_show(self) -> None:
        from mediatui.tui.screens.history_record_modal import RecordModal

        record = self.current
        if record is not None:
            self.app.push_screen(RecordModal(record))

    def action_help(self) -> None:
        from mediatui.tui.screens.help_modal import HelpModal

        self.app.push_screen(HelpModal(self))

    # -- undo -------------------------------------------------------------------------

    def action_undo(self) -> None:
        """U: an edit set back; a delete restored (its file from the trash, or its JSON)."""
        record = self.current
        if record is not None and record.action == "delete":
            self._ask_restore(record)
        elif record is not None:
            self._undo(record, {})

    @work(exclusive=True, group="undo-plan", exit_on_error=False)
    async def _ask_restore(self, record: Record) -> None:
        from mediatui.community.restore import NotRestorable, check_restorable
        from mediatui.tui.screens.confirm_modal import GuardedConfirm

        community = self.community
        if community.refusal(Change.CREATE) is not None:
            self.notify("A read-only profile cannot restore.", markup=False)
            return
        try:
            said = await in_thread(check_restorable, community, record)
        except (NotRestorable, LocalDataError) as exc:
            self.notify(inert(str(exc), limit=300), markup=False, severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._restore(record)

        question = f"Restore #{record.media_id} (deleted, record {record.id})?"
        lines = [said, "The new media has a new id; its text fields are set back as they were."]
        self.app.push_screen(GuardedConfirm(question, lines, yes="y: restore", no="n or escape: leave it"), answered)

    def _restore(self, record: Record) -> None:
        """On a thread of its own (an upload can take a while, and this screen may close meanwhile)."""
        from mediatui.community.restore import NotRestorable, restore

        community, app, changed = self.community, self.app, self.changed
        self.notify(f"Restoring #{record.media_id}…", markup=False)

        def work() -> None:
            try:
                media, warning = restore(community, record)
            except (ApiError, NotRestorable, LocalDataError) as exc:
                why = exc.message if isinstance(exc, ApiError) else str(exc)
                app.call_from_thread(self._said, f"Not restored: {inert(why, limit=300)}", "error", None)
                return
            app.call_from_thread(self._said, f"Restored #{record.media_id} as #{media.id}.", "information", warning)
            app.call_from_thread(changed)

        background.start(work, name="mediatui-restore")

    @work(exclusive=True, group="undo-plan", exit_on_error=False)
    async def _undo(self, record: Record, chosen: dict[str, Any]) -> None:
        from mediatui.media.history_undo import NotUndoable, check_undoable, plan_undo
        from mediatui.media.saving import read_again

        community = self.community
        try:
            await in_thread(lambda: check_undoable(record, community.history().undone_by(record.id)))
            assert record.media_id is not None
            media_id = record.media_id
            now = await in_thread(lambda: read_again(community.client(), media_id))  # the client: made off the UI
        except NotUndoable as exc:
            self.notify(inert(str(exc), limit=300), markup=False)
            return
        except (ApiError, LocalDataError) as exc:
            why = exc.message if isinstance(exc, ApiError) else str(exc)
            self.notify(f"Not undone: {inert(why, limit=300)}", severity="error", markup=False)
            return
        plan = plan_undo(record, now, chosen)
        if plan.conflicts:
            self._settle(plan, chosen)
        elif not plan.body:
            self.notify(f"Nothing to undo: #{media_id} has the values from before record {record.id}.", markup=False)
        else:
            self._ask(plan, now)

    def _settle(self, plan: UndoPlan, chosen: dict[str, Any]) -> None:
        from mediatui.tui.screens.conflict_modal import ConflictModal

        record = plan.record
        assert record.media_id is not None
        names = ", ".join(c.name for c in plan.conflicts)

        def settled(choice: str | None) -> None:
            if choice is not None:
                self._undo(record, {**chosen, **{c.name: choice for c in plan.conflicts}})

        self.app.push_screen(
            ConflictModal(
                record.media_id,
                plan.conflicts,
                question=f"#{record.media_id} changed again since record {record.id}: {names}",
                headings=("the edit left", "on the server now", "before the edit"),
                hint="t keeps the server's · m sets it back anyway (a confirmation follows) · escape: no undo",
            ),
            settled,
        )

    def _ask(self, plan: UndoPlan, seen: Media) -> None:
        from mediatui.tui.screens.confirm_modal import GuardedConfirm

        record = plan.record

        def answered(yes: bool | None) -> None:
            if yes:
                self._send(plan, seen)

        question = f"Undo record {record.id}: set back {len(plan.changes)} field(s) of #{record.media_id} (PATCH)?"
        lines = [change.line() for change in plan.changes]
        self.app.push_screen(GuardedConfirm(question, lines, yes="y: undo", no="n or escape: keep"), answered)

    def _send(self, plan: UndoPlan, seen: Media) -> None:
        """After y, on a thread of its own (escape may close this screen meanwhile: the write and its record
        still end): the media read again, and nothing sent when it moved since the question showed it (asked
        again with what it is now); then the PATCH, and the undo recorded, linked to the record it undid."""
        from mediatui.media.conflicts import unchanged_since
        from mediatui.media.history import failure_fields
        from mediatui.media.saving import read_again, save

        record, community, app, changed = plan.record, self.community, self.app, self.changed
        assert record.media_id is not None
        media_id = record.media_id

        def work() -> None:
            try:
                again = read_again(community.client(), media_id)
            except ApiError as exc:
                app.call_from_thread(self._said, f"Not undone: {inert(exc.message, limit=300)}", "error", None)
                return
            if unchanged_since(seen, again):
                app.call_from_thread(self._moved, record)
                return
            try:
                answer = save(community.client(), media_id, plan.body)
            except ApiError as exc:
                said, severity = f"Not undone: {inert(exc.message, limit=300)}", "error"
                fields = {"before": again.to_json(), **failure_fields(exc)}
            else:
                said, severity = f"Undone: #{media_id} set back as before record {record.id}.", "information"
                fields = {"before": again.to_json(), "after": answer.to_json()}
                app.call_from_thread(changed)  # the list shows what the media is now
            warning = community.record("undo", media_id, method="PATCH", undoes=record.id, **fields)
            app.call_from_thread(self._said, said, severity, warning)

        background.start(work, name="mediatui-undo")

    def _said(self, said: str, severity: Severity, warning: str | None) -> None:
        self.app.notify(said, severity=severity, markup=False)
        if warning:
            self.app.notify(inert(warning, limit=300), severity="warning", markup=False)
        if self.is_mounted:
            self.load()

    def _moved(self, record: Record) -> None:
        self.app.notify(f"#{record.media_id} changed while you were asked: nothing sent; look again.", markup=False)
        if self.is_mounted:
            self._undo(record, {})

"""The list screen's view of the list: the search, the type filter, and escape undoing them one step at a time;
the rows pinned by `o` and `x` that unpins one.

A part of the list screen (browse_screen.py), handed the screen as its outline (browse_view.ListScreenView),
as page loading and the operations on media are. Each change of the view reloads the list, and the keys typed
after it wait for its rows (`/night⏎jjj`: the j are for the night rows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widgets import Input

from mediatui.media.listing import Filter
from mediatui.sanitize import inert
from mediatui.tui.background import in_thread
from mediatui.tui.screens.browse_operations import OPEN_HOLD

if TYPE_CHECKING:
    from mediatui.tui.screens.browse_view import ListScreenView, Severity

MINE_HOLD = 5.0  # seconds keys typed after `m` wait for its rows (two local files, and a few GETs at most)


class ViewFilters:
    def __init__(self, view: ListScreenView, reload: Callable[[], None]) -> None:
        self.view = view
        self._reload = reload
        self._finding = False  # `m` is reading which uploads are this machine's

    def back(self, search_boxes: list[Input]) -> None:
        """Escape: first back to the table; then, pressed again, the view undone one step at a time (the search,
        the type filter, my uploads, the pinned rows), and the status line says what it cleared."""
        view = self.view
        on_table = view.table.has_focus
        for search in search_boxes:
            if search.has_focus and not search.value:
                search.display = False
        view.set_focus(view.table)
        step = view.state.undo_step(len(view.table.pinned.ids)) if on_table else None  # hidden ones too
        if step is None:
            return
        where, said = step
        if where is None:
            view.table.pinned.keep(())  # the reload keeps no pinned row
        else:
            view.state.filter(where)
            if where.search is None:
                for search in search_boxes:
                    search.value, search.display = "", False
        self.reload_for_keys()
        view.say(said)

    def searched(self, box: Input, text: str) -> None:
        term = text.strip() or None
        box.display = bool(term)
        where = self.view.state.where
        self.view.state.filter(Filter(where.type, term, where.mine))
        self.view.set_focus(self.view.table)  # at once: the next key of the same burst is for the list
        self.reload_for_keys()

    def reload_for_keys(self) -> None:
        """A new filter: keys typed after it (`/night⏎jjj`) are for its rows, so they wait for them."""
        view = self.view
        self._reload()
        view.context.keys.hold_keys(
            lambda: None if view.state.fetching else view.table, timeout=OPEN_HOLD, late="still loading"
        )

    def type_filter(self) -> None:
        from mediatui.tui.screens.type_filter_modal import TypeFilterModal

        view = self.view

        def chosen(kind: str | None) -> None:
            if kind is not None:
                view.state.filter(Filter(kind or None, view.state.where.search, view.state.where.mine))
                self.reload_for_keys()

        dialog = TypeFilterModal(view.state.where.type)
        view.context.keys.hold_keys(lambda: dialog.focused if dialog.is_current and dialog.focused else None)
        view.app.push_screen(dialog, chosen)

    def mine(self) -> None:
        """`m`: only the media this machine uploaded to this community, or (pressed again) every media again.
        Keys typed after `m` are for its rows: they wait (escape passes: it ends the wait, as for `o`)."""
        view = self.view
        where = view.state.where
        if where.mine is not None:
            view.state.filter(Filter(where.type, where.search))
            self.reload_for_keys()
            view.say("my uploads filter off")
            return
        self._finding = True
        view.context.keys.hold_keys(
            lambda: None if self._finding else view.table, timeout=MINE_HOLD, late="still finding your uploads"
        )
        view.say("finding your uploads…")
        view.run_worker(self._mine, group="mine", exclusive=True, exit_on_error=False)

    async def _mine(self) -> None:
        from mediatui.localdb import LocalDataError

        view = self.view
        listing = view.state.listing
        try:
            ids = await in_thread(view.context.community.my_upload_ids)  # two local files: never on the UI thread
            failed = await in_thread(listing.fetch_mine, ids) if listing is not None and ids else []
        except LocalDataError as exc:
            self._found_none(f"Your uploads cannot be read: {inert(str(exc), limit=200)}", "error")
            return
        if not ids:
            self._found_none("No uploads from this machine to this community yet (u uploads).", "information")
            return
        self._finding = False
        where = view.state.where
        view.state.filter(Filter(where.type, where.search, ids))
        self.reload_for_keys()
        said = "my uploads from here · escape or m shows every media"
        if failed:
            said = f"{said} · {len(failed)} could not be fetched: {inert(failed[0][1], limit=80)}"
        view.say(said)

    def _found_none(self, text: str, severity: Severity) -> None:
        """`m` found nothing to show: the keys typed after it were for rows that do not come (dropped)."""
        self._finding = False
        self.view.context.keys.drop_held_keys("no uploads to show")
        self.view.state.moved()  # "finding your uploads…" is over
        self.view.render_status()
        self.view.notify(text, severity=severity, markup=False)

    def unpin(self) -> None:
        """`x`: the row opened with `o` under the cursor leaves the top; a row no page holds leaves the list."""
        view = self.view
        media = view.table.current
        if media is None or media.id is None or media.id not in view.table.pinned:
            view.notify("x unpins a row opened with o; this one is not.", markup=False)
            return
        view.table.unpin(media.id, view.state.paging.ids)
        view.say(f"#{media.id} unpinned")

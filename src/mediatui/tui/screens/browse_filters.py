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
    from mediatui.tui.screens.browse_view import ListScreenView


class ViewFilters:
    def __init__(self, view: ListScreenView, reload: Callable[[], None]) -> None:
        self.view = view
        self._reload = reload

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
        """`m`: only the media this machine uploaded to this community, or (pressed again) every media again."""
        view = self.view
        where = view.state.where
        if where.mine is not None:
            view.state.filter(Filter(where.type, where.search))
            self.reload_for_keys()
            view.say("my uploads filter off")
            return
        view.run_worker(self._mine, group="mine", exclusive=True, exit_on_error=False)

    async def _mine(self) -> None:
        from mediatui.localdb import LocalDataError

        view = self.view
        try:
            ids = await in_thread(view.context.community.my_upload_ids)  # two local files: never on the UI thread
        except LocalDataError as exc:
            view.notify(f"Your uploads cannot be read: {inert(str(exc), limit=200)}", severity="error", markup=False)
            return
        if not ids:
            view.notify("No uploads from this machine to this community yet (u uploads).", markup=False)
            return
        where = view.state.where
        view.state.filter(Filter(where.type, where.search, ids))
        self.reload_for_keys()
        view.say(f"my uploads from here: {len(ids)} · escape or m shows every media")

    def unpin(self) -> None:
        """`x`: the row opened with `o` under the cursor leaves the top; a row no page holds leaves the list."""
        view = self.view
        media = view.table.current
        if media is None or media.id is None or media.id not in view.table.pinned:
            view.notify("x unpins a row opened with o; this one is not.", markup=False)
            return
        view.table.unpin(media.id, view.state.paging.ids)
        view.say(f"#{media.id} unpinned")

"""The list screen's operations on media: delete (one or marked), open by id, refresh one.

A mixin of BrowseScreen, split out by concern. Deletions reach the page
bookkeeping as the server confirms each one, not when the dialog closes, so a
page that loads meanwhile is asked from the right offset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from mediatui.api import Media
from mediatui.media.listing import CATALOGUE
from mediatui.media.paging import nearest
from mediatui.tui.background import in_thread
from mediatui.tui.wording import short

OPEN_HOLD = 0.8  # seconds keys typed after `o`'s ids wait for them to open (then dropped; q quits within ~1 s)

if TYPE_CHECKING:
    from mediatui.tui.screens.browse_base import ListScreenBase
    from mediatui.tui.screens.delete import DeleteOutcome

    _Base = ListScreenBase
else:
    _Base = object


class OpsMixin(_Base):
    # -- deleting -------------------------------------------------------------------

    def action_delete(self) -> None:
        media = self.table.current
        if media is not None:
            self._confirm_delete([media])

    def action_delete_marked(self) -> None:
        marked = list(self.marks.media.values())
        if not marked:
            self.notify("Mark media with space first, then press D.", markup=False)
            return
        self._confirm_delete(marked)

    def _confirm_delete(self, media: list[Media]) -> None:
        from mediatui.tui.screens.delete import DeleteScreen

        if self.listing is not None:
            self.app.push_screen(DeleteScreen(media, self.listing.delete, on_confirmed=self._confirmed), self._deleted)

    def _confirmed(self, outcome: DeleteOutcome) -> None:
        """One deletion the server confirmed (204, or 404: already gone): the offsets move now."""
        if outcome.removed:
            self.paging.deleted(outcome.media_id)
            self.marks.discard(outcome.media_id)

    def _deleted(self, outcomes: list[DeleteOutcome] | None) -> None:
        """Rows leave the table only for confirmed deletions; the cursor stays on its media, or the nearest."""
        removed = {o.media_id for o in outcomes or [] if o.removed}
        table = self.table
        current = table.current
        order = [int(row.key.value) for row in table.ordered_rows if row.key.value]
        target = nearest(order, current.id if current else None, removed)
        for media_id in removed:
            table.remove_media(media_id)
        if target is not None:
            table.move_to(target)
        self._show_current()
        self._render_status()

    # -- opening by id ----------------------------------------------------------------

    def action_open_ids(self) -> None:
        from mediatui.tui.screens.dialogs import OpenIdsScreen

        def chosen(ids: list[int] | None) -> None:
            if ids and self.listing is not None:
                self.note = f"opening {len(ids)} media…"
                self._render_status()
                opening = self._open(ids)
                # `o30⏎d` in one read: d is for #30, so the keys after ⏎ wait for it; on a slow server they are
                # dropped rather than let act on the row that is current meanwhile (q still quits)
                self.app.keys.hold_keys(
                    lambda: self.table if opening.is_finished else None, timeout=OPEN_HOLD, late="still opening"
                )

        dialog = OpenIdsScreen()
        self.app.keys.hold_keys(lambda: dialog.focused if dialog.is_current and dialog.focused else None)
        self.app.push_screen(dialog, chosen)

    @work(group="open", exit_on_error=False)
    async def _open(self, ids: list[int]) -> None:
        assert self.listing is not None
        try:
            found, missing, failed = await in_thread(self.listing.open_ids, ids)
        except Exception as exc:  # noqa: BLE001 - say it, go on
            self.note = f"opening failed: {short(exc)}"
            self._render_status()
            self.app.keys.drop_held_keys("opening failed")  # `o30⏎d`: d was for #30, never for the row shown
            return
        parts = [f"opened {len(found)}"]
        if missing:
            parts.append(f"{len(missing)} not found ({', '.join(map(str, missing[:5]))})")
        if failed:
            parts.append(f"{len(failed)} failed: {short_reason(failed[0][1])}")
        self.note = ", ".join(parts)
        if found:
            self.table.pin(found)  # all of them visible, and the first one current
            self.table.move_to(found[0].id or 0)
            self._show_current()
        else:
            self.app.keys.drop_held_keys("nothing opened")  # `o999⏎d`: d was for #999, never for the row shown
        self._render_status()

    # -- catalogue entries are refreshed when shown ----------------------------------

    @work(exclusive=True, group="refresh", exit_on_error=False)
    async def _refresh_one(self, media_id: int) -> None:
        """GET the shown entry; 404 marks it gone. A failed refresh keeps what is shown."""
        assert self.listing is not None
        try:
            media = await in_thread(self.listing.refresh, media_id)
        except Exception:  # noqa: BLE001
            return
        if media is not None:
            self.table.replace_media(media)
        self.table.set_flags(media_id, gone=media is None)
        current = self.table.current
        if current is not None and current.id == media_id and self.listing.mode == CATALOGUE:
            self.detail.show(current, self.app.clock(), gone=media is None)


def short_reason(text: str) -> str:
    from mediatui.sanitize import inert

    return inert(text, limit=80)

"""The list screen's operations on media: delete (one or marked), open by id, refresh one, edit, create.

A part of the list screen (its `operations`). Deletions reach the page
bookkeeping as the server confirms each one, not when the dialog closes, so a
page that loads meanwhile is asked from the right offset. After a save the row
and the detail panel show the server's answer; after a create the list
reloads, newest first, so the new media is the top row (the form has already
put the answer into the catalogue, from its worker).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from mediatui.api import Media
from mediatui.media.deleting import history_fields
from mediatui.media.edits import not_editable
from mediatui.media.listing import CATALOGUE
from mediatui.media.paging import nearest
from mediatui.sanitize import inert
from mediatui.tui import background
from mediatui.tui.background import in_thread
from mediatui.tui.wording import short

if TYPE_CHECKING:
    from mediatui.media.deleting import DeleteOutcome
    from mediatui.tui.screens.browse_view import ListScreenView
    from mediatui.tui.screens.form_screen import FormResult, FormScreen

OPEN_HOLD = 0.8  # seconds keys typed after `o`'s ids wait for them to open (then dropped; q quits within ~1 s)


class MediaOperations:
    """`reload()` starts the list over (after a create)."""

    def __init__(self, view: ListScreenView, reload: Callable[[], None]) -> None:
        self.view = view
        self.reload = reload

    # -- deleting -------------------------------------------------------------------

    def delete(self, media: list[Media]) -> None:
        from mediatui.tui.screens.delete_modal import DeleteModal

        listing = self.view.state.listing
        if listing is not None and media:
            shown = {m.id: m.to_json() for m in media}  # what each was, for the history
            community = self.view.context.community
            dialog = DeleteModal(
                media,
                listing.delete,
                on_confirmed=lambda outcome: self._confirmed(outcome, shown),
                keep=community.keep_before_delete if community.trash_on else None,
            )
            self.view.app.push_screen(dialog, self._deleted)

    def _confirmed(self, outcome: DeleteOutcome, shown: dict[int | None, dict[str, Any]]) -> None:
        """One deletion answered: recorded in the history (a worker); one the server confirmed (204, or 404:
        already gone) moves the offsets now."""
        fields = history_fields(outcome, shown.get(outcome.media_id))
        if fields is not None:
            background.start(self._record, "delete", outcome.media_id, fields, name="mediatui-history")
        if outcome.removed:
            self.view.state.deleted(outcome.media_id)
            self.view.context.connected(True)  # the server answered (after retries, the header said otherwise)

    def _record(self, action: str, media_id: int, fields: dict[str, Any]) -> None:
        """On a worker: into the community's history; a failure to record is a warning toast."""
        warning = self.view.context.community.record(action, media_id, **fields)
        if warning:
            self.view.app.call_from_thread(
                self.view.notify, inert(warning, limit=300), severity="warning", markup=False
            )

    def _deleted(self, outcomes: list[DeleteOutcome] | None) -> None:
        """Rows leave the table only for confirmed deletions; the cursor stays on its media, or the nearest."""
        removed = {o.media_id for o in outcomes or [] if o.removed}
        table = self.view.table
        current = table.current
        order = [int(row.key.value) for row in table.ordered_rows if row.key.value]
        target = nearest(order, current.id if current else None, removed)
        for media_id in removed:
            table.remove_media(media_id)
        if target is not None:
            table.move_to(target)
        self.view.show_current()
        self.view.render_status()

    # -- opening by id ----------------------------------------------------------------

    def open_ids(self) -> None:
        from mediatui.tui.screens.open_ids_modal import OpenIdsModal

        view, keys = self.view, self.view.context.keys

        def chosen(ids: list[int] | None) -> None:
            if ids and view.state.listing is not None:
                view.state.note = f"opening {len(ids)} media…"
                view.render_status()
                opening = view.run_worker(partial(self._open, ids), group="open", exit_on_error=False)
                # `o30⏎d` in one read: d is for #30, so the keys after ⏎ wait for it; on a slow server they are
                # dropped rather than let act on the row that is current meanwhile (q still quits)
                keys.hold_keys(
                    lambda: view.table if opening.is_finished else None, timeout=OPEN_HOLD, late="still opening"
                )

        dialog = OpenIdsModal()
        keys.hold_keys(lambda: dialog.focused if dialog.is_current and dialog.focused else None)
        self.view.app.push_screen(dialog, chosen)

    async def _open(self, ids: list[int]) -> None:
        view = self.view
        listing = view.state.listing
        assert listing is not None
        try:
            found, missing, failed = await in_thread(listing.open_ids, ids)
        except Exception as exc:  # noqa: BLE001 - say it, go on
            view.state.note = None
            view.say(f"opening failed: {short(exc)}")
            view.render_status()
            view.context.keys.drop_held_keys("opening failed")  # `o30⏎d`: d was for #30, never for the row shown
            return
        parts = [f"opened {len(found)}"]
        if missing:
            parts.append(f"{len(missing)} not found ({', '.join(map(str, missing[:5]))})")
        if failed:
            parts.append(f"{len(failed)} failed: {inert(failed[0][1], limit=80)}")
        where = view.state.where
        hidden = [(m.id, where.hides(m)) for m in found if where.hides(m)]
        if hidden:  # pinned, but the filter hides it: said, with how to see it
            media_id, what = hidden[0]
            active = sum((bool(where.search), bool(where.type), where.mine is not None))
            clears = "escape clears it" if active == 1 else "escape clears the filters one at a time"
            parts = [f"#{media_id} is pinned but hidden by the {what}: {clears}", *parts[1:]]
        view.state.note = None
        view.say(", ".join(parts))
        if found:
            view.table.pin(found, where.hides)  # the first one shown current
            shown = [m for m in found if not where.hides(m)]
            if shown:
                view.table.move_to(shown[0].id or 0)
            view.show_current()
        else:
            view.context.keys.drop_held_keys("nothing opened")  # `o999⏎d`: d was for #999, never for the row shown
        view.render_status()

    # -- catalogue entries are refreshed when shown ----------------------------------

    def refresh_one(self, media_id: int) -> None:
        self.view.run_worker(partial(self._refresh_one, media_id), group="refresh", exclusive=True, exit_on_error=False)

    async def _refresh_one(self, media_id: int) -> None:
        """GET the shown entry; 404 marks it gone. A failed refresh keeps what is shown."""
        view = self.view
        listing = view.state.listing
        assert listing is not None
        try:
            media = await in_thread(listing.refresh, media_id)
        except Exception:  # noqa: BLE001
            return
        if media is not None:
            view.table.replace_media(media)
        view.table.set_flags(media_id, gone=media is None)
        current = view.table.current
        if current is not None and current.id == media_id and (listing.mode == CATALOGUE or view.state.where.mine):
            view.detail.show(current, view.context.clock(), gone=media is None)

    # -- the forms --------------------------------------------------------------------

    def edit(self) -> None:
        from mediatui.tui.screens.edit_form_screen import EditFormScreen

        media, listing = self.view.table.current, self.view.state.listing
        if media is None or media.id is None or listing is None:
            self.view.notify("No media here to edit.", markup=False)
            return
        refused = not_editable(media)
        if refused:
            self.view.notify(refused[0].upper() + refused[1:] + ".", markup=False, severity="warning")
            return
        self._open_form(EditFormScreen(media, listing, self.view.context.keys, self.view.context.community.record))

    def new_media(self) -> None:
        from mediatui.tui.screens.create_form_screen import CreateFormScreen

        listing = self.view.state.listing
        if listing is None:
            self.view.notify("Not connected yet: nothing can be created.", markup=False)
            return
        self._open_form(CreateFormScreen(listing, self.view.context.keys, self.view.context.community.record))

    def _open_form(self, form: FormScreen) -> None:
        """Keys typed after `e` or `n` in the same burst (a title, a URL) wait for the form's first text box."""
        self.view.context.keys.hold_keys(lambda: form.focused if form.is_current and form.focused else None)
        self.view.app.push_screen(form, self.form_done)

    def form_done(self, result: FormResult | None) -> None:
        """After a save or a create: the list shows the server's answer."""
        if result is None:
            return
        view, media = self.view, result.media
        if result.created:
            self.reload()  # newest first: the new media is the top row, in either mode
            said = f"Created #{media.id} ({media.type})."
        else:
            view.table.replace_media(media)
            current = view.table.current
            if current is not None and current.id == media.id:
                view.detail.show(media, view.context.clock())
            said = f"Saved #{media.id}."
        lines = [said, *(inert(note, limit=200) for note in result.notes)]
        view.notify("\n".join(lines), markup=False, severity="warning" if result.notes else "information")

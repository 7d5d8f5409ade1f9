"""The list screen's way into the forms: `e` edits the current media, `n` creates one from a URL.

After a save the row and the detail panel show the server's answer; after a
create the list reloads, newest first, so the new media is the top row. The
form has already put the answer into the catalogue (from its worker).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mediatui.sanitize import inert

if TYPE_CHECKING:
    from mediatui.tui.screens.browse_base import ListScreenBase as _Base
    from mediatui.tui.screens.form_base import FormResult
else:
    _Base = object


class FormsMixin(_Base):
    def action_edit(self) -> None:
        from mediatui.tui.screens.edit_form import EditFormScreen

        media = self.table.current
        if media is None or media.id is None or self.listing is None:
            self.notify("No media here to edit.", markup=False)
            return
        self.app.push_screen(EditFormScreen(media, self.listing), self.form_done)

    def action_new_media(self) -> None:
        from mediatui.tui.screens.create_form import CreateFormScreen

        if self.listing is None:
            self.notify("Not connected yet: nothing can be created.", markup=False)
            return
        self.app.push_screen(CreateFormScreen(self.listing), self.form_done)

    def form_done(self, result: FormResult | None) -> None:
        """After a save or a create: the list shows the server's answer."""
        if result is None:
            return
        media = result.media
        if result.created:
            self.reload()  # newest first: the new media is the top row, in either mode
            said = f"Created #{media.id} ({media.type})."
        else:
            self.table.replace_media(media)
            current = self.table.current
            if current is not None and current.id == media.id:
                self.detail.show(media, self.app.clock())
            said = f"Saved #{media.id}."
        lines = [said, *(inert(note, limit=200) for note in result.notes)]
        self.notify("\n".join(lines), markup=False, severity="warning" if result.notes else "information")

"""The list's keys for its detail panel: `p` the picture full screen, `P` previews on or off, `z` empty fields.

A part of the list screen (browse_screen.py), handed the screen as its outline (browse_view.ListScreenView).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mediatui.pictures.preview import media_source

if TYPE_CHECKING:
    from mediatui.tui.screens.browse_view import ListScreenView


class DetailKeys:
    def __init__(self, view: ListScreenView) -> None:
        self.view = view

    def preview(self) -> None:
        from mediatui.tui.screens.preview_modal import PreviewModal

        view = self.view
        media = view.table.current
        found = media_source(media)
        if media is None or found is None or found[0] != "image":
            view.notify("This media has no picture to show.", markup=False)
            return
        if not view.context.previews.on:
            view.notify("Previews are off: P turns them on.", markup=False)
            return
        view.app.push_screen(PreviewModal(media, found[1], view.context.previews))

    def toggle_previews(self) -> None:
        """`P`: previews for this session ("off" fetches nothing, for slow links); back on as the profile says."""
        view = self.view
        on = view.context.previews.toggle(view.context.community.settings.preview)
        view.notify("Previews on." if on else "Previews off: nothing is fetched.", markup=False)
        view.detail.preview.reset()
        view.detail.preview.show_for(view.table.current)

    def empty_fields(self) -> None:
        detail = self.view.detail
        detail.show_empty = not detail.show_empty
        said = "Empty fields shown." if detail.show_empty else "Empty fields hidden (z shows them)."
        self.view.notify(said, markup=False, timeout=2)

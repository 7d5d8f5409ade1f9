"""The list screen's pictures: the preview under the details, `p` full screen, `P` on and off.

`P` switches previews for this session ("off" fetches nothing, for slow
links); the profile's `preview = "auto" | "kitty" | "halfblock" | "off"` sets
where a session starts, and `P` turns them back on the way the profile says
("auto" if the profile says "off").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mediatui.pictures.preview import media_source

if TYPE_CHECKING:
    from mediatui.tui.screens.browse_base import ListScreenBase as _Base
else:
    _Base = object


class PreviewMixin(_Base):
    def action_preview(self) -> None:
        from mediatui.tui.screens.preview import PreviewScreen

        media = self.table.current
        found = media_source(media)
        if media is None or found is None or found[0] != "image":
            self.notify("This media has no picture to show.", markup=False)
            return
        if self.app.preview_mode == "off":
            self.notify("Previews are off: P turns them on.", markup=False)
            return
        self.app.push_screen(PreviewScreen(media, found[1]))

    def action_toggle_previews(self) -> None:
        chosen = self.app.settings.preview
        self.app.preview_mode = "off" if self.app.preview_mode != "off" else chosen if chosen != "off" else "auto"
        on = self.app.preview_mode != "off"
        self.notify("Previews on." if on else "Previews off: nothing is fetched.", markup=False)
        self.detail.preview.reset()
        self.detail.preview.show_for(self.table.current)

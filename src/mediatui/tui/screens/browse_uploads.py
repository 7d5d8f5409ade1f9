"""The list screen's side of uploads: `u` opens the upload screen, finished uploads appear as the top row.

A mixin of BrowseScreen. The uploads themselves belong to the app (tui/uploads.py):
leaving the upload screen stops nothing, and the status line says how far they are.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.widgets import Input

from mediatui.api import Media

STATUS_INTERVAL = 1.0  # seconds between two status lines that only follow the uploads

if TYPE_CHECKING:
    from mediatui.tui.screens.browse_base import ListScreenBase as _Base
else:
    _Base = object


class UploadsMixin(_Base):
    _uploaded_waiting: list[Media] = []  # completed while the list was hidden (replaced, never mutated)
    _status_at = 0.0  # when the status line last followed the uploads
    _status_timer: Timer | None = None

    def action_upload(self) -> None:
        """Keys typed after `u` in the same burst (a path) wait for the path box."""
        from mediatui.tui.screens.upload import UploadScreen

        self.app.uploads  # noqa: B018 - made now, so that the list follows them from the start
        self.follow_uploads()
        screen = UploadScreen()
        self.app.keys.hold_keys(lambda: screen.focused if screen.is_current and isinstance(screen.focused, Input) else None)
        self.app.push_screen(screen)

    def follow_uploads(self) -> None:
        """The status line follows every uploads running (those of communities left too); completed uploads of
        this community become rows. Called when the list mounts and when `u` makes this community's uploads."""
        mine = self.app.uploads_made
        for uploads in self.app.every_uploads():
            if self.uploads_changed not in uploads.listeners:
                uploads.listeners.append(self.uploads_changed)
            if uploads is mine and self.show_uploaded not in uploads.on_completed:
                uploads.on_completed.append(self.show_uploaded)

    def unfollow_uploads(self) -> None:
        """The list is gone (a switch, a reconnection): it listens to nothing any more."""
        for uploads in self.app.every_uploads():
            if self.uploads_changed in uploads.listeners:
                uploads.listeners.remove(self.uploads_changed)
            if self.show_uploaded in uploads.on_completed:
                uploads.on_completed.remove(self.show_uploaded)

    def uploads_changed(self) -> None:
        """The status line follows the uploads, but only while the list is shown.

        A layout pass on a screen underneath repaints the whole terminal: at 10 frames a second
        that tripled what the upload screen wrote to a slow link.
        """
        if not self.is_active:  # the top screen (is_current is true under a modal too)
            return
        # Once a second is enough for "uploading 2 of 5 · 43%": each status line update is a layout
        # pass of the list and bytes on the link, for a figure nobody reads ten times a second.
        since = time.monotonic() - self._status_at
        if since >= STATUS_INTERVAL:
            self._status_due()
        elif self._status_timer is None:
            self._status_timer = self.set_timer(STATUS_INTERVAL - since, self._status_due)

    def _status_due(self) -> None:
        self._status_timer = None
        self._status_at = time.monotonic()
        if self.is_active:
            self._render_status()

    def on_screen_resume(self) -> None:
        if self.app.every_uploads():  # none before the first `u`: the list's start loads no upload engine
            self._render_status()
        waiting, self._uploaded_waiting = self._uploaded_waiting, []
        for media in waiting:
            self.show_uploaded(media)

    def show_uploaded(self, media: Media, *, shown: bool = False) -> None:
        """A completed upload is the newest media: the top row in either mode, without a reload."""
        if not self.is_mounted:  # a list replaced by a switch of community
            return
        table = self.table
        if media.id is None or not table.is_mounted:
            return
        if not (shown or self.is_active):  # added when the list shows again: a hidden table's layout repaints it all
            self._uploaded_waiting = [*self._uploaded_waiting, media]
            return
        if media.id in table.rows_media:
            table.replace_media(media)
            return
        table.rows_media = {media.id: media, **table.rows_media}
        table.rebuild()

    def goto_media(self, media_id: int) -> None:
        """`enter` on a completed upload: the list, its cursor on that media (added first if it waits)."""
        waiting, self._uploaded_waiting = self._uploaded_waiting, []
        for media in waiting:
            self.show_uploaded(media, shown=True)
        table = self.table
        self.set_focus(table)
        if not table.move_to(media_id):
            self.notify(f"#{media_id} is not among the loaded rows: o opens it by id.", markup=False)

    def upload_status(self) -> str | None:
        return self.app.upload_status() or None

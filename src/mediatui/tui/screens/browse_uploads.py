"""The list screen's side of uploads: `u` opens the upload screen, finished uploads appear as the top row.

A part of the list screen (its `list_uploads`). The uploads themselves belong to
the app (tui/communities.py): leaving the upload screen stops nothing, and the
status line says how far they are.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual.widgets import Input

from mediatui.api import Media

if TYPE_CHECKING:
    from mediatui.tui.screens.browse_view import ListScreenView

STATUS_INTERVAL = 1.0  # seconds between two status lines that only follow the uploads


class ListUploads:
    def __init__(self, view: ListScreenView) -> None:
        self.view = view
        self.communities = view.context.communities
        self._waiting: list[Media] = []  # completed while the list was hidden (replaced, never mutated)
        self._status_at = 0.0  # when the status line last followed the uploads
        self._status_timer: Any = None

    def open(self) -> None:
        """`u`. Keys typed after it in the same burst (a path) wait for the path box."""
        from mediatui.tui.screens.upload_screen import UploadScreen

        self.communities.uploads  # noqa: B018 - made now, so that the list follows them from the start
        self.follow()
        screen = UploadScreen(self.communities, goto=self._goto_from_upload_screen)
        self.view.context.keys.hold_keys(
            lambda: screen.focused if screen.is_current and isinstance(screen.focused, Input) else None
        )
        self.view.app.push_screen(screen)

    def follow(self) -> None:
        """The status line follows every uploads running (those of communities left too); completed uploads of
        this community become rows. Called when the list mounts and when `u` makes this community's uploads."""
        mine = self.communities.uploads_made
        for uploads in self.communities.every_uploads():
            if self.changed not in uploads.listeners:
                uploads.listeners.append(self.changed)
            if uploads is mine and self.completed not in uploads.on_completed:
                uploads.on_completed.append(self.completed)
        if self.changed not in self.communities.on_ended:
            self.communities.on_ended.append(self.changed)

    def unfollow(self) -> None:
        """The list is gone (a switch, a reconnection): it listens to nothing any more."""
        for uploads in self.communities.every_uploads():
            if self.changed in uploads.listeners:
                uploads.listeners.remove(self.changed)
            if self.completed in uploads.on_completed:
                uploads.on_completed.remove(self.completed)
        if self.changed in self.communities.on_ended:
            self.communities.on_ended.remove(self.changed)
        if self._status_timer is not None:
            self._status_timer.stop()
            self._status_timer = None

    def changed(self) -> None:
        """The status line follows the uploads, but only while the list is shown.

        A layout pass on a screen underneath repaints the whole terminal: at 10 frames a second
        that tripled what the upload screen wrote to a slow link.
        """
        if not self.view.is_active:  # the top screen (is_current is true under a modal too)
            return
        # Once a second is enough for "uploading 2 · queued 3 · done 1 of 6 · 43%": each status line update is a layout
        # pass of the list and bytes on the link, for a figure nobody reads ten times a second.
        since = time.monotonic() - self._status_at
        if since >= STATUS_INTERVAL:
            self._status_due()
        elif self._status_timer is None:
            self._status_timer = self.view.set_timer(STATUS_INTERVAL - since, self._status_due)

    def _status_due(self) -> None:
        self._status_timer = None
        self._status_at = time.monotonic()
        if self.view.is_active:
            self.view.render_status()

    def resumed(self) -> None:
        """The list shows again: its status line catches up, and uploads completed meanwhile become rows."""
        if self.communities.every_uploads():  # none before the first `u`: the list's start loads no upload engine
            self.view.render_status()
        waiting, self._waiting = self._waiting, []
        for media in waiting:
            self.completed(media)

    def completed(self, media: Media, *, shown: bool = False) -> None:
        """A completed upload is the newest media: the top row in either mode, without a reload."""
        if not self.view.is_mounted:  # a list replaced by a switch of community
            return
        table = self.view.table
        if media.id is None or not table.is_mounted:
            return
        if not (shown or self.view.is_active):  # added when the list shows again: a hidden table's layout repaints
            self._waiting = [*self._waiting, media]
            return
        if media.id in table.rows_media:
            table.replace_media(media)
            return
        table.rows_media = {media.id: media, **table.rows_media}
        table.rebuild()
        self.view.state.added(media)  # the status line's count follows
        self.view.render_status()

    def _goto_from_upload_screen(self, media_id: int) -> None:
        """`enter` on a completed upload: the upload screen closes, and the list's cursor goes to that media."""
        self.view.app.pop_screen()
        self.goto(media_id)

    def goto(self, media_id: int) -> None:
        """The list, its cursor on that media (added first if it waits)."""
        waiting, self._waiting = self._waiting, []
        for media in waiting:
            self.completed(media, shown=True)
        table = self.view.table
        self.view.set_focus(table)
        if not table.move_to(media_id):
            self.view.notify(f"#{media_id} is not among the loaded rows: o opens it by id.", markup=False)

"""The communities the app holds: the one shown, and those left whose uploads still run (`app.communities`).

Why one holder: a switch of community must not stop the uploads of the one
left, and nothing of a community may outlive it. The community shown has its
uploads made on first use; a community left while its uploads run is kept,
with them, until their last run ends, and then closed. A switch back to it
takes it up again, uploads and all (one owner, never two sessions on one
journal). The list and the upload screen are given this part, and ask it
what runs and how far it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mediatui.tui import background

if TYPE_CHECKING:
    from textual.app import App

    from mediatui.api import Media
    from mediatui.community import Community
    from mediatui.settings.config import Settings
    from mediatui.tui.uploads import Uploads, UploadsIdle


class Communities:
    """`shown` and its `uploads` (made when first asked for); `uploads_elsewhere`, those of communities left.

    `remember(community, media)` puts a completed upload into that community's catalogue, as one of this machine's.
    """

    def __init__(
        self,
        app: App[Any],
        community: Community,
        remember: Callable[[Community, Media], None],
        options: dict[str, Any] | None = None,
    ) -> None:
        self.app = app
        self.shown = community  # a switch shows another (`switch_to`)
        self._remember = remember
        self._options = options or {}  # for every Uploads made: jobs, chunk size, retry, clock (tests set them)
        self._current: Uploads | None = None
        self._elsewhere: list[Uploads] = []
        #: Told when the uploads of a community left have ended (the lists' status lines name them no more).
        self.on_ended: list[Callable[[], None]] = []

    @property
    def uploads(self) -> Uploads:
        """The uploads of the community shown, made when first asked for.

        Importing them brings the upload engine, httpx and SQLite: ~80 ms on the main thread
        before the first paint, for a screen most starts never open.
        """
        if self._current is None:
            from mediatui.tui.uploads import Uploads

            community = self.shown
            options = dict(self._options)
            if community.settings.jobs and "jobs" not in options:
                options["jobs"] = community.settings.jobs  # the profile's jobs = N
            self._current = Uploads(self.app, community, remember=self._remember, **options)
        return self._current

    @property
    def uploads_made(self) -> Uploads | None:
        """The uploads of the community shown if something asked for them already; asking here makes none."""
        return self._current

    @property
    def uploads_elsewhere(self) -> list[Uploads]:
        """The uploads still running on communities left since they started (each row names its community)."""
        return list(self._elsewhere)

    def every_uploads(self) -> list[Uploads]:
        return ([self._current] if self._current is not None else []) + self._elsewhere

    def uploads_running(self) -> bool:
        return any(uploads.running for uploads in self.every_uploads())

    def upload_status(self) -> str:
        """ "uploading 2 · queued 3 · done 1 of 6 · 43%" while uploads run; nothing (and nothing imported) before any.

        Those of communities left say where they go: "uploading 1 of 1 · 40% to community-a".
        """
        if self._current is None and not self._elsewhere:
            return ""
        from mediatui.upload.board import summary

        shown = self._current.board if self._current is not None else None
        return summary(shown, [(u.board, u.community.label) for u in self._elsewhere])

    def all(self) -> list[Community]:
        """The community shown and those whose uploads still run."""
        return [self.shown, *(uploads.community for uploads in self._elsewhere)]

    def switch_to(self, settings: Settings) -> Community:
        """The app shows another community, returned: the uploads of the one left go on if they run, else end
        (and it with them).

        Back to a community whose uploads still run: they are taken up again, with their community (one owner,
        never two sessions on one journal); else the community is a new one.
        """
        from mediatui.community import Community

        old, old_uploads = self.shown, self._current
        again = next((u for u in self._elsewhere if u.community.settings.same_community(settings)), None)
        if again is not None:
            self._elsewhere.remove(again)
            community = again.community
            community.settings = settings
        else:
            community = Community(settings, clock=old.clock)  # the history's times: the app's clock, as before
        self.shown, self._current = community, again
        if old_uploads is None:
            background.start(old.close, name="mediatui-close")  # off the UI thread: never held by a hung link
            return community
        old_uploads.listeners.clear()  # the screens listening to them are being replaced
        old_uploads.on_completed.clear()
        if old_uploads.running:
            self._elsewhere.append(old_uploads)
        else:
            self._end(old_uploads)
        return community

    def idle(self, message: UploadsIdle) -> None:
        """A run ended: rows it did not take go back to what they were; the last run of a community left ends it."""
        uploads = message.uploads
        for key, (state, detail) in message.unplanned.items():
            uploads.board.unqueue(key, state, detail)
        if message.unplanned:
            uploads.changed()
        if uploads in self._elsewhere and not uploads.running:
            self._elsewhere.remove(uploads)
            self._end(uploads)
            from mediatui.upload.board import ended_note, ended_well

            said = ended_note(uploads.board, uploads.community.label)
            self.app.notify(said, severity="information" if ended_well(uploads.board) else "warning", markup=False)
            for ended in list(self.on_ended):
                ended()

    def _end(self, uploads: Uploads) -> None:
        def end() -> None:  # off the UI thread: a hung connection never holds the app
            uploads.shutdown()  # anything still running is cancelled between chunks, resumable
            uploads.community.close()

        background.start(end, name="mediatui-close")

    async def shutdown(self) -> None:
        """On the way out: every uploads, side by side, each on a thread: cancelled, resumable, within a second."""
        import asyncio

        ends = [background.start(uploads.shutdown, name="mediatui-uploads-end") for uploads in self.every_uploads()]
        for end in ends:
            await asyncio.wrap_future(end)

"""The Textual application: holds the settings and the connection, pushes the screens."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from textual import events
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from mediatui.community import Community
from mediatui.pictures.preview import PictureCache
from mediatui.runtime.gc_pauses import QuietCollector
from mediatui.settings.config import Settings
from mediatui.tui import background
from mediatui.tui.community import CommunityMixin
from mediatui.tui.key_pump import KeyPump
from mediatui.tui.screens.browse import BrowseScreen
from mediatui.tui.textual_compat import HookedApp

if TYPE_CHECKING:
    from mediatui.api import ApiError, MediaClient, Page
    from mediatui.media.listing import Chunk, Listing
    from mediatui.pictures.preview import Fetcher
    from mediatui.runtime.first_page import FirstPage
    from mediatui.tui.uploads import UploadEvent, UploadRefused, Uploads, UploadsIdle, UploadsOffered


log = logging.getLogger("mediatui.tui")


def ended_note(uploads: Uploads) -> str:
    """What the uploads of a community left came to: a completion that may have landed is not a failure."""
    from mediatui.upload.board import FAILED, UNKNOWN

    done, files, _, _ = uploads.board.totals()
    name = uploads.community.label
    parts = [f"Uploads to {name} ended: {done} of {files} landed"]
    unknown, failed = len(uploads.board.keys(UNKNOWN)), len(uploads.board.keys(FAILED))
    if unknown:
        parts.append(f"{unknown} may have (completion unknown: `mediatui upload --recomplete ID` settles it)")
    if failed:
        parts.append(f"{failed} failed (resumable from {name}'s upload screen)")
    return "; ".join(parts) + "."


def ended_well(uploads: Uploads) -> bool:
    done, files, _, _ = uploads.board.totals()
    return done == files


def utc_now() -> datetime:
    return datetime.now(UTC)


def _unsaved(screen: Screen[Any]) -> int:
    """A form's unsaved changes; one, to be safe, when it cannot tell yet (a form still being drawn)."""
    count = getattr(screen, "unsaved", None)
    if count is None:
        return 0
    try:
        return int(count())
    except Exception:  # noqa: BLE001 - its fields are not mounted yet
        return 1


class MediaTuiApp(CommunityMixin, HookedApp):
    CSS_PATH = Path(__file__).with_name("mediatui.tcss")  # absolute: subclasses elsewhere find it too
    TITLE = "mediatui"
    BINDINGS = [Binding("q", "quit", "Quit")]  # not priority: q is typed into inputs

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utc_now,
        display_name: str | None = None,
        upload_options: dict[str, Any] | None = None,
        first_page: FirstPage | None = None,
    ) -> None:
        super().__init__()
        self.community = Community(settings, display_name)  # the one owner of what belongs to this community
        self._uploads: Uploads | None = None  # the community's uploads, made on first use: see `uploads`
        # Uploads of communities left while they ran: they go on to the end, their community with them.
        self._elsewhere: list[Uploads] = []
        self._upload_options = upload_options or {}
        self.clock = clock  # injected in tests so that relative times are stable
        self.retry_listener: Callable[[int, float, ApiError], None] | None = None
        self._first_page = first_page  # page one, already being fetched by a child process (cli.local)
        self.collector = QuietCollector()  # full garbage collections wait for the user to rest
        self._connection: Future[tuple[Listing, Chunk]] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.keys = KeyPump(self, self._handle, on_key=self.collector.key)  # keys of a burst, one at a time
        self.preview_mode = settings.preview  # "auto" or "halfblock" draw pictures; "off" fetches nothing (P)
        self.pictures = PictureCache()

    @property
    def settings(self) -> Settings:
        return self.community.settings

    @settings.setter
    def settings(self, settings: Settings) -> None:  # the theme, saved: the same community
        self.community.settings = settings

    @property
    def display_name(self) -> str:
        """What the header names."""
        return self.community.name

    def fetcher(self) -> Fetcher:
        """The client for media files (never the token): the community's."""
        return self.community.fetcher()

    async def on_event(self, event: events.Event) -> None:
        if not await self.keys.take(event):
            await super().on_event(event)

    async def _handle(self, event: events.Event) -> None:
        """An event as Textual handles it, past the key pump (which calls this when a key's turn comes)."""
        await super().on_event(event)

    # -- connecting: started before the first paint, so that it overlaps it ----------

    def on_load(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self.settings.problem() is None:
            self.connection()

    def connection(self, *, again: bool = False) -> Future[tuple[Listing, Chunk]]:
        """Client and first page, made on a daemon thread; `again` starts over after a failure."""
        if self._connection is None or again:
            connection: Future[tuple[Listing, Chunk]] | None = None
            first = self._first_page
            if first is not None and first.ready():
                # The child is done before the first frame (usual on a machine with a core to spare). Its page
                # is in the pipe: taken now, its rows are in that frame rather than in one ~50 ms later. If it
                # brought none, asking again (retries, waits) is for the thread below, never the UI's.
                self._first_page = None
                page = first.take()
                if page is not None:
                    connection = Future()
                    connection.set_result(self._from_first_page(self.community, page))
            if connection is None:
                connection = background.start(self._connect, self.community, name="mediatui-connect")
            self._connection = connection
            self._connection.add_done_callback(self.connection_done)  # a refused token opens the connect screen
        return self._connection

    def _connect(self, community: Community) -> tuple[Listing, Chunk]:
        from mediatui.media.listing import PAGE_SIZE, connect

        first = self._first_page  # kept until taken, so that quitting or switching can cancel the wait
        page = first.take() if first is not None else None
        if self._first_page is first:
            self._first_page = None
        if page is not None:
            return self._from_first_page(community, page)
        return connect(community.client(), PAGE_SIZE, on_retry=self._retry_told(community), stop=community.stopping)

    def _from_first_page(self, community: Community, page: Page) -> tuple[Listing, Chunk]:
        """The client is made once the rows are out (rows_shown), or when first needed."""
        from mediatui.media.listing import SERVER, Chunk, Listing

        listing = Listing(
            community.client_maker, None, SERVER, on_retry=self._retry_told(community), stop=community.stopping
        )
        return listing, Chunk(0, page.count, page.results)

    def rows_shown(self) -> None:
        """The first rows are out: make the client (so that a delete or the next page need not wait for it)

        and let full garbage collections wait for rests from now on (mediatui.runtime.gc_pauses).
        """
        if self.community.client_made is None and self.settings.problem() is None:
            background.start(self.community.client, name="mediatui-client")
        if not self.collector.running:
            self.collector.start()
            self.set_interval(1.0, self._collect_when_resting)

    def _collect_when_resting(self) -> None:
        """Not while uploads run: a full collection (50-75 ms) would stall their frames and their threads."""
        if not self.uploads_running():
            self.collector.tick()

    def _retry_told(self, community: Community) -> Callable[[int, float, ApiError], None]:
        """Called on a worker thread before a read of `community` is tried again: tell the screen, on the UI loop,

        while that community is still the one shown (a late retry of a community left says nothing)."""

        def retrying(attempt: int, delay: float, error: ApiError) -> None:
            if self._loop is not None and self.retry_listener is not None and community is self.community:
                background.soon(self._loop, self.retry_listener, attempt, delay, error)

        return retrying

    @property
    def client(self) -> MediaClient | None:
        """None until connecting has begun; then the client, made here if page one came without it (blocks)."""
        if self.community.client_made is None and self._connection is not None:
            return self.community.client()
        return self.community.client_made

    def set_connected(self, connected: bool) -> None:
        self.sub_title = self.header_text("connected" if connected else "disconnected")

    def get_default_screen(self) -> Screen:
        """The list is the base screen: pushing it over Textual's empty default one painted a frame for nothing

        (composed, styled, laid out and written: ~40 ms of a ~300 ms start, before the list's first frame).
        """
        return BrowseScreen()

    def on_mount(self) -> None:
        problem = self.settings.problem()
        self.sub_title = self.header_text(None if problem is None else "not connected")
        self.start_theme()
        if problem is not None and self.settings.config_path is not None:
            self.open_connect(problem)

    # -- uploads: the engine's events arrive as messages; q asks while they run --------------

    @property
    def uploads(self) -> Uploads:
        """One session for every screen (tui/uploads.py), made when first asked for.

        Importing it brings the upload engine, httpx and SQLite: ~80 ms on the main thread
        before the first paint, for a screen most starts never open.
        """
        if self._uploads is None:
            from mediatui.tui.uploads import Uploads

            self._uploads = Uploads(self, self.community, **self._upload_options)
        return self._uploads

    @property
    def uploads_made(self) -> Uploads | None:
        """The upload session if something asked for it already; asking here makes none."""
        return self._uploads

    @property
    def uploads_elsewhere(self) -> list[Uploads]:
        """The uploads still running on communities left since they started (each row names its community)."""
        return list(self._elsewhere)

    def every_uploads(self) -> list[Uploads]:
        return ([self._uploads] if self._uploads is not None else []) + self._elsewhere

    def uploads_running(self) -> bool:
        return any(uploads.running for uploads in self.every_uploads())

    def upload_status(self) -> str:
        """ "uploading 2 of 5 · 43%" while uploads run; nothing (and nothing imported) before any.

        Those of communities left say where they go: "uploading 1 of 1 · 40% to community-a".
        """
        parts = [self._uploads.board.status() or ""] if self._uploads is not None else []
        parts += [f"{u.board.status()} to {u.community.label}" for u in self._elsewhere if u.board.status()]
        return " · ".join(p for p in parts if p)

    def leave_uploads(self, uploads: Uploads) -> None:
        """A switch away from the community of `uploads`: those still running go on; the others end now."""
        uploads.listeners.clear()  # the screens listening to them are being replaced
        uploads.on_completed.clear()
        if uploads.running:
            self._elsewhere.append(uploads)
        else:
            self._end_uploads(uploads)

    def take_back_uploads(self, settings: Settings) -> Uploads | None:
        """The uploads still running on the community of `settings` (a switch back to it), taken off the list."""
        for uploads in self._elsewhere:
            if uploads.community.settings.same_community(settings):
                self._elsewhere.remove(uploads)
                return uploads
        return None

    def on_uploads_idle(self, message: UploadsIdle) -> None:
        uploads = message.uploads
        for key, (state, detail) in message.unplanned.items():
            uploads.board.unqueue(key, state, detail)
        if message.unplanned:
            uploads.changed()
        if uploads in self._elsewhere and not uploads.running:  # their last run: their community ends now
            self._elsewhere.remove(uploads)
            self._end_uploads(uploads)
            self.notify(ended_note(uploads), severity="information" if ended_well(uploads) else "warning", markup=False)
            for screen in self.screen_stack:  # the lists' status lines no longer name them
                changed = getattr(screen, "uploads_changed", None)
                if changed is not None:
                    changed()

    def _end_uploads(self, uploads: Uploads) -> None:
        def end() -> None:  # off the UI thread: a hung connection never holds the app
            uploads.shutdown()  # anything still running is cancelled between chunks, resumable
            uploads.community.close()

        background.start(end, name="mediatui-close")

    def on_upload_event(self, message: UploadEvent) -> None:
        self._uploads_of(message).take(message)

    def on_upload_refused(self, message: UploadRefused) -> None:
        self._uploads_of(message).take(message)

    def on_uploads_offered(self, message: UploadsOffered) -> None:
        self._uploads_of(message).take(message)

    def _uploads_of(self, message: UploadEvent | UploadRefused | UploadsOffered) -> Uploads:
        """The uploads a message came from: those of a community just left go on being told, not the new one's."""
        return message.uploads or self.uploads

    def show_media(self, media_id: int) -> None:
        """From the upload screen: the list, its cursor on this media."""
        screen = self.screen
        goto = getattr(screen, "goto_media", None)
        if goto is not None:
            goto(media_id)

    async def action_quit(self) -> None:
        """Quit, asking first when that would drop typing (a form's unsaved changes) or stop uploads."""
        from mediatui.tui.screens.confirm_modal import GuardedConfirm

        if isinstance(self.screen, GuardedConfirm):  # a question is up already: it takes the answer
            return
        unsaved = sum(_unsaved(screen) for screen in self.screen_stack)
        running = [uploads for uploads in self.every_uploads() if uploads.running]
        uploading = bool(running)
        if not unsaved and not uploading:
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        changes = f"{unsaved} change{'s' if unsaved != 1 else ''}"
        lines = [f"The {changes} typed into the form would be lost."] if unsaved else []
        if uploading:
            lines += [
                *(f"{uploads.community.label}: {uploads.board.status() or 'starting'}" for uploads in running),
                "They stop between chunks and stay resumable: the upload screen (u) offers them again on the "
                "next start (after connecting to their community, for those of another).",
            ]
        if unsaved:
            question = f"Discard {changes} and {'stop the uploads' if uploading else 'quit'}?"
        else:
            question = "Uploads are running. Quit?"
        self.push_screen(GuardedConfirm(question, lines, yes="y: quit", no="n or escape: stay"), answered)

    # -- the rest -----------------------------------------------------------------------

    def get_system_commands(self, screen: Screen):  # noqa: ANN201
        """Every key of the current screen is in the command palette too."""
        yield from super().get_system_commands(screen)
        yield from self.community_commands(screen)
        for binding in screen.BINDINGS:
            if (
                isinstance(binding, Binding)
                and binding.description
                and not (binding.action == "back" and isinstance(screen, BrowseScreen))  # the list's escape: focus
                and screen.check_action(binding.action, ()) is not False
            ):  # read-only hides changes
                key = binding.key.split(",")[0].replace("question_mark", "?").replace("slash", "/")
                yield SystemCommand(
                    binding.description, f"key: {key}", lambda action=binding.action: screen.run_action(action)
                )

    def on_crash(self, error: Exception) -> None:
        """A crash goes to the debug log with its traceback (the log's filter blanks any secret)."""
        log.error("the app crashed", exc_info=error)

    def crash_report(self) -> RenderableType:
        """Textual's crash screen prints local variables, and a local may hold the token: not here."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        return Segments(self.console.render(traceback, self.console.options))

    async def before_exit(self) -> None:
        for community in self._communities():
            community.stopping.set()  # retry waits end at once; threads stuck in the network are daemons
        # Side by side, each on a thread: cancelled, resumable, within a second in all.
        ends = [background.start(uploads.shutdown, name="mediatui-uploads-end") for uploads in self.every_uploads()]
        for end in ends:
            await asyncio.wrap_future(end)
        from mediatui.tui.widgets.media_preview import close_kitty

        close_kitty(self)  # while the driver still writes: at unmount it is too late

    def on_unmount(self) -> None:
        self.collector.stop()
        if self._first_page is not None:
            self._first_page.cancel()
        for community in self._communities():
            background.start(community.close, name="mediatui-close")  # never wait on a hung connection

    def _communities(self) -> list[Community]:
        """The community shown and those whose uploads still run."""
        return [self.community, *(uploads.community for uploads in self._elsewhere)]

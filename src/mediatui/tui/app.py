"""The Textual application: owns the parts every screen shares, builds the community shown, pushes the screens.

Composed of parts, each in its own module: the key pump (`keys`), the list's
connection (`list_connection`), the communities it holds and their uploads
(`communities`), the switch of community (`switching`), the theme
(`themes`), the previews (`previews`). A community's own state lives in its
owner, `mediatui.community.Community`; a list screen is given that community
and the parts it uses (`list_context`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from textual import events
from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from mediatui._compat import UTC
from mediatui.community import Community
from mediatui.pictures.preview_state import Previews
from mediatui.runtime.gc_pauses import QuietCollector
from mediatui.settings.config import Settings
from mediatui.tui import background
from mediatui.tui.communities import Communities
from mediatui.tui.key_pump import KeyPump
from mediatui.tui.list_connection import ListConnection
from mediatui.tui.list_context import ListContext
from mediatui.tui.screens.browse_screen import BrowseScreen
from mediatui.tui.switching import CommunitySwitch
from mediatui.tui.textual_compat import HookedApp
from mediatui.tui.theme_keeper import ThemeKeeper
from mediatui.tui.widgets.keys_footer import full_name
from mediatui.tui.wording import header_badges

if TYPE_CHECKING:
    from mediatui.api import ApiError, Media
    from mediatui.community.doctor import Report
    from mediatui.runtime.first_page import FirstPage
    from mediatui.tui.uploads import UploadEvent, UploadRefused, Uploads, UploadsIdle, UploadsOffered


log = logging.getLogger("mediatui.tui")
TEXTUAL_COMMANDS_KEPT = ("Theme", "Quit")  # of the command palette's own commands


def utc_now() -> datetime:
    return datetime.now(UTC)


class MediaTuiApp(HookedApp):
    CSS_PATH = Path(__file__).with_name("mediatui.tcss")  # absolute: subclasses elsewhere find it too
    TITLE = "mediatui"
    #: q is not priority: it is typed into text boxes, and forms bind it to nothing; ctrl+q quits from anywhere
    #: (asking first when that would drop typing or stop uploads).
    BINDINGS = [Binding("q", "quit", "Quit"), Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

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
        community = Community(settings, display_name, clock)  # the one owner of what belongs to this community
        self.communities = Communities(self, community, self._remember, upload_options)
        self.clock = clock  # injected in tests so that relative times are stable
        self.collector = QuietCollector()  # full garbage collections wait for the user to rest
        self.keys = KeyPump(self, self._handle, on_key=self.collector.key)  # keys of a burst, one at a time
        self.list_connection = ListConnection(lambda: self.community, first_page, refused=self._refused)
        self.switching = CommunitySwitch(self, self.communities, self.keys, self.use_settings)
        self.themes = ThemeKeeper(self, lambda: self.settings, self._set_settings, self.few_colours)
        # "auto" or "halfblock" draw pictures; "off" fetches nothing (P). Files come from the community shown.
        self.previews = Previews(settings.preview, lambda: self.community.fetcher())

    @property
    def community(self) -> Community:
        """The community shown (a switch shows another: `use_settings`)."""
        return self.communities.shown

    @property
    def settings(self) -> Settings:
        return self.community.settings

    def _set_settings(self, settings: Settings) -> None:  # the theme, saved: the same community
        self.community.settings = settings

    def few_colours(self) -> bool:
        """16 colours on a real terminal: Rich's guess from TERM, ignored headless (tests, screenshots),
        where TERM says nothing about the SVG being drawn."""
        return not self.is_headless and self.console.color_system in ("standard", "windows")

    async def on_event(self, event: events.Event) -> None:
        if not await self.keys.take(event):
            await super().on_event(event)

    async def _handle(self, event: events.Event) -> None:
        """An event as Textual handles it, past the key pump (which calls this when a key's turn comes)."""
        await super().on_event(event)

    # -- the community shown, and its list -------------------------------------------------

    def on_load(self) -> None:
        self.list_connection.start(asyncio.get_running_loop())  # before the first paint, so that it overlaps it

    def get_default_screen(self) -> Screen:
        """The list is the base screen: pushing it over Textual's empty default one painted a frame for nothing

        (composed, styled, laid out and written: ~40 ms of a ~300 ms start, before the list's first frame).
        """
        return BrowseScreen(self.list_context())

    def list_context(self) -> ListContext:
        """What a list screen is given: the community shown, and the parts of the app it works with."""
        community = self.community  # the header speaks of it only while it is the one shown
        return ListContext(
            community=community,
            connection=self.list_connection,
            communities=self.communities,
            keys=self.keys,
            previews=self.previews,
            clock=self.clock,
            connected=lambda connected: self.set_connected(connected) if community is self.community else None,
            rows_shown=self.rows_shown,
            refused=lambda error: self._refused(error) if community is self.community else None,
        )

    def on_mount(self) -> None:
        problem = self.settings.problem()
        self.sub_title = self.header_text(None if problem is None else "not connected")
        self.themes.start()
        if problem is not None and self.settings.config_path is not None:
            self.switching.open_connect(problem)

    def header_text(self, state: str | None) -> str:
        """The warnings, the community (its profile and host: `Community.heading`), and the connection's state."""
        return " · ".join(p for p in (header_badges(self.settings), self.community.heading, state) if p)

    def set_connected(self, connected: bool) -> None:
        self.sub_title = self.header_text("connected" if connected else "disconnected")

    def rows_shown(self) -> None:
        """The first rows are out: make the client (so that a delete or the next page need not wait for it)

        and let full garbage collections wait for rests from now on (mediatui.runtime.gc_pauses).
        """
        self.list_connection.make_client_soon()
        background.start(self.community.prune_trash, name="mediatui-trash")  # expired files go at start-up
        if not self.collector.running:
            self.collector.start()
            self.set_interval(1.0, self._collect_when_resting)

    def _collect_when_resting(self) -> None:
        """Not while uploads run: a full collection (50-75 ms) would stall their frames and their threads."""
        if not self.communities.uploads_running():
            self.collector.tick()

    def _refused(self, error: ApiError) -> None:
        """The community refused the token: the connect screen, when there is a config to choose from."""
        if self.settings.config_path is not None:
            reason = f"The server refused the token ({error.status})."
            self.call_later(partial(self.switching.open_connect, reason, asked=False))

    def action_switch_community(self) -> None:
        self.switching.open_connect()

    def action_diagnose(self) -> None:
        """The palette's "Diagnose": `mediatui doctor`'s report on the community shown, in a dialog."""
        from mediatui.tui.screens.diagnose_modal import DiagnoseModal

        self.push_screen(DiagnoseModal(self.diagnosis()))

    def diagnosis(self) -> Callable[[], Report]:
        """The report to make on a worker thread (it reaches the network), with what the app knows better than
        the environment, read now on the UI thread: its size, its colours, the pictures' mode (P changes it)."""
        from mediatui.community.doctor import for_the_app

        settings, size = self.settings, (self.size.width, self.size.height)
        colors, preview, no_color = self.console.color_system, self.previews.mode, self.no_color
        return partial(for_the_app, settings, size=size, colors=colors, preview=preview, no_color=no_color)

    def use_settings(self, settings: Settings) -> None:
        """Another community: its own owner (client, picture fetcher), its own uploads and a new list screen.

        Uploads still running on the old one go on to the end there (tui/communities.py). The same server
        again keeps its community and uploads, with the profile's other choices (read-only, jobs, ...)."""
        log.info("switching to %s (profile %r)", settings.url, settings.profile)
        for screen in self.screen_stack:
            if isinstance(screen, BrowseScreen):
                screen.leave()  # before its community closes: its page in flight is dropped, not failed
        self.previews.mode = settings.preview  # the profile's previews, as at start (P switches them again)
        if self.community.settings.same_community(settings):
            self.community.settings = settings
        else:
            self.communities.switch_to(settings)
        self.list_connection.forget()
        self.sub_title = self.header_text(None)
        if settings.problem() is None:
            self.list_connection.connection()
        # The first list is the base screen (get_default_screen), which Textual cannot switch away: the new
        # list goes over it, and replaces the list above it on later switches.
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(BrowseScreen(self.list_context()))
        else:
            self.push_screen(BrowseScreen(self.list_context()))

    # -- uploads: the engine's events arrive as messages; q asks while they run --------------

    @property
    def uploads(self) -> Uploads:
        """The uploads of the community shown (tui/communities.py), made when first asked for."""
        return self.communities.uploads

    def _remember(self, community: Community, media: Media) -> None:
        """A completed upload into the catalogue of its community, as one of this machine's (`m`) (worker thread):
        through its own file, whichever community is shown by then (SQLite's WAL takes the list's connection
        beside it), never through the list's connection, which a switch may have given to another community."""
        from mediatui.api.client import normalize_base_url
        from mediatui.media.catalogue import Catalogue

        with Catalogue.for_server(normalize_base_url(community.settings.url)) as catalogue:
            catalogue.record(media, uploaded=True)

    def on_uploads_idle(self, message: UploadsIdle) -> None:
        self.communities.idle(message)

    def on_upload_event(self, message: UploadEvent) -> None:
        self._uploads_of(message).take(message)

    def on_upload_refused(self, message: UploadRefused) -> None:
        self._uploads_of(message).take(message)

    def on_uploads_offered(self, message: UploadsOffered) -> None:
        self._uploads_of(message).take(message)

    def _uploads_of(self, message: UploadEvent | UploadRefused | UploadsOffered) -> Uploads:
        """The uploads a message came from: those of a community just left go on being told, not the new one's."""
        return message.uploads or self.uploads

    async def action_quit(self) -> None:
        """Quit, asking first when that would drop typing (a form's unsaved changes) or stop uploads."""
        from mediatui.tui.screens.confirm_modal import GuardedConfirm
        from mediatui.tui.screens.unsaved import ask_to_discard, unsaved_work

        if isinstance(self.screen, GuardedConfirm):  # a question is up already: it takes the answer
            return
        work = unsaved_work(self.screen_stack)
        running = [uploads for uploads in self.communities.every_uploads() if uploads.running]
        lines = []
        if running:
            lines += [
                *(f"{uploads.community.label}: {uploads.board.status() or 'starting'}" for uploads in running),
                "They stop between chunks and stay resumable: the upload screen (u) offers them again on the "
                "next start (after connecting to their community, for those of another).",
            ]
        if work:
            ask_to_discard(self, work, "stop the uploads" if running else "quit", self.exit, lines)
        elif running:
            self.push_screen(
                GuardedConfirm("Uploads are running. Quit?", lines, yes="y: quit", no="n or escape: stay"),
                lambda yes: self.exit() if yes else None,
            )
        else:
            self.exit()

    # -- the rest -----------------------------------------------------------------------

    def get_system_commands(self, screen: Screen):  # noqa: ANN201
        """Every key of the current screen is in the command palette too, and "Switch community" and "Diagnose"
        everywhere.

        Of Textual's own, Theme and Quit: its Keys panel squeezes the detail panel and escape does not close it,
        and Screenshot writes an SVG into the working folder of the server mediatui runs on."""
        from mediatui.tui.screens.diagnose_modal import DiagnoseModal

        yield from (c for c in super().get_system_commands(screen) if c.title in TEXTUAL_COMMANDS_KEPT)
        actions = {b.action for b in screen.BINDINGS if isinstance(b, Binding)}
        if "app.switch_community" not in actions and getattr(screen, "OFFERS_SWITCH", True):
            yield SystemCommand(
                "Switch community", "another profile or server (key: c on the list)", self.action_switch_community
            )
        if not isinstance(screen, DiagnoseModal):
            yield SystemCommand(
                "Diagnose", "what mediatui doctor checks: the terminal, the community, the token…", self.action_diagnose
            )
        for binding in screen.BINDINGS:
            if (
                isinstance(binding, Binding)
                and binding.description
                and not (binding.action == "back" and isinstance(screen, BrowseScreen))  # the list's escape: focus
                and screen.check_action(binding.action, ()) is not False
            ):  # read-only hides changes
                key = binding.key.split(",")[0].replace("question_mark", "?").replace("slash", "/")
                yield SystemCommand(
                    full_name(binding), f"key: {key}", lambda action=binding.action: screen.run_action(action)
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
        for community in self.communities.all():
            community.stopping.set()  # retry waits end at once; threads stuck in the network are daemons
        await self.communities.shutdown()  # cancelled between chunks, resumable, within a second
        from mediatui.tui.widgets.media_preview import close_kitty

        close_kitty(self)  # while the driver still writes: at unmount it is too late

    def on_unmount(self) -> None:
        self.collector.stop()
        self.list_connection.cancel()
        for community in self.communities.all():
            background.start(community.close, name="mediatui-close")  # never wait on a hung connection

"""The app's side of profiles: which community, the connect screen, read-only, the header's warnings, the theme.

A mixin of MediaTuiApp, kept apart so that app.py stays about keys and
connecting. Nothing here runs before the first frame except `badges`: the
config file was read before the app started (cli.local), and the connect
screen's module is imported only when it opens.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from textual.binding import Binding
from textual.screen import Screen

from mediatui.sanitize import inert
from mediatui.settings.config import Settings

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future

    from textual.app import App
    from textual.widget import Widget

    from mediatui.community import Community
    from mediatui.runtime.first_page import FirstPage
    from mediatui.tui.key_pump import KeyPump
    from mediatui.tui.uploads import Uploads

    _Base = App[None]
else:
    _Base = object

log = logging.getLogger("mediatui.tui")

#: Actions that change media (or start a change): hidden and refused on a read-only profile.
MUTATING_ACTIONS = frozenset(
    {
        "delete",
        "delete_marked",
        "edit",
        "new_media",
        "upload",
        "resume",
        "create",
        "save",
        "retry_upload",
        "start_upload",
        "upload_files",
    }
)
READ_ONLY_REFUSAL = "read-only profile: this would change media, so it is refused (nothing was sent)"


def read_only_allows(screen: Screen[Any], action: str) -> bool:
    """False for a mutating action of a screen of the media list or uploads when the profile is read-only."""
    app: Any = screen.app
    settings = getattr(app, "settings", None)
    if settings is None or not settings.read_only or action not in MUTATING_ACTIONS:
        return True
    return type(screen).__name__ == "ConnectScreen"  # its "save" writes the config file, not media


class ReadOnlyScreen:
    """Mixed into the screens with mutating actions: hidden from footer, help and palette; a key says why.

    `check_action` returning False makes Textual hide the binding and not run it; the key
    then reaches `on_key` here, which says "read-only profile" instead of doing nothing.
    """

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not read_only_allows(self, action):  # type: ignore[arg-type]
            return False
        return super().check_action(action, parameters)  # type: ignore[misc]

    def on_key(self, event: Any) -> None:
        for binding in self.BINDINGS:  # type: ignore[attr-defined]
            if isinstance(binding, Binding) and event.key in binding.key.split(","):
                if not read_only_allows(self, binding.action):  # type: ignore[arg-type]
                    event.stop()
                    self.notify(READ_ONLY_REFUSAL, severity="warning", markup=False)  # type: ignore[attr-defined]
                return


class CommunityMixin(_Base):
    """Switching communities, the header's warnings and saving the theme, for MediaTuiApp."""

    settings: Settings
    community: Community
    _uploads: Uploads | None
    _elsewhere: list[Uploads]
    _first_page: FirstPage | None
    _connection: Future[Any] | None
    _loop: Any
    _theme_not_chosen: str | None = None
    keys: KeyPump

    if TYPE_CHECKING:

        @property
        def display_name(self) -> str: ...

        def connection(self, *, again: bool = False) -> Future[Any]: ...
        def take_back_uploads(self, settings: Settings) -> Uploads | None: ...
        def leave_uploads(self, uploads: Uploads) -> None: ...

    def badges(self) -> str:
        """What the header must always say: TLS not verified, read-only, the profile."""
        parts = []
        if self.settings.insecure:
            parts.append("⚠ TLS NOT VERIFIED")
        if self.settings.read_only:
            parts.append("read-only")
        if self.settings.profile:
            parts.append(inert(self.settings.profile, limit=20))
        return " · ".join(parts)

    def header_text(self, state: str | None) -> str:
        return " · ".join(p for p in (self.badges(), self.display_name, state) if p)

    def start_theme(self) -> None:
        """The config's theme, then save every theme chosen later (the palette's "Change theme")."""
        theme = self.settings.theme
        if not theme and self.few_colours():
            # 16 colours (TERM=xterm or screen, no COLORTERM): the default theme's greys collapse into one,
            # and header or table titles vanish; the ANSI theme uses the terminal's own palette instead.
            theme = self._theme_not_chosen = "ansi-dark"
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._save_theme)

    def few_colours(self) -> bool:
        """16 colours on a real terminal: Rich's guess from TERM, ignored headless (tests, screenshots),
        where TERM says nothing about the SVG being drawn."""
        return not self.is_headless and self.console.color_system in ("standard", "windows")

    def _save_theme(self, theme: Any) -> None:
        path = self.settings.config_path
        if self._theme_not_chosen == theme.name:  # picked for 16 colours, not by the person
            self._theme_not_chosen = None
            return
        if path is None or theme.name == self.settings.theme:
            return
        from mediatui.settings import profiles

        try:
            profiles.save_theme(path, theme.name)
        except profiles.ConfigError as exc:
            self.notify(str(exc), title="Theme not saved", severity="warning", markup=False)
            return
        self.settings = _replace(self.settings, theme=theme.name)

    def open_connect(self, reason: str | None = None) -> None:
        """The connect screen over whatever shows; a result switches to that community."""
        from mediatui.settings import profiles
        from mediatui.tui.screens.connect import ConnectScreen

        if isinstance(self.screen, ConnectScreen):
            return
        try:
            config = profiles.load(self.settings.config_path)
        except profiles.ConfigError as exc:
            self.notify(str(exc), title="Config file", severity="error", markup=False)
            config = profiles.ConfigFile(self.settings.config_path or profiles.config_path())
        self.push_screen(ConnectScreen(self.settings, config, reason), self._switch_to)
        self.keys.hold_keys(lambda: self.focused if isinstance(self.screen, ConnectScreen) else None)

    def action_switch_community(self) -> None:
        self.open_connect()

    def _switch_to(self, settings: Settings | None) -> None:
        if settings is None:
            return
        uploads = self._uploads
        if uploads is None or not uploads.running or self.community.settings.same_community(settings):
            self.use_settings(settings)
            return
        from mediatui.tui.screens.confirm_modal import GuardedConfirm

        def answered(yes: bool | None) -> None:
            if yes:
                self.use_settings(settings)

        self.push_screen(
            GuardedConfirm(
                f"Uploads are running on {self.community.label}. Switch?",
                [
                    uploads.board.status() or "",
                    f"They go on to the end on {self.community.label}: the upload screen (u) shows them beside the "
                    "new community's, each row naming its community. q asks before it stops them.",
                ],
                yes="y: switch",
                no="n or escape: stay",
            ),
            answered,
        )

    def use_settings(self, settings: Settings) -> None:
        """Another community: its own owner (client, picture fetcher), its own uploads and a new list screen.

        Uploads still running on the old one go on to the end there, and that community ends with them; a
        community without them ends now. Back to a community whose uploads still run: they are taken up again,
        with their community (one owner, never two sessions on one journal)."""
        from mediatui.community import Community
        from mediatui.tui import background
        from mediatui.tui.screens.browse import BrowseScreen

        log.info("switching to %s (profile %r)", settings.url, settings.profile)
        old, old_uploads = self.community, self._uploads
        if old.settings.same_community(settings):  # the same server again: kept, with its uploads; the list reloads
            old.settings = settings  # the profile's other choices (read-only, jobs, ...) are the new ones
        else:
            again = self.take_back_uploads(settings)
            if again is not None:
                self.community, self._uploads = again.community, again
                self.community.settings = settings
            else:
                self.community, self._uploads = Community(settings), None
            if old_uploads is not None:
                self.leave_uploads(old_uploads)  # those still running go on; their community ends with them
            else:
                background.start(old.close, name="mediatui-close")  # off the UI thread: never held by a hung link
        self._connection = None
        if self._first_page is not None:  # page one of the community we leave
            self._first_page.cancel()
            self._first_page = None
        self.sub_title = self.header_text(None)
        if settings.problem() is None:
            self.connection()
        # The first list is the base screen (MediaTuiApp.get_default_screen), which Textual cannot switch
        # away: the new list goes over it, and replaces the list above it on later switches.
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) > 1:
            self.switch_screen(BrowseScreen())
        else:
            self.push_screen(BrowseScreen())

    def connection_done(self, future: Any) -> None:
        """On the connecting thread: a refused token opens the connect screen (when there is a config)."""
        from mediatui.api import AuthError
        from mediatui.tui import background

        if self._connection is None or future is not self._connection:  # a connection of a community left
            return
        error = None if future.cancelled() else future.exception()
        if isinstance(error, AuthError) and self.settings.config_path is not None and self._loop is not None:
            reason = f"The server refused the token ({error.status})."
            background.soon(self._loop, self.call_later, self.open_connect, reason)  # in the app's own context

    def community_commands(self, screen: Screen[Any]) -> Any:
        """ "Switch community" in the palette of every screen but the connect screen itself."""
        from textual.app import SystemCommand

        actions = {b.action for b in screen.BINDINGS if isinstance(b, Binding)}
        if "app.switch_community" not in actions and type(screen).__name__ != "ConnectScreen":
            yield SystemCommand(
                "Switch community", "another profile or server (key: c on the list)", self.action_switch_community
            )


def _replace(settings: Settings, **changes: Any) -> Settings:
    import dataclasses

    return dataclasses.replace(settings, **changes)

"""`c` (and a refused token): the connect screen, then a question when uploads run, then the switch.

A part the app owns (`app.switching`). What a switch does (a new community,
its list) is the app's `use_settings`; this part decides when it happens. Why
a question: uploads running on the community left go on to the end there, and
the moderator should know that before the list changes under them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

    from mediatui.settings.config import Settings
    from mediatui.tui.communities import Communities
    from mediatui.tui.key_pump import KeyPump


class CommunitySwitch:
    def __init__(
        self, app: App[Any], communities: Communities, keys: KeyPump, use_settings: Callable[[Settings], None]
    ) -> None:
        self.app = app
        self.communities = communities  # which community is shown, and whether its uploads run
        self.keys = keys  # keys typed after `c` are for the connect screen's fields
        self.use_settings = use_settings

    def open_connect(self, reason: str | None = None, *, base: Settings | None = None, asked: bool = True) -> None:
        """The connect screen over whatever shows; a result switches to that community.

        `base`: what it starts from (the community shown; or the one chosen before a "no", so that nothing typed
        there is lost). `asked`: opened by a key (`c`), so keys typed after it are for its boxes; the app opening
        it by itself (a refused token) takes no keys typed for the screen underneath."""
        from mediatui.settings import profiles
        from mediatui.tui.screens.connect_screen import ConnectScreen

        app = self.app
        if isinstance(app.screen, ConnectScreen):
            return
        settings = base or self.communities.shown.settings
        try:
            config = profiles.load(settings.config_path)
        except profiles.ConfigError as exc:
            app.notify(str(exc), title="Config file", severity="error", markup=False)
            config = profiles.ConfigFile(settings.config_path or profiles.config_path())
        app.push_screen(ConnectScreen(settings, config, reason), self.chosen)
        if asked:
            self.keys.hold_keys(lambda: app.focused if isinstance(app.screen, ConnectScreen) else None)

    def chosen(self, settings: Settings | None) -> None:
        """The connect screen's answer: switch now, or ask first when that would drop typing (every screen is
        replaced) or when this community's uploads run (they go on to the end there)."""
        from mediatui.tui.screens.unsaved import ask_to_discard, unsaved_work

        if settings is None:
            return
        community, uploads = self.communities.shown, self.communities.uploads_made
        same = community.settings.same_community(settings)
        running = uploads is not None and uploads.running and not same
        lines = []
        if uploads is not None and running:
            lines = [
                uploads.board.status() or "",
                f"They go on to the end on {community.label}: the upload screen (u) shows them beside the "
                "new community's, each row naming its community. q asks before it stops them.",
            ]
        work = unsaved_work(self.app.screen_stack)
        back = lambda: self.open_connect(base=settings)  # noqa: E731 - a "no" keeps what was typed there too
        if work:
            ask_to_discard(self.app, work, "switch", lambda: self.use_settings(settings), lines, on_no=back)
            return
        if not running:
            self.use_settings(settings)
            return
        from mediatui.tui.screens.confirm_modal import GuardedConfirm

        def answered(yes: bool | None) -> None:
            if yes:
                self.use_settings(settings)
            else:
                back()

        self.app.push_screen(
            GuardedConfirm(
                f"Uploads are running on {community.label}. Switch?", lines, yes="y: switch", no="n or escape: stay"
            ),
            answered,
        )

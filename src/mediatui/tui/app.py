"""The Textual application: holds the settings and the client, pushes the screens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from mediatui.api import MediaClient
from mediatui.config import Settings
from mediatui.tui.screens.browse import BrowseScreen


def utc_now() -> datetime:
    return datetime.now(UTC)


class MediaTuiApp(App[None]):
    CSS_PATH = "mediatui.tcss"
    TITLE = "mediatui"
    BINDINGS = [Binding("q", "quit", "Quit")]  # not priority: q is typed into inputs

    def __init__(self, settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__()
        self.settings = settings
        self.clock = clock  # injected in tests so that relative times are stable
        self.client: MediaClient | None = None
        if settings.problem() is None:
            self.client = MediaClient(settings.url, settings.token.reveal(),
                                      verify=settings.verify, timeout=settings.timeout)

    def on_mount(self) -> None:
        self.sub_title = self.settings.url or "not connected"
        self.push_screen(BrowseScreen())

    def get_system_commands(self, screen: Screen):  # noqa: ANN201
        """Every key of the current screen is in the command palette too."""
        yield from super().get_system_commands(screen)
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.description and binding.action != "back":
                key = binding.key.split(",")[0].replace("question_mark", "?").replace("slash", "/")
                yield SystemCommand(binding.description, f"key: {key}",
                                    lambda action=binding.action: screen.run_action(action))

    def on_unmount(self) -> None:
        if self.client is not None:
            self.client.close()

"""The Textual application: holds the settings and the client, pushes the screens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from textual.app import App
from textual.binding import Binding

from mediatui.api import MediaClient
from mediatui.config import Settings
from mediatui.tui.screens.home import HomeScreen


def utc_now() -> datetime:
    return datetime.now(UTC)


class MediaTuiApp(App[None]):
    CSS_PATH = "mediatui.tcss"
    TITLE = "mediatui"
    BINDINGS = [Binding("q", "quit", "Quit", priority=True)]

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
        self.push_screen(HomeScreen())

    def on_unmount(self) -> None:
        if self.client is not None:
            self.client.close()

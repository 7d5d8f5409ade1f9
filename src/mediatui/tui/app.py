"""The Textual application: holds the settings and the client, pushes the screens."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from mediatui.config import Settings
from mediatui.tui.screens.browse import BrowseScreen

if TYPE_CHECKING:
    from mediatui.api import MediaClient


def utc_now() -> datetime:
    return datetime.now(UTC)


class MediaTuiApp(App[None]):
    CSS_PATH = Path(__file__).with_name("mediatui.tcss")  # absolute: subclasses elsewhere find it too
    TITLE = "mediatui"
    BINDINGS = [Binding("q", "quit", "Quit")]  # not priority: q is typed into inputs

    def __init__(self, settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> None:
        super().__init__()
        self.settings = settings
        self.clock = clock  # injected in tests so that relative times are stable
        self._client: MediaClient | None = None
        self._client_lock = threading.Lock()

    @property
    def client(self) -> MediaClient | None:
        """The API client, made on first use (from a worker: loading TLS certificates is disk work)."""
        if self.settings.problem() is not None:
            return None
        with self._client_lock:
            if self._client is None:
                from mediatui.api import MediaClient

                s = self.settings
                self._client = MediaClient(s.url, s.token.reveal(), verify=s.verify, timeout=s.timeout)
            return self._client

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
        if self._client is not None:
            self._client.close()

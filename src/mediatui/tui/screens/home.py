"""The first screen: is the community reachable, is the token good, how does it list media."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from mediatui.api import ApiError, AuthError, ServerStatus, TransportError

if TYPE_CHECKING:
    from mediatui.tui.app import MediaTuiApp


class HomeScreen(Screen[None]):
    BINDINGS = [Binding("r", "recheck", "Check again")]

    app: MediaTuiApp

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="state")
            yield Static(id="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.action_recheck()

    def action_recheck(self) -> None:
        problem = self.app.settings.problem()
        if problem or self.app.client is None:
            self._show("Not connected", problem or "", "error")
            return
        self._show("Connecting…", f"Checking {self.app.settings.url} with a real request.", "busy")
        self._probe()

    @work(thread=True, exclusive=True, group="probe")
    def _probe(self) -> None:
        client = self.app.client
        assert client is not None
        try:
            status = client.probe()
        except ApiError as exc:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._failed, exc)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._connected, status)

    def _connected(self, status: ServerStatus) -> None:
        if status.listing:
            detail = f"The server lists its media: {status.count} in all."
        else:
            detail = "The server has no media list (like the public API): media are opened by id."
        self._show("Connected", detail, "ok")

    def _failed(self, exc: ApiError) -> None:
        if isinstance(exc, AuthError):
            hint = "The token was refused (401). Set MEDIATUI_TOKEN to a valid access token and start again."
        elif isinstance(exc, TransportError):
            hint = "Check the URL and your network, then press r to try again."
        else:
            hint = "Press r to try again."
        self._show("Not connected", f"{exc.message}\n{hint}", "error")

    def _show(self, state: str, detail: str, kind: str) -> None:
        """Server text is shown literally: Text, never markup."""
        self.app.sub_title = f"{self.app.settings.url or 'no URL'} · {state.lower()}"
        label = self.query_one("#state", Static)
        label.update(Text(state))
        label.set_classes(kind)
        self.query_one("#hint", Static).update(Text(detail))

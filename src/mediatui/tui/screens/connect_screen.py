"""The connect screen: pick or write a profile, test it with a real request, save it, connect.

Thin: the settings and the test request are `mediatui.settings.connect_check`, the file
is `mediatui.settings.profiles`. Opened instead of an error line when there is no usable
URL or token or the server refuses the token, and by `c` / "Switch community".
Dismissed with the Settings to connect with, or None (escape: back as it was).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Select, Static

from mediatui.sanitize import inert
from mediatui.settings.config import Settings
from mediatui.settings.connect_check import Fields, check, settings_from
from mediatui.settings.profiles import ConfigError, ConfigFile, TokenSourceError, save_profile
from mediatui.tui import background
from mediatui.tui.screens.unsaved import ask_to_discard
from mediatui.tui.textual_compat import Header
from mediatui.tui.widgets.form_fields import InertInput
from mediatui.tui.widgets.keys_footer import KeysFooter

NEW = "\x00new"  # the Select value of "new": no profile can be named with a NUL


def _about_the_token(reason: str | None) -> bool:
    """The server refused the token (401, 403), or the token is missing: what the screen is opened for then."""
    return reason is not None and ("refused the token" in reason or reason.startswith("No access token"))


class ConnectScreen(Screen[Settings | None]):
    OFFERS_SWITCH = False  # the palette's "Switch community" would open this very screen again
    AUTO_FOCUS = ".first"  # the URL box, or the token box when the token was the problem (see __init__)
    DEFAULT_CSS = """
    ConnectScreen #connect { padding: 1 2; }
    ConnectScreen .connect-row { height: auto; margin-bottom: 1; }
    ConnectScreen .connect-row Label { width: 12; padding-top: 0; }
    ConnectScreen .connect-row Input, ConnectScreen .connect-row Select { width: 1fr; }
    ConnectScreen #connect-reason { margin-bottom: 1; }
    ConnectScreen #connect-buttons { height: auto; }
    ConnectScreen #connect-buttons Button { margin-right: 2; }
    ConnectScreen #connect-result { margin-top: 1; }
    """
    BINDINGS = [
        Binding("f2", "test", "Test"),
        Binding("f3", "save", "Save"),
        Binding("f4", "connect", "Connect"),
        Binding("escape", "cancel", "Back"),
        Binding("f1", "help", "Help"),
        Binding("q", "stay", show=False),  # typed into a text box; elsewhere it quits nothing (ctrl+q asks)
    ]

    def __init__(self, settings: Settings, config: ConfigFile, reason: str | None = None) -> None:
        super().__init__()
        self.base, self.config, self.reason = settings, config, reason
        # The URL was right when the token is refused or missing: the cursor then waits in the token box, so that
        # a pasted token (or a stray key) never replaces the URL, which is kept as it was and not selected.
        self.first = "#token" if settings.url and _about_the_token(reason) else "#url"
        self._filled: dict[str, str] | None = None  # the text boxes as a profile filled them
        self._shown_profile: object = None  # the profile whose values the boxes started from

    def compose(self) -> ComposeResult:
        names = sorted(self.config.profiles)
        current = self.base.profile if self.base.profile in self.config.profiles else NEW
        options = [(Text(inert(name, limit=40)), name) for name in names] + [(Text("new community…"), NEW)]
        yield Header()
        with VerticalScroll(id="connect"):
            yield Static(Text("Connect to a community", style="bold"))
            yield Static(Text(inert(self.reason or "", multiline=True), style="bold red"), id="connect-reason")
            with Horizontal(classes="connect-row"):
                yield Label("Profile")
                yield Select(options, value=current, allow_blank=False, id="profile", compact=True)
            with Horizontal(classes="connect-row", id="name-row"):
                yield Label("Name")
                yield InertInput(placeholder="a name for the new profile, e.g. main", id="name")
            with Horizontal(classes="connect-row"):
                yield Label("URL")
                yield InertInput(
                    self.base.url,
                    placeholder="https://your.community.example",
                    id="url",
                    classes="first" if self.first == "#url" else "",
                )
            with Horizontal(classes="connect-row"):
                yield Label("Token")
                yield Input(
                    password=True,
                    placeholder="an access token (hidden)",
                    id="token",
                    compact=True,
                    classes="first" if self.first == "#token" else "",
                )
            with Horizontal(classes="connect-row"):
                yield Label("or command")
                yield InertInput(placeholder="prints the token, e.g. pass show community/main", id="token-command")
            with Horizontal(id="connect-buttons"):
                yield Button("Test F2", id="test", compact=True)
                yield Button("Save F3", id="save", compact=True)
                yield Button("Connect F4", id="connect-button", variant="primary", compact=True)
            yield Static(id="connect-result")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._shown_profile = self.query_one("#profile", Select).value
        self._fill(self._shown_profile)

    @on(Select.Changed, "#profile")
    def _picked(self, event: Select.Changed) -> None:
        """Another profile fills the boxes with its values: what was typed into them is asked about first."""
        if event.value == self._shown_profile:  # put back after a "no", or chosen again
            return
        work = self.unsaved_work()
        if work is None:
            self._show_profile(event.value)
            return
        previous = self._shown_profile

        def back() -> None:
            self.query_one("#profile", Select).value = previous

        ask_to_discard(self.app, [work], None, lambda: self._show_profile(event.value), on_no=back)

    def _show_profile(self, name: object) -> None:
        self._shown_profile = name
        self._fill(name)

    def _fill(self, name: object) -> None:
        """Show the profile's URL and command; a saved token stays unshown (an empty field uses it)."""
        profile = self.config.profiles.get(name) if isinstance(name, str) else None
        self.query_one("#name-row").display = profile is None
        if profile is not None:
            self.query_one("#url", Input).value = profile.url
            self.query_one("#token-command", Input).value = profile.token_command
            hint = (
                "saved in the profile (empty: use it)"
                if profile.token
                else f"from ${profile.token_env} (empty: use it)"
                if profile.token_env
                else "an access token"
            )
            self.query_one("#token", Input).placeholder = hint
        self.query_one("#token", Input).value = ""
        self._filled = self._typed()

    def _typed(self) -> dict[str, str]:
        """What the text boxes hold, by the name a question calls them."""
        boxes = {"name": "#name", "URL": "#url", "token": "#token", "token command": "#token-command"}
        return {label: self.query_one(box, Input).value for label, box in boxes.items()}

    def unsaved_work(self) -> str | None:
        """Typing since the profile's values were filled in (a way out asks before it drops it)."""
        filled = self._filled
        if filled is None:
            return None
        typed = [label for label, value in self._typed().items() if value != filled[label]]
        return f"what was typed on the connect screen ({', '.join(typed)})" if typed else None

    def action_stay(self) -> None:
        """`q` where no text box takes it (the profile list, a button): one key never drops the typing."""

    def fields(self) -> Fields:
        value = self.query_one("#profile", Select).value
        name = value if isinstance(value, str) and value != NEW else self.query_one("#name", Input).value.strip()
        return Fields(
            name,
            self.query_one("#url", Input).value,
            self.query_one("#token", Input).value,
            self.query_one("#token-command", Input).value,
        )

    def say(self, text: str, *, ok: bool) -> None:
        self.query_one("#connect-result", Static).update(
            Text(inert(text, multiline=True), style="bold green" if ok else "bold red")
        )

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        actions = {"test": self.action_test, "save": self.action_save, "connect-button": self.action_connect}
        actions[event.button.id or ""]()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_connect()

    def action_test(self) -> None:
        self.say("testing…", ok=True)
        self._test(self.fields())

    @work(exclusive=True, group="connect-test", exit_on_error=False)
    async def _test(self, fields: Fields) -> None:
        outcome = await background.in_thread(check, fields, self.base, self.config)
        self.say(outcome.text, ok=outcome.ok)

    def action_save(self) -> None:
        fields = self.fields()
        if not fields.profile:
            self.say("Give the new profile a name first.", ok=False)
            return
        values: dict[str, object] = {"url": fields.url.strip()}
        if fields.token.strip():
            values.update(token=fields.token.strip(), token_command=None, token_env=None)
        elif fields.token_command.strip():
            values.update(token_command=fields.token_command.strip(), token=None, token_env=None)
        path = self.config.path
        try:
            save_profile(path, fields.profile, values)
            from mediatui.settings.profiles import load

            self.config = load(path)
        except ConfigError as exc:
            self.say(str(exc), ok=False)
            return
        self.say(f"Saved profile {fields.profile} to {path}.", ok=True)

    def action_connect(self) -> None:
        self._connect(self.fields())

    @work(exclusive=True, group="connect-test", exit_on_error=False)
    async def _connect(self, fields: Fields) -> None:
        try:
            settings = await background.in_thread(settings_from, fields, self.base, self.config)
        except TokenSourceError as exc:
            self.say(str(exc), ok=False)
            return
        problem = settings.problem()
        if problem:
            self.say(problem, ok=False)
            return
        self.dismiss(settings)

    def action_cancel(self) -> None:
        work = self.unsaved_work()
        if not work:
            self.dismiss(None)
            return
        ask_to_discard(self.app, [work], None, lambda: self.dismiss(None))

    def action_help(self) -> None:
        from mediatui.tui.screens.help_modal import HelpModal

        self.app.push_screen(HelpModal(self))

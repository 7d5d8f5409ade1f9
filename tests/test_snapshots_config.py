"""Snapshots of issue 11's scenes: the connect screen, the help of a read-only profile, the list in 16 colours.

Review a changed SVG before accepting it: `.venv/bin/pytest tests/test_snapshots_config.py --snapshot-update`.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

from mediatui.settings.config import Secret, Settings
from mediatui.settings.profiles import load
from mediatui.tui.app import MediaTuiApp
from scenes import DISPLAY_NAME, hold_cursors_still, stable_sandbox
from tui_helpers import NOW, settle, wait_for


class Standard16(LineFilter):
    """What a 16-colour terminal (TERM=xterm, no COLORTERM) shows: Rich downgrades every colour the same way."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text, _downgrade(style), control) for text, style, control in segments]


@lru_cache(maxsize=1024)
def _downgrade(style: Style | None) -> Style | None:
    if style is None:
        return None
    color = style.color.downgrade(ColorSystem.STANDARD) if style.color else None
    bgcolor = style.bgcolor.downgrade(ColorSystem.STANDARD) if style.bgcolor else None
    return style + Style.from_color(color, bgcolor)


class SixteenColours(MediaTuiApp):
    """As on a tty with TERM=xterm and no COLORTERM, where Rich picks the standard 16 colours."""

    def few_colours(self) -> bool:
        return True


def test_connect_screen(snap_compare, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        'default_profile = "main"\n[profiles.main]\nurl = "https://main.example.com"\n'
        'token_env = "MAIN_TOKEN_UNSET"\n[profiles.other]\nurl = "https://other.example.com"\n'
        'token_command = "pass show other"\nread_only = true\n'
    )
    settings = Settings.resolve(load(path), environ={}, insecure=True)
    app = MediaTuiApp(settings, clock=lambda: NOW, display_name="main.example.com")

    async def shown(pilot) -> None:
        app = pilot.app  # until mounted and focused: its first lines mount before the rows below them
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConnectScreen" and app.focused is not None)
        hold_cursors_still(pilot)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=shown)


def test_help_of_a_read_only_profile(snap_compare, tmp_path):
    with stable_sandbox(tmp_path / "sandbox") as server:
        app = MediaTuiApp(
            Settings(server.url, Secret(server.token), read_only=True, profile="main"),
            clock=lambda: NOW,
            display_name=DISPLAY_NAME,
        )

        async def helped(pilot) -> None:
            await settle(pilot)
            await pilot.press("f1")
            await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "HelpModal")
            await pilot.pause()

        assert snap_compare(app, terminal_size=(80, 24), run_before=helped)


def test_list_in_16_colours(snap_compare, tmp_path):
    with stable_sandbox(tmp_path / "sandbox") as server:
        app = SixteenColours(Settings(server.url, Secret(server.token)), clock=lambda: NOW, display_name=DISPLAY_NAME)
        app._filters.append(Standard16())  # after Textual's own: the colours as the terminal would get them

        async def marked(pilot) -> None:
            await settle(pilot)
            await pilot.press("space", "j")  # a marked row and the cursor: both must stay visible
            await settle(pilot)

        assert snap_compare(app, terminal_size=(80, 24), run_before=marked)


# NO_COLOR: the scenes list-nocolor-80x24 and form-nocolor-80x24 (tests/scenes), shown in the README too.

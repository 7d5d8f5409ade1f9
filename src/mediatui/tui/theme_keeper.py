"""The theme: the profile's at start, ANSI colours on a 16-colour terminal, and every theme chosen later saved.

A part the app owns (`app.themes`). Why saved: the palette's "Change theme" is
the only place a moderator picks one, and picking it again on every start
would be a chore. A theme picked here for 16 colours is not the person's
choice, so it is never written to their config.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

    from mediatui.settings.config import Settings


class ThemeKeeper:
    def __init__(
        self,
        app: App[Any],
        settings: Callable[[], Settings],
        set_settings: Callable[[Settings], None],
        few_colours: Callable[[], bool],
    ) -> None:
        self.app = app
        self._settings = settings
        self._set_settings = set_settings
        self._few_colours = few_colours
        self._not_chosen: str | None = None  # the theme picked for 16 colours, not by the person

    def start(self) -> None:
        """The config's theme, then save every theme chosen later (the palette's "Change theme")."""
        app = self.app
        theme = self._settings().theme
        if not theme and self._few_colours():
            # 16 colours (TERM=xterm or screen, no COLORTERM): the default theme's greys collapse into one,
            # and header or table titles vanish; the ANSI theme uses the terminal's own palette instead.
            theme = self._not_chosen = "ansi-dark"
        if theme and theme in app.available_themes:
            app.theme = theme
        app.theme_changed_signal.subscribe(app, self._save)

    def _save(self, theme: Any) -> None:
        settings = self._settings()
        path = settings.config_path
        if self._not_chosen == theme.name:
            self._not_chosen = None
            return
        if path is None or theme.name == settings.theme:
            return
        from mediatui.settings import profiles

        try:
            profiles.save_theme(path, theme.name)
        except profiles.ConfigError as exc:
            self.app.notify(str(exc), title="Theme not saved", severity="warning", markup=False)
            return
        self._set_settings(dataclasses.replace(settings, theme=theme.name))

"""The footer of every screen: Textual's own, rebuilt only when the keys it shows change.

Textual's Footer rebuilds itself (a widget per key, each styled and laid out)
whenever the screen's bindings may have changed, and they may on every focus
move. Tab through the edit form cost ~80 ms of CPU a press with the rebuild and
~25 ms without it (measured on the 2-core machine), and a rebuild repaints the
footer line over SSH. The keys shown only change when a shown binding's key,
description or enabled state does, so that is compared first.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from mediatui.tui.textual_compat import footer_keys, is_footer_key

#: From this width on, a screen's FOOTER_WIDE_ONLY keys show in the footer too (at 80 columns they would not fit).
FOOTER_WIDE = 100
FOOTER_ROOMY = 120  # from here on, the footer's usual spacing again


def full_name(binding: Binding) -> str:
    """A key's name in the palette and F1: its tooltip when the footer shows a short label ("New"), else its
    description."""
    return binding.tooltip or binding.description


class KeysFooter(Footer):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._built_for: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            key = is_footer_key(widget)
            if key is not None:
                widget.display = self._fits(key)
            yield widget

    def on_resize(self, event: events.Resize) -> None:
        self.compact = FOOTER_WIDE <= self.size.width < FOOTER_ROOMY  # ten keys fit 100 columns with less space
        for widget, key in footer_keys(self):
            widget.display = self._fits(key)

    def _fits(self, key: str) -> bool:
        """Keys of the screen's FOOTER_WIDE_ONLY show from FOOTER_WIDE columns on; F1 lists them all anyway."""
        return self.size.width >= FOOTER_WIDE or key not in getattr(self.screen, "FOOTER_WIDE_ONLY", ())

    def bindings_changed(self, screen: Screen[Any]) -> None:
        shown = self._keys_shown(screen)
        if shown == self._built_for:
            return
        super().bindings_changed(screen)
        if screen.app.app_focus and self.is_attached and screen is self.screen:  # the cases where Textual rebuilds
            self._built_for = shown

    def _keys_shown(self, screen: Screen[Any]) -> tuple[object, ...]:
        app = screen.app
        palette = app.COMMAND_PALETTE_BINDING
        return (self.show_command_palette and app.ENABLE_COMMAND_PALETTE,) + tuple(
            (key, binding.key, binding.description, binding.action, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette
        )

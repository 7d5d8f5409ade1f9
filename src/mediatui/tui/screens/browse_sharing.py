"""The list's ways to take a media elsewhere: copy its URL, JSON or id (OSC 52), and its links (OSC 8).

Both travel in the terminal's own stream, so over SSH they reach the
moderator's machine, not the server's. OSC 52 cannot say whether the terminal
took the text, so a toast shows what was copied (inert, shortened), as it
would have been pasted. Everything copied passes the sanitizer first: a
control character on a clipboard acts when it is pasted into a terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mediatui.media.links import media_links
from mediatui.sanitize import inert, inert_json

if TYPE_CHECKING:
    from textual.screen import Screen

    from mediatui.api import Media

SHOWN = 120  # characters of the copied text the toast shows


class Sharing:
    """`current()`: the media under the list's cursor, if any."""

    def __init__(self, screen: Screen[Any], current: Callable[[], Media | None]) -> None:
        self.screen = screen
        self.current = current

    def _current(self) -> Media | None:
        media = self.current()
        if media is None:
            self.screen.notify("No media here.", markup=False)
        return media

    def _copy(self, text: str, what: str) -> None:
        self.screen.app.copy_to_clipboard(text)
        self.screen.notify(inert(text, limit=SHOWN), title=f"{what} copied", markup=False)

    def copy_url(self) -> None:
        media = self._current()
        url = media and (media.url or media.image or media.oembed_url)
        if media is None:
            return
        if not url:
            self.screen.notify("This media has no URL to copy.", markup=False)
            return
        self._copy(inert(url), "URL")

    def copy_json(self) -> None:
        """One line of JSON, as the server gave it (unknown fields too): a control or bidi character in it is
        escaped (\\u001b), so the JSON is the same once parsed and inert until then."""
        media = self._current()
        if media is not None:
            self._copy(inert_json(media.to_json()), "JSON")

    def copy_id(self) -> None:
        media = self._current()
        if media is None:
            return
        if media.id is None:
            self.screen.notify("This media has no id to copy.", markup=False)
            return
        self._copy(str(media.id), "Id")

    def links(self) -> None:
        from mediatui.tui.screens.links_modal import LinksModal

        media = self._current()
        if media is not None:
            heading = inert(f"#{media.id} {media.display_title}", limit=60)
            self.screen.app.push_screen(LinksModal(heading, media_links(media)))

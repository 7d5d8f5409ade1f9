"""The session's previews: on or off (`P`), the pictures kept, and how media files are fetched.

One per app, handed to the widgets that draw pictures. Why not the profile
alone: `P` switches previews for this session only ("off" fetches nothing,
for slow links), and the pictures kept serve every list of the session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mediatui.pictures.preview import PictureCache

if TYPE_CHECKING:
    from mediatui.pictures.fetch import Fetcher


class Previews:
    """`mode`: "auto", "kitty" or "halfblock" draw pictures; "off" fetches nothing. `fetcher()` is the community
    shown's client for media files (it never carries the token)."""

    def __init__(self, mode: str, fetcher: Callable[[], Fetcher], cache: PictureCache | None = None) -> None:
        self.mode = mode
        self.fetcher = fetcher
        self.cache = cache or PictureCache()

    @property
    def on(self) -> bool:
        return self.mode != "off"

    def toggle(self, profile_mode: str) -> bool:
        """`P`: off, or back on the way the profile says ("auto" if the profile says "off"). True when on."""
        self.mode = "off" if self.on else profile_mode if profile_mode != "off" else "auto"
        return self.on

"""What the list screen's workers report back to it (posted from threads)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from mediatui.api import ApiError, Media
from mediatui.listing import Chunk, Listing


@dataclass
class Ready(Message):
    listing: Listing


@dataclass
class PageLoaded(Message):
    generation: int
    chunk: Chunk


@dataclass
class LoadFailed(Message):
    generation: int
    error: ApiError


@dataclass
class Refreshed(Message):
    media_id: int
    media: Media | None


@dataclass
class Opened(Message):
    found: list[Media]
    missing: list[int]
    failed: list[tuple[int, str]]

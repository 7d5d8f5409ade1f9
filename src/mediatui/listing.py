"""Where the list screen's rows come from: the server's list, or the local catalogue.

Both give pages of media newest first, filtered by type and search, so the
screen holds only the pages it has loaded. No Textual here; called from workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mediatui.api import ApiError, Media, NotFound

if TYPE_CHECKING:
    from mediatui.api import MediaClient
    from mediatui.catalogue import Catalogue

SERVER = "server"
CATALOGUE = "catalogue"


@dataclass(frozen=True, slots=True)
class Filter:
    type: str | None = None
    search: str | None = None

    def describe(self) -> str:
        parts = [f"type {self.type}"] if self.type else []
        if self.search:
            parts.append(f"search {self.search!r}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Chunk:
    """One page: the total that matches, the media at `offset`, and which of them are known gone."""

    offset: int
    count: int
    media: list[Media]
    gone: frozenset[int] = frozenset()


class Listing:
    def __init__(self, client: MediaClient, catalogue: Catalogue, mode: str) -> None:
        self.client = client
        self.catalogue = catalogue
        self.mode = mode

    def page(self, offset: int, limit: int, where: Filter) -> Chunk:
        if self.mode == SERVER:
            page = self.client.list(limit=limit, offset=offset, type=where.type, search=where.search)
            return Chunk(offset, page.count, page.results)
        count, media = self.catalogue.page(limit, offset, where.type, where.search)
        gone = self.catalogue.gone_ids([m.id for m in media if m.id is not None])
        return Chunk(offset, count, media, frozenset(gone))

    def refresh(self, media_id: int) -> Media | None:
        """GET one media, remembering it; None (and marked gone) when the server says 404."""
        try:
            media = self.client.get(media_id)
        except NotFound:
            self.catalogue.mark_gone(media_id)
            return None
        self.catalogue.record(media)
        return media

    def open_ids(self, ids: list[int]) -> tuple[list[Media], list[int], list[tuple[int, str]]]:
        """GET each id: found (and added to the catalogue), not found, and other failures."""
        found, missing, failed = [], [], []
        for media_id in ids:
            try:
                media = self.refresh(media_id)
            except ApiError as exc:
                failed.append((media_id, exc.message))
                continue
            if media is None:
                missing.append(media_id)
            else:
                found.append(media)
        return found, missing, failed

    def forget(self, media_id: int) -> None:
        """The server confirmed the deletion."""
        self.catalogue.remove(media_id)

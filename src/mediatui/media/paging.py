"""The list screen's bookkeeping, without Textual: which pages are held, marks, where the cursor goes.

Kept apart from the screen so that the arithmetic that loses rows when it is
wrong (offsets after deletions and uploads, totals, marks across reloads) is tested
without a pilot.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from mediatui.api import Media


@dataclass(frozen=True, slots=True)
class PageRequest:
    generation: int  # which filter it belongs to
    offset: int
    shifts: int  # rows moved (deletions confirmed, uploads added) when it was sent

    def number(self, page_size: int) -> int:
        return self.offset // page_size + 1


class Paging:
    """The rows of the server's list held so far (a prefix), and what to ask for next.

    A deletion confirmed while a page is in flight leaves that page's offset
    ambiguous: the server may have counted from before or after it. Such a
    page is thrown away and asked again from the new offset, so no row is
    skipped and the total (taken from the answer) is never decremented twice.
    """

    def __init__(self, page_size: int = 50, prefetch: int = 15) -> None:
        self.page_size = page_size
        self.prefetch = prefetch
        self.generation = 0
        self.total: int | None = None
        self.ids: list[int] = []
        self.pending: PageRequest | None = None
        self.failed: PageRequest | None = None
        self.error: str | None = None
        self.shifts = 0

    def restart(self) -> PageRequest:
        """A new filter or a reload: forget the rows, ask for the first page."""
        self.generation += 1
        self.total = None
        self.ids = []
        self.failed = self.error = None
        self.pending = PageRequest(self.generation, 0, self.shifts)
        return self.pending

    @property
    def complete(self) -> bool:
        return self.total is not None and len(self.ids) >= self.total

    def next_request(self, row: int | None = None, *, retry: bool = False) -> PageRequest | None:
        """The next page if the cursor (`row` of the held rows) is near the end; a failed page only on `retry`."""
        if self.pending is not None or self.total is None or self.complete:
            return None
        if self.failed is not None and not retry:
            return None
        if row is not None and row < len(self.ids) - self.prefetch:
            return None
        self.pending = PageRequest(self.generation, len(self.ids), self.shifts)
        return self.pending

    def arrived(self, request: PageRequest, count: int, ids: list[int]) -> list[int] | None:
        """The ids to add, in order; None when the answer is stale (the caller asks `next_request` again)."""
        if request.generation != self.generation:
            return None
        self.pending = None
        if request.shifts != self.shifts:
            if request.offset == 0 and not self.ids:
                self.pending = PageRequest(self.generation, 0, self.shifts)
            return None
        self.failed = self.error = None
        self.total = count
        held = set(self.ids)
        new = [i for i in ids if i not in held]
        self.ids.extend(new)
        return new

    def fail(self, request: PageRequest, why: str) -> bool:
        """Remember a page that could not be loaded; False when it belongs to an older filter."""
        if request.generation != self.generation:
            return False
        self.pending = None
        self.failed, self.error = request, why
        return True

    def added(self, media_id: int) -> None:
        """A media the server made just now (an upload completed here): the newest, so it is the first row and
        the server's rows after it moved down by one. A page in flight was counted before or after it: asked
        again, as after a deletion."""
        if media_id in self.ids or self.total is None:  # before the first page: that page lists it itself
            return
        self.shifts += 1
        self.ids.insert(0, media_id)
        if self.total is not None:
            self.total += 1

    def deleted(self, media_id: int) -> None:
        """The server confirmed a deletion: the rows after it moved up by one."""
        self.shifts += 1
        if media_id in self.ids:
            self.ids.remove(media_id)
            if self.total:
                self.total -= 1


class Marks:
    """Marked media by id; they survive reloads and filters, and leave only when the media does."""

    def __init__(self) -> None:
        self.media: dict[int, Media] = {}

    def __contains__(self, media_id: object) -> bool:
        return media_id in self.media

    def __len__(self) -> int:
        return len(self.media)

    def toggle(self, media: Media) -> bool:
        assert media.id is not None
        if media.id in self.media:
            del self.media[media.id]
            return False
        self.media[media.id] = media
        return True

    def discard(self, media_id: int) -> None:
        self.media.pop(media_id, None)

    def hidden(self, shown: set[int]) -> int:
        """Marked media that the current filter does not show."""
        return sum(1 for media_id in self.media if media_id not in shown)

    def listed(self, listed: set[int], *, complete_and_unfiltered: bool) -> None:
        """After a full, unfiltered listing, marks of media the server no longer lists are dropped."""
        if complete_and_unfiltered:
            for media_id in [i for i in self.media if i not in listed]:
                del self.media[media_id]


class Pinned:
    """Media opened by id: shown first, in the order asked, whether or not a page holds them.

    They are not part of the server's pages, so the rows before the pages' first one are theirs:
    `shown` counts them, and the next page is asked for by the row less that.
    """

    def __init__(self) -> None:
        self.ids: list[int] = []

    def __contains__(self, media_id: object) -> bool:
        return media_id in self.ids

    def __iter__(self) -> Iterator[int]:
        return iter(self.ids)

    def pin(self, ids: list[int]) -> None:
        """These first, in this order; those pinned before follow."""
        self.ids = ids + [i for i in self.ids if i not in ids]

    def discard(self, media_id: int) -> None:
        if media_id in self.ids:
            self.ids.remove(media_id)

    def keep(self, held: Collection[int]) -> list[int]:
        """Before a reload: only those still held stay pinned; they are returned in order."""
        self.ids = [i for i in self.ids if i in held]
        return list(self.ids)

    def shown(self, held: Collection[int]) -> int:
        """How many of the rows held are pinned ones (they come before the pages' rows)."""
        return sum(1 for i in self.ids if i in held)

    def order(self, held: Iterable[int]) -> list[int]:
        """The rows held, pinned ones first (in their order), then the others in the order given."""
        rows = list(held)
        present = set(rows)
        return [i for i in self.ids if i in present] + [i for i in rows if i not in self.ids]


def nearest(order: list[int], current: int | None, removed: set[int]) -> int | None:
    """Where the cursor goes after rows were removed: the same media, else the next row left, else the previous."""
    if current is None:
        return next((i for i in order if i not in removed), None)
    if current not in removed:
        return current
    if current not in order:
        return next((i for i in order if i not in removed), None)
    at = order.index(current)
    after = next((i for i in order[at + 1 :] if i not in removed), None)
    if after is not None:
        return after
    return next((i for i in reversed(order[:at]) if i not in removed), None)

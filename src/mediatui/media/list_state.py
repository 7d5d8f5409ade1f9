"""What the list screen shows and why, without Textual: the filter, the pages held, marks, loading, problems.

The list screen asks this what to do with an answer (add these rows, ask
again, say this) and draws the result; so the rules that lose rows or tell
the wrong story when they are wrong are tested without a pilot
(tests/test_list_model.py). The arithmetic of pages and marks is in
`mediatui.media.paging`; this puts it together with the rest of the state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from mediatui.api import Media
from mediatui.api.retry import retry_said
from mediatui.media.listing import Chunk, Filter, Listing
from mediatui.media.paging import Marks, PageRequest, Paging
from mediatui.sanitize import inert


@dataclass(frozen=True)
class Arrival:
    """A page's answer: the rows to add, which of them are known gone, or (stale answer) the request to send."""

    media: list[Media] = field(default_factory=list)
    gone: frozenset[int] = frozenset()
    again: PageRequest | None = None
    stale: bool = False


MESSAGE_SECONDS = 5.0  # a status line message shows this long at most


class ListState:
    def __init__(self, page_size: int, prefetch: int) -> None:
        self.listing: Listing | None = None
        self.where = Filter()
        self.paging = Paging(page_size, prefetch)
        self.marks = Marks()
        self.fetching = False
        self.problem: str | None = None  # why nothing can be listed (not connected, a refused token, ...)
        self.note: str | None = None  # what holds now (loading, a failed page, a retry), at the end of the status line
        self.said: str | None = None  # the last thing that happened: it goes after MESSAGE_SECONDS or the next move
        self._said_at = 0.0
        self.clock: Callable[[], float] = time.monotonic
        self._toasted: set[str] = set()
        self._retry_note: str | None = None  # the note that says a read is retried: it goes once one succeeds

    def say(self, text: str) -> None:
        """A message for the status line: what an action did ("opened 2", "search cleared")."""
        self.said, self._said_at = text, self.clock()

    def moved(self) -> None:
        """The moderator acted again (the cursor moved): the last message has been read."""
        self.said = None

    def message(self) -> str | None:
        """What the status line ends with: the message while fresh, else what holds now."""
        if self.said is not None and self.clock() - self._said_at < MESSAGE_SECONDS:
            return self.said
        return self.note

    @property
    def mode(self) -> str | None:
        return self.listing.mode if self.listing is not None else None

    # -- connecting and loading ----------------------------------------------------------

    def connecting(self, *, again: bool = False) -> None:
        self.problem = None
        self.note = self._retry_note = "reconnecting…" if again else None  # goes once a request succeeds
        self.fetching = True

    def failed(self, problem: str) -> None:
        """Nothing can be listed, and this says why."""
        self.problem = problem
        self.fetching = False

    def loading(self) -> None:
        self.fetching = True
        self.note = None

    def undo_step(self, pinned: int) -> tuple[Filter | None, str] | None:
        """What escape on the list clears next, one step at a time: the search, then the type filter, then my
        uploads, then the `pinned` rows opened by id. The filter to apply (None: only the pins go) and what to
        say; None when the view is as it started."""
        where = self.where
        steps = [
            ("search", bool(where.search)),
            ("type filter", bool(where.type)),
            ("my uploads", where.mine is not None),
            ("pinned rows", pinned > 0),
        ]
        left = [name for name, present in steps if present]
        if not left:
            return None
        after = f" · escape: {left[1]} next" if len(left) > 1 else ""
        if where.search:
            return Filter(where.type, None, where.mine), f"search “{inert(where.search, limit=40)}” cleared{after}"
        if where.type:
            return Filter(None, None, where.mine), f"type filter ({where.type}) cleared{after}"
        if where.mine is not None:
            return Filter(), f"my uploads filter cleared{after}"
        return None, f"{pinned} pinned row{'s' if pinned != 1 else ''} cleared"

    def filter(self, where: Filter) -> None:
        self.where = where

    def arrived(self, request: PageRequest, chunk: Chunk) -> Arrival:
        """Which rows of `chunk` to add (in order); a stale answer (an older filter, rows moved by deletions or uploads)
        says which request to send instead, if any."""
        paging = self.paging
        if request.generation != paging.generation:  # an older filter's: the current one's request is on its way
            return Arrival(stale=True)
        new = paging.arrived(request, chunk.count, [m.id for m in chunk.media if m.id is not None])
        if new is None:  # deletions or uploads moved the rows while it was on its way: the page is asked again
            return Arrival(again=paging.pending or paging.next_request(retry=True), stale=True)
        self.fetching = False
        self.succeeded()
        if paging.complete and not self.where.active:
            self.marks.listed(set(paging.ids), complete_and_unfiltered=True)
        wanted = set(new)
        return Arrival([m for m in chunk.media if m.id in wanted], chunk.gone)

    def page_failed(self, request: PageRequest, why: str, *, rows_shown: bool) -> bool:
        """A page did not come. False when that changes nothing (an older request). With rows shown, the note says
        which page failed; without, the caller says why nothing can be listed (`failed`)."""
        if not self.paging.fail(request, why):
            return False
        self.fetching = False
        if rows_shown:
            self.note = f"page {request.number(self.paging.page_size)} failed: {why} · r retries"
        return True

    def toast_once(self, text: str) -> bool:
        """True the first time `text` is to be toasted until something succeeds again (one toast per error)."""
        if text in self._toasted:
            return False
        self._toasted.add(text)
        return True

    def retrying(self, attempt: int, delay: float, why: str) -> None:
        self.note = self._retry_note = retry_said(why, attempt, delay)

    def succeeded(self) -> None:
        """A request of this community was answered: its errors may be toasted again, a retry note goes."""
        self._toasted.clear()
        if self.note is not None and self.note == self._retry_note:  # not a note said since
            self.note = None
        self._retry_note = None

    def next_page(self, row: int, *, pinned_shown: int = 0, retry: bool = False) -> PageRequest | None:
        """The page to ask for when the cursor is on `row` of the table (rows opened by id come first)."""
        return self.paging.next_request(row - pinned_shown, retry=retry)

    # -- deleting ----------------------------------------------------------------------------

    def added(self, media: Media) -> None:
        """A media made just now (an upload) is the list's top row: counted, where the filter would list it (a
        search cannot be told here: the count then waits for the next page)."""
        if media.id is not None and self.where.mine is not None:  # one of mine from now on, whatever else filters
            self.where = Filter(self.where.type, self.where.search, self.where.mine | {media.id})
        if media.id is None or self.where.search or (self.where.type and str(media.type) != self.where.type):
            return
        self.paging.added(media.id)

    def deleted(self, media_id: int) -> None:
        """The server confirmed it gone (204, or 404): offsets move now, its mark goes."""
        self.paging.deleted(media_id)
        self.marks.discard(media_id)
        self.succeeded()

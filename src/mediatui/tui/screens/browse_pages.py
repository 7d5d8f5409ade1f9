"""The list screen's pages: connecting, loading, retrying and saying what failed.

A mixin of BrowseScreen, split out by concern. Network calls run on daemon
threads (`tui.background`) from async workers, so quitting never waits for a
request stuck in the network; the arithmetic lives in `mediatui.media.paging`.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.widgets import Static

from mediatui.api import ApiError, ListingUnsupported
from mediatui.media.listing import CATALOGUE, Chunk, Listing
from mediatui.media.paging import PageRequest
from mediatui.tui.background import in_thread
from mediatui.tui.widgets.loading_line import LoadingLine
from mediatui.tui.wording import empty_text, explain, short, status_text

if TYPE_CHECKING:
    from mediatui.tui.screens.browse_base import ListScreenBase

    _Base = ListScreenBase
else:
    _Base = object


class PagesMixin(_Base):
    # -- connecting ---------------------------------------------------------------

    def connect(self, *, again: bool = False) -> None:
        problem = self.app.settings.problem()
        if problem:
            self._fail(problem)
            return
        self.problem = None
        self.note = "reconnecting…" if again else None
        self.fetching = True
        self._render_status()
        connection = self.app.connection(again=again)
        if connection.done() and connection.exception() is None:  # page one came first (mediatui.runtime.first_page)
            request = self.paging.restart()
            self.table.reset(keep_pinned=True)
            self._connected(request, *connection.result())  # so its rows are in the first frame
            return
        self._connect(connection)

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def _connect(self, connection: Future[tuple[Listing, Chunk]]) -> None:
        request = self.paging.restart()
        self.table.reset(keep_pinned=True)
        try:
            listing, chunk = await asyncio.wrap_future(connection)
        except Exception as exc:  # noqa: BLE001 - an ApiError, a bad URL, a local fault: say it, go on
            self.fetching = False
            self.app.set_connected(False)
            self._fail(explain(exc))
            return
        self._connected(request, listing, chunk)

    def _connected(self, request: PageRequest, listing: Listing, chunk: Chunk) -> None:
        self.listing = listing
        self.app.set_connected(True)
        self._took(request, chunk)
        self.call_after_refresh(self.app.rows_shown)  # once these rows are out, not before

    # -- loading pages ------------------------------------------------------------

    def reload(self) -> None:
        """Start over from the first page (new filter, refresh, or after opening ids)."""
        if self.listing is None:
            self.connect(again=True)
            return
        self.table.reset(keep_pinned=True)
        self._load(self.paging.restart())

    def _load(self, request: PageRequest) -> None:
        self.fetching = True
        self.note = None
        self._render_status()
        self._fetch(request)

    @work(group="pages", exit_on_error=False)
    async def _fetch(self, request: PageRequest) -> None:
        listing = self.listing
        assert listing is not None
        try:
            chunk = await in_thread(listing.page, request.offset, self.paging.page_size, self.where)
        except ListingUnsupported:
            listing.mode = CATALOGUE  # the list went away: fall back to the catalogue
            self.paging.fail(request, "no list")
            self.reload()
            return
        except Exception as exc:  # noqa: BLE001 - no worker exception ends the app
            self._page_failed(request, exc)
            return
        self._took(request, chunk)

    def _took(self, request: PageRequest, chunk: Chunk) -> None:
        new = self.paging.arrived(request, chunk.count, [m.id for m in chunk.media if m.id is not None])
        if new is None:  # an older filter, or deletions moved the rows meanwhile: ask again
            again = self.paging.pending or self.paging.next_request(retry=True)
            if again is not None and again.generation == self.paging.generation:
                self._load(again)
            return
        self.fetching = False
        self._toasted.clear()
        self.app.set_connected(True)
        self.table.gone.update(chunk.gone)
        first = not self.table.rows_media
        wanted = set(new)
        self.table.add_media([m for m in chunk.media if m.id in wanted])
        self.table.pay_owed()
        if self.paging.complete and not self.where.type and not self.where.search:
            self.marks.listed(set(self.paging.ids), complete_and_unfiltered=True)
        if first:  # after the rows' frame, like a cursor that came to rest: the first rows are not held for it
            from mediatui.tui.screens.browse import DETAIL_DELAY

            self._detail_timer = self.set_timer(DETAIL_DELAY, self._show_current)
        self._render_status()

    def _page_failed(self, request: PageRequest, error: BaseException) -> None:
        if not self.paging.fail(request, short(error)):
            return
        self.table.owed = 0  # the page did not come: the downs waiting for it are dropped
        self.fetching = False
        self.app.set_connected(False)
        if not self.table.rows_media:
            self._fail(explain(error))
            return
        self.note = f"page {request.number(self.paging.page_size)} failed: {short(error)} · r retries"
        self._toast_once(short(error), "Could not load more")
        self._render_status()

    def _toast_once(self, text: str, title: str) -> None:
        """At most one toast per distinct error until something succeeds again."""
        if text in self._toasted:
            return
        self._toasted.add(text)
        self.notify(text, title=title, severity="error", markup=False)

    def retrying(self, attempt: int, delay: float, error: ApiError) -> None:
        """Told by the reads before each retry (on the UI loop)."""
        self.note = f"{short(error)}, retrying in {delay:.1f} s ({attempt})"
        self.app.set_connected(False)  # the last request failed, though the next may not
        self._render_status()

    def _fail(self, text: str) -> None:
        self.problem = text
        self.fetching = False
        self.app.set_connected(False)
        self._render_status()

    def _maybe_load_more(self, row: int, *, retry: bool = False) -> None:
        row -= len([i for i in self.table.pinned if i in self.table.rows_media])
        request = self.paging.next_request(row, retry=retry)
        if request is not None:
            self._load(request)

    # -- the status line ------------------------------------------------------------

    def _render_status(self) -> None:
        notice = self.query_one("#notice", Static)
        total = self.paging.total
        if self.problem:
            notice.update(Text(self.problem))
            notice.set_classes("error")
        elif total == 0 and not self.fetching:
            notice.update(Text(empty_text(self.where, self.listing.mode if self.listing else None)))
            notice.set_classes("empty")
        notice.display = bool(self.problem) or (total == 0 and not self.fetching and not self.table.row_count)
        self.query_one(LoadingLine).set_busy(self.fetching and not self.problem and not self.table.row_count)
        self.table.display = self.detail.display = not self.problem
        shown = set(self.table.rows_media)
        text = status_text(
            self.listing.mode if self.listing else None,
            self.problem,
            total,
            len(self.paging.ids),
            self.where,
            len(self.marks),
            self.fetching,
            hidden_marks=self.marks.hidden(shown),
            note=self.note,
        )
        uploading = self.app.upload_status()  # "uploading 2 of 5 · 43%" while uploads run
        if uploading:
            text = f"{uploading} · {text}"
        self.query_one("#status", Static).update(Text(text))

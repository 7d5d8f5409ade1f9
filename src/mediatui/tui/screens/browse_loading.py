"""The list screen's pages: connecting, loading, retrying and saying what failed.

A part of the list screen (its `loader`). Network calls run on daemon
threads (`tui.background`) from the screen's async workers, so quitting never
waits for a request stuck in the network. What to do with each answer is
decided by the Textual-free `mediatui.media.list_state`; this draws it.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from functools import partial
from typing import TYPE_CHECKING

from mediatui.api import ApiError, AuthError, ListingUnsupported
from mediatui.media.listing import CATALOGUE, Chunk, Filter, Listing
from mediatui.media.paging import PageRequest
from mediatui.sanitize import inert
from mediatui.tui.background import in_thread
from mediatui.tui.wording import explain, short

if TYPE_CHECKING:
    from mediatui.tui.screens.browse_view import ListScreenView


class PageLoader:
    def __init__(self, view: ListScreenView) -> None:
        self.view = view

    # -- connecting ---------------------------------------------------------------

    def connect(self, *, again: bool = False) -> None:
        view, state = self.view, self.view.state
        problem = view.context.community.settings.problem()
        if problem:
            self.fail(problem)
            return
        state.connecting(again=again)
        view.render_status()
        connection = view.context.connection.connection(again=again)
        if connection.done() and connection.exception() is None:  # page one came first (mediatui.runtime.first_page)
            request = state.paging.restart()
            view.table.reset(keep_pinned=True)
            self._connected(request, *connection.result())  # so its rows are in the first frame
            return
        view.run_worker(partial(self._connect, connection), group="connect", exclusive=True, exit_on_error=False)

    async def _connect(self, connection: Future[tuple[Listing, Chunk]]) -> None:
        request = self.view.state.paging.restart()
        self.view.table.reset(keep_pinned=True, hides=self.view.state.where.hides)
        try:
            listing, chunk = await asyncio.wrap_future(connection)
        except Exception as exc:  # noqa: BLE001 - an ApiError, a bad URL, a local fault: say it, go on
            self.view.context.connected(False)
            self.fail(explain(exc))
            return
        self._connected(request, listing, chunk)

    def _connected(self, request: PageRequest, listing: Listing, chunk: Chunk) -> None:
        self.view.state.listing = listing
        self.view.context.connected(True)
        self._took(request, chunk)
        self.view.call_after_refresh(self.view.context.rows_shown)  # once these rows are out, not before

    # -- loading pages ------------------------------------------------------------

    def reload(self) -> None:
        """Start over from the first page (new filter, refresh, or after opening ids)."""
        if self.view.state.listing is None:
            self.connect(again=True)
            return
        self.view.table.reset(keep_pinned=True, hides=self.view.state.where.hides)
        self._load(self.view.state.paging.restart())

    def _load(self, request: PageRequest) -> None:
        self.view.state.loading()
        self.view.render_status()
        self.view.run_worker(partial(self._fetch, request), group="pages", exit_on_error=False)

    async def _fetch(self, request: PageRequest) -> None:
        state = self.view.state
        listing = state.listing
        assert listing is not None
        try:
            chunk = await in_thread(listing.page, request.offset, state.paging.page_size, state.where)
        except ListingUnsupported as exc:
            if request.offset > 0:  # only page one says whether the server has a list: a later 404 fails a page
                self._page_failed(request, exc)
                return
            listing.mode = CATALOGUE  # the list went away: fall back to the catalogue
            state.paging.fail(request, "no list")
            self.reload()
            return
        except Exception as exc:  # noqa: BLE001 - no worker exception ends the app
            from mediatui.localdb import LocalDataError  # here: SQLite loads after the first paint

            if isinstance(exc, LocalDataError):  # the catalogue's file (my uploads, no server list): not the link
                self._local_failed(request, exc)
            else:
                self._page_failed(request, exc)
            return
        self._took(request, chunk)

    def _local_failed(self, request: PageRequest, error: Exception) -> None:
        """A local file failed (it names itself, and what to do): said as that, the connection left as it is."""
        view = self.view
        text = inert(str(error), limit=300)
        if not view.state.page_failed(request, text, rows_shown=bool(view.table.rows_media)):
            return
        where = view.state.where
        if where.mine is not None:  # my uploads cannot be read: every media again, and why
            view.state.filter(Filter(where.type, where.search))
            view.notify(f"Your uploads cannot be read: {text}", severity="error", markup=False)
            self.reload()
            return
        view.table.owed = 0
        if not view.table.rows_media:
            view.state.failed(text)
        elif view.state.toast_once(text):
            view.notify(text, title="Could not load more", severity="error", markup=False)
        view.render_status()

    def _took(self, request: PageRequest, chunk: Chunk) -> None:
        view = self.view
        arrival = view.state.arrived(request, chunk)
        if arrival.stale:  # an older filter, or deletions or uploads moved the rows: ask again
            if arrival.again is not None:
                self._load(arrival.again)
            return
        view.context.connected(True)
        table = view.table
        table.gone.update(arrival.gone)
        first = not table.rows_media
        table.add_media(arrival.media)
        table.pay_owed()
        if first:  # after the rows' frame, like a cursor that came to rest: the first rows are not held for it
            view.show_current_soon()
        view.render_status()

    def _page_failed(self, request: PageRequest, error: BaseException) -> None:
        view = self.view
        if not view.state.page_failed(request, short(error), rows_shown=bool(view.table.rows_media)):
            return
        view.table.owed = 0  # the page did not come: the downs waiting for it are dropped
        view.context.connected(False)
        if isinstance(error, AuthError):
            view.context.refused(error)  # expired while the list was open: the connect screen asks for a token
        if not view.table.rows_media:
            self.fail(explain(error))
            return
        if view.state.toast_once(short(error)):
            view.notify(short(error), title="Could not load more", severity="error", markup=False)
        view.render_status()

    def retrying(self, attempt: int, delay: float, error: ApiError) -> None:
        """Told by the reads before each retry (on the UI loop)."""
        self.view.state.retrying(attempt, delay, short(error))
        self.view.context.connected(False)  # the last request failed, though the next may not
        self.view.render_status()

    def fail(self, text: str) -> None:
        """Nothing can be listed: the notice says why."""
        self.view.state.failed(text)
        self.view.context.connected(False)
        self.view.render_status()

    def more(self, row: int, *, retry: bool = False) -> None:
        """The cursor is on `row`: the next page is asked for when it nears the end (a failed one on `retry`)."""
        table = self.view.table
        request = self.view.state.next_page(row, pinned_shown=table.pinned.shown(table.rows_media), retry=retry)
        if request is not None:
            self._load(request)

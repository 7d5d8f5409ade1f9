"""The list's connection to the community shown: its client and page one, on a daemon thread.

A part the app owns (`app.list_connection`), started before the first paint
so that the network overlaps it, and handed to each list screen. Why not in
the list screen: it starts before any screen exists, and page one may come
from a child process started before the app (mediatui.runtime.first_page).
A switch of community forgets it; the next list asks again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING

from mediatui.runtime.first_page import NoList
from mediatui.tui import background

if TYPE_CHECKING:
    from mediatui.api import ApiError, Page
    from mediatui.community import Community
    from mediatui.media.listing import Chunk, Listing
    from mediatui.runtime.first_page import FirstPage

Connection = Future[tuple["Listing", "Chunk"]]
#: A first page's child that failed the way a read is retried: said as the first try (no answer for 30 s before).
FIRST_TRY_FAILED = {
    "no answer": "no answer to the first try",
    "TransportError": "no answer to the first try",
    "ServerError": "the server failed the first try",
    "RateLimited": "the server asked to slow down",
}


class ListConnection:
    """`shown()` is the community shown; `refused(error)` is told, on the UI loop, when it refuses the token."""

    def __init__(
        self,
        shown: Callable[[], Community],
        first_page: FirstPage | None = None,
        refused: Callable[[ApiError], None] = lambda error: None,
    ) -> None:
        self._shown = shown
        self._first_page = first_page  # page one, already being fetched by a child process (cli.local)
        self._refused = refused
        self._no_list = False  # the child found no list: the connecting thread opens the catalogue
        self._connection: Connection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        #: The list screen shown, told of each retry of a read (on the UI loop).
        self.retry_listener: Callable[[int, float, ApiError], None] | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """On the UI loop, before the first paint: connect now unless the settings cannot."""
        self._loop = loop
        if self._shown().settings.problem() is None:
            self.connection()

    def connection(self, *, again: bool = False) -> Connection:
        """Client and first page, made on a daemon thread; `again` starts over after a failure."""
        if self._connection is None or again:
            community = self._shown()
            connection: Connection | None = None
            first = self._first_page
            if first is not None and first.ready():
                # The child is done before the first frame (usual on a machine with a core to spare). Its page
                # is in the pipe: taken now, its rows are in that frame rather than in one ~50 ms later. If it
                # brought none, asking again (retries, waits) is for the thread below, never the UI's.
                self._first_page = None
                page = first.take()
                if isinstance(page, NoList):  # the catalogue is a file to open: on the thread below
                    self._no_list = True
                elif page is not None:
                    connection = Future()
                    connection.set_result(self._from_first_page(community, page))
            if connection is None:
                connection = background.start(self._connect, community, name="mediatui-connect")
            self._connection = connection
            connection.add_done_callback(self._done)  # a refused token opens the connect screen
        return self._connection

    def forget(self) -> None:
        """Another community is shown: its list connects anew; page one of the one left is not waited for."""
        self._connection = None
        self._no_list = False
        self.cancel()

    def cancel(self) -> None:
        if self._first_page is not None:
            self._first_page.cancel()
            self._first_page = None

    def make_client_soon(self) -> None:
        """The first rows are out: make the client now, so that a delete or the next page need not wait for it."""
        community = self._shown()
        if community.client_made is None and community.settings.problem() is None:
            background.start(community.client, name="mediatui-client")

    def _connect(self, community: Community) -> tuple[Listing, Chunk]:
        from mediatui.media.listing import PAGE_SIZE, connect

        first = self._first_page  # kept until taken, so that quitting or switching can cancel the wait
        page = first.take() if first is not None else None
        if self._first_page is first:
            self._first_page = None
        if isinstance(page, NoList) or self._no_list:
            self._no_list = False
            return self._catalogue(community)
        if page is not None:
            return self._from_first_page(community, page)
        said = FIRST_TRY_FAILED.get(first.failure or "") if first is not None else None
        if said is not None:  # its try was the first, and one the usual way retries: the status line says so
            from mediatui.api import ApiError

            self.retry_told(community)(1, 0.0, ApiError(None, said))
        return connect(community.client(), PAGE_SIZE, on_retry=self.retry_told(community), stop=community.stopping)

    def _catalogue(self, community: Community) -> tuple[Listing, Chunk]:
        """The child found no list, and a good token: the local catalogue serves the list, nothing asked again."""
        from mediatui.media.listing import CATALOGUE, PAGE_SIZE, Filter, Listing

        listing = Listing(
            community.client_maker, None, CATALOGUE, on_retry=self.retry_told(community), stop=community.stopping
        )
        return listing, listing.page(0, PAGE_SIZE, Filter())

    def _from_first_page(self, community: Community, page: Page) -> tuple[Listing, Chunk]:
        """The client is made once the rows are out (make_client_soon), or when first needed."""
        from mediatui.media.listing import SERVER, Chunk, Listing

        listing = Listing(
            community.client_maker, None, SERVER, on_retry=self.retry_told(community), stop=community.stopping
        )
        return listing, Chunk(0, page.count, page.results)

    def retry_told(self, community: Community) -> Callable[[int, float, ApiError], None]:
        """Called on a worker thread before a read of `community` is tried again: tell the screen, on the UI loop,

        while that community is still the one shown (a late retry of a community left says nothing)."""

        def retrying(attempt: int, delay: float, error: ApiError) -> None:
            listener = self.retry_listener
            if self._loop is not None and listener is not None and community is self._shown():
                background.soon(self._loop, listener, attempt, delay, error)

        return retrying

    def _done(self, future: Connection) -> None:
        """On the connecting thread: a refused token is told on the UI loop (the app opens the connect screen)."""
        from mediatui.api import AuthError

        if future is not self._connection:  # a connection of a community left
            return
        error = None if future.cancelled() else future.exception()
        if isinstance(error, AuthError) and self._loop is not None:
            background.soon(self._loop, self._refused, error)

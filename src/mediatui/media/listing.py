"""Where the list screen's rows come from: the server's list, or the local catalogue.

Both give pages of media newest first, filtered by type and search, so the
screen holds only the pages it has loaded. No Textual here; called from workers.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from mediatui.api import ApiError, ListingUnsupported, Media, NotFound
from mediatui.api.retry import READ_POLICY, call_with_retries

if TYPE_CHECKING:
    from mediatui.api import MediaClient
    from mediatui.media.catalogue import Catalogue

T = TypeVar("T")
#: Told before each retry of a read: attempt number, seconds until it, the error.
OnRetry = Callable[[int, float, ApiError], None]
REGONE_LIMIT = 10  # gone entries of a catalogue page asked again on each load

SERVER = "server"
CATALOGUE = "catalogue"
PAGE_SIZE = 50  # media per list request


@dataclass(frozen=True, slots=True)
class Filter:
    type: str | None = None
    search: str | None = None
    #: Only these ids: the media this machine uploaded (`m`); None lists every media.
    mine: frozenset[int] | None = None

    @property
    def active(self) -> bool:
        return bool(self.type or self.search or self.mine is not None)

    def hides(self, media: Media) -> str | None:
        """What of this filter hides `media` ("type filter", "search"), or None: the server's rule, kept here for
        rows it did not list (pinned by `o`): the type exactly, the search in title, description or URL with no
        regard to case."""
        if self.mine is not None and media.id not in self.mine:
            return "my uploads filter"
        if self.type and str(media.type) != self.type:
            return "type filter"
        if self.search:
            needle = self.search.casefold()
            if not any(needle in (text or "").casefold() for text in (media.title, media.description, media.url)):
                return "search"
        return None

    def describe(self) -> str:
        parts = ["my uploads"] if self.mine is not None else []
        if self.type:
            parts.append(f"type {self.type}")
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


MINE_FETCHED = 200  # uploads of this machine the catalogue lacks, fetched by id when `m` lists them
OPEN_AT_ONCE = 6  # GETs in flight together when ids are opened (a browser's connections to one host)


class Listing:
    """Reads are retried on 5xx, 429 and transport errors (they are safe to repeat); `stop` ends the waits."""

    def __init__(
        self,
        client: MediaClient | Callable[[], MediaClient],
        catalogue: Catalogue | None,
        mode: str,
        *,
        on_retry: OnRetry | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self._client = client
        self._catalogue = catalogue
        self._catalogue_lock = threading.Lock()
        self.mode = mode
        self.on_retry = on_retry
        self.stop = stop or threading.Event()

    @property
    def client(self) -> MediaClient:
        """A maker stands in for the client when the first page came without one (mediatui.runtime.first_page):

        the client (httpx and a TLS context, ~100 ms) is then made on first use, on a worker thread.
        """
        client = self._client
        if callable(client):
            client = self._client = client()
        return client

    @property
    def catalogue(self) -> Catalogue:
        """Opened on first use: in server mode the first page does not wait for SQLite."""
        with self._catalogue_lock:
            if self._catalogue is None:
                from mediatui.media.catalogue import Catalogue

                self._catalogue = Catalogue.for_server(self.client.base_url)
            return self._catalogue

    def read(self, call: Callable[[], T]) -> T:
        return call_with_retries(call, READ_POLICY, on_retry=self.on_retry, stop=self.stop)

    def page(self, offset: int, limit: int, where: Filter) -> Chunk:
        """A page of the list as the filter has it; my uploads (`where.mine`) come from the catalogue, as no
        server lists by ids (fetch_mine brought the ones it lacked, once, when `m` was pressed)."""
        if where.mine is None and self.mode == SERVER:
            page = self.read(lambda: self.client.list(limit=limit, offset=offset, type=where.type, search=where.search))
            return Chunk(offset, page.count, page.results)
        count, media = self.catalogue.page(limit, offset, where.type, where.search, where.mine)
        if where.mine is not None:  # from the catalogue's copies: shown refreshed by GET, gone ones marked so
            return Chunk(offset, count, media)
        gone = self.catalogue.gone_ids([m.id for m in media if m.id is not None])
        for media_id in sorted(gone)[:REGONE_LIMIT]:  # the server may have it again: ask, not assume
            try:
                if self.refresh(media_id) is not None:
                    gone.discard(media_id)
            except ApiError:
                pass
        return Chunk(offset, count, media, frozenset(gone))

    def refresh(self, media_id: int) -> Media | None:
        """GET one media, remembering it; None (and marked gone) when the server says 404.

        An answer that is not that media (no id, another id) is an ApiError: nothing may act on it as if it were.
        """
        try:
            media = self.read(lambda: self.client.get(media_id))
        except NotFound:
            self._note(lambda: self.catalogue.mark_gone(media_id))
            return None
        if media.id != media_id:
            other = "a media without an id" if media.id is None else f"#{media.id}"
            raise ApiError(None, f"the server answered #{media_id} with {other}")
        self._note(lambda: self.catalogue.record(media))
        return media

    def delete(self, media_id: int, stop: threading.Event | None = None) -> None:
        """DELETE (retried like a read: it is idempotent, and a 404 after a lost answer means gone).

        `stop` (the delete dialog's: escape, or the dialog closed by a switch or a quit) ends the waits between
        tries in place of the community's own."""
        tries = 0

        def once() -> None:
            nonlocal tries
            tries += 1
            try:
                self.client.delete(media_id)
            except NotFound:
                if tries == 1:
                    raise
                # a 404 that answers a retry of ours: the first try deleted it, its answer was lost ("deleted")

        call_with_retries(once, READ_POLICY, on_retry=self.on_retry, stop=stop or self.stop)
        self.forget(media_id)

    def fetch_mine(self, mine: frozenset[int]) -> list[tuple[int, str]]:
        """My uploads the catalogue lacks (the journal's, say), fetched by id once and remembered as mine; one the
        server no longer has is remembered as gone. What could not be fetched, and why, for `m` to say."""
        lacking = sorted(mine - self.catalogue.known(mine), reverse=True)[:MINE_FETCHED]
        if not lacking:
            return []
        found, missing, failed = self.open_ids(lacking)
        catalogue = self.catalogue

        def remember() -> None:
            for media in found:
                catalogue.record(media, uploaded=True)
            for media_id in missing:
                catalogue.upload_gone(media_id)

        self._note(remember)
        return failed

    def open_ids(self, ids: list[int]) -> tuple[list[Media], list[int], list[tuple[int, str]]]:
        """GET each id, side by side (OPEN_AT_ONCE at a time: on a laggy link one after another outlasts what
        keys typed after `o` may wait): found (and added to the catalogue), not found, and other failures, each
        in the order asked."""

        def one(media_id: int) -> Media | None | ApiError:
            try:
                return self.refresh(media_id)
            except ApiError as exc:
                return exc

        self.client  # noqa: B018 - made once, here, before the threads share it
        answers = _side_by_side(one, ids, OPEN_AT_ONCE)
        found, missing, failed = [], [], []
        for media_id, answer in zip(ids, answers, strict=True):
            if isinstance(answer, ApiError):
                failed.append((media_id, answer.message))
            elif answer is None:
                missing.append(media_id)
            else:
                found.append(answer)
        return found, missing, failed

    def forget(self, media_id: int) -> None:
        """The server confirmed the deletion."""
        self._note(lambda: self.catalogue.remove(media_id))

    @staticmethod
    def _note(write: Callable[[], object]) -> None:
        """A catalogue write after the server's answer: bookkeeping, so a local failure (a full disk) never
        hides that answer; the catalogue catches up on the next one."""
        from mediatui.localdb import LocalDataError  # here: SQLite loads with the catalogue, not at start

        with contextlib.suppress(LocalDataError):
            write()


def connect(
    client: MediaClient, limit: int, *, on_retry: OnRetry | None = None, stop: threading.Event | None = None
) -> tuple[Listing, Chunk]:
    """The first page is the probe: one list request checks the URL and the token and brings the rows.

    On a server without a list (404/405) the client has asked for a media that cannot exist: its
    JSON 404 means the token was accepted (401 that it was not, a web page that the URL is off).
    Then the local catalogue serves the list.
    """
    listing = Listing(client, None, SERVER, on_retry=on_retry, stop=stop)
    try:
        return listing, listing.page(0, limit, Filter())
    except ListingUnsupported:
        pass
    listing.mode = CATALOGUE
    return listing, listing.page(0, limit, Filter())


def _side_by_side(call: Callable[[int], T], items: list[int], at_once: int) -> list[T]:
    """`call` on every item, at most `at_once` at a time, answers in the items' order. Daemon threads, so that
    quitting never waits for a request stuck in the network (as tui/background's do)."""
    answers: dict[int, T] = {}
    todo = iter(enumerate(items))
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                nxt = next(todo, None)
            if nxt is None:
                return
            index, item = nxt
            answers[index] = call(item)

    threads = [
        threading.Thread(target=work, name="mediatui-open", daemon=True) for _ in range(min(at_once, len(items)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [answers[index] for index in range(len(items))]

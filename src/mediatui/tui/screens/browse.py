"""The list screen: media in a table with a detail panel, filtered, opened by id, deleted.

Thin on purpose: the api and listing layers run in thread workers and come
back as messages; this screen only keeps which pages are loaded and renders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Header, Input, Static

from mediatui.api import ApiError, ListingUnsupported, Media
from mediatui.listing import CATALOGUE, SERVER, Filter, Listing
from mediatui.tui.screens.browse_forms import FormsMixin
from mediatui.tui.messages import LoadFailed, Opened, PageLoaded, Ready, Refreshed
from mediatui.tui.wording import empty_text, explain, status_text
from mediatui.tui.widgets.loading_line import LoadingLine
from mediatui.tui.widgets.media_detail import MediaDetail
from mediatui.tui.widgets.media_table import MediaTable

if TYPE_CHECKING:
    from mediatui.tui.app import MediaTuiApp
    from mediatui.tui.screens.delete import DeleteOutcome

PAGE_SIZE = 50
PREFETCH = 15  # rows before the end at which the next page is asked for
DETAIL_DELAY = 0.05  # seconds the cursor rests before the detail panel follows
SPINNER_DELAY = 0.15  # seconds a load runs before the loading indicator shows


class BrowseScreen(FormsMixin, Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    AUTO_FOCUS = "#table"  # not the (hidden) search box, or every key would be typed into it
    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("t", "type_filter", "Type"),
        Binding("o", "open_ids", "Open id"),
        Binding("space", "mark", "Mark"),
        Binding("d", "delete", "Delete"),
        Binding("D", "delete_marked", "Delete marked", show=False),
        Binding("y", "copy_url", "Copy URL", show=False),  # in help and palette: the footer must fit 80 columns
        Binding("r", "refresh", "Refresh", show=False),
        Binding("e", "edit", "Edit", show=False),
        Binding("n", "new_media", "New media from URL", show=False),
        Binding("u", "upload", "Upload", show=False),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
        Binding("g", "cursor('top')", "First", show=False),
        Binding("G", "cursor('bottom')", "Last", show=False),
        Binding("escape", "back", "Back to the list", show=False),
        Binding("question_mark,f1", "help", "Help"),
    ]

    app: MediaTuiApp

    def __init__(self) -> None:
        super().__init__()
        self.listing: Listing | None = None
        self.where = Filter()
        self.generation = 0
        self.total: int | None = None
        self.fetching = False
        self.problem: str | None = None
        self._detail_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="main"):
            with Vertical(id="list"):
                yield Static(id="notice")
                yield LoadingLine(SPINNER_DELAY)
                yield MediaTable(self.app.clock, id="table")
            yield MediaDetail(id="detail")
        yield Static(id="status")
        yield Footer()

    @property
    def table(self) -> MediaTable:
        return self.query_one(MediaTable)

    @property
    def detail(self) -> MediaDetail:
        return self.query_one(MediaDetail)

    def on_mount(self) -> None:
        self.connect()

    # -- connecting and loading pages ------------------------------------------

    def connect(self) -> None:
        problem = self.app.settings.problem()
        if problem:
            self._fail(problem)
            return
        self.problem = None
        self.fetching = True
        self._render_status()
        self.call_after_refresh(self._probe)  # paint first: the probe loads the client and TLS

    @work(thread=True, exclusive=True, group="connect")
    def _probe(self) -> None:
        client = self.app.client
        assert client is not None
        try:
            status = client.probe()
            from mediatui.catalogue import Catalogue  # sqlite and platformdirs load here, off the UI thread

            catalogue = Catalogue.for_server(client.base_url)
        except ApiError as exc:
            self.post_message(LoadFailed(self.generation, exc))
            return
        except Exception as exc:  # e.g. the data folder is not writable
            self.post_message(LoadFailed(self.generation, ApiError(None, f"unexpected error: {exc!r}")))
            return
        self.post_message(Ready(Listing(client, catalogue, SERVER if status.listing else CATALOGUE)))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        self.listing = message.listing
        self.app.sub_title = f"{self.app.settings.url} · connected"
        self.reload()

    def reload(self) -> None:
        """Start over from the first page (new filter, refresh, or after opening ids)."""
        if self.listing is None:
            self.connect()
            return
        self.generation += 1
        self.total = None
        self.table.reset()
        self._load(self.generation, 0)

    def _load(self, generation: int, offset: int) -> None:
        self.fetching = True
        self._render_status()
        self._fetch(generation, offset)

    @work(thread=True, group="pages")
    def _fetch(self, generation: int, offset: int) -> None:
        assert self.listing is not None
        try:
            chunk = self.listing.page(offset, PAGE_SIZE, self.where)
        except ApiError as exc:
            self.post_message(LoadFailed(generation, exc))
            return
        except Exception as exc:  # a bug or a local fault must not take the app down
            self.post_message(LoadFailed(generation, ApiError(None, f"unexpected error: {exc!r}")))
            return
        self.post_message(PageLoaded(generation, chunk))

    @on(PageLoaded)
    def _page_loaded(self, message: PageLoaded) -> None:
        if message.generation != self.generation:
            return  # a page for an older filter
        chunk = message.chunk
        self.fetching = False
        self.total = chunk.count
        for media_id in chunk.gone:
            self.table.gone.add(media_id)
        first = not self.table.rows_media
        self.table.add_media(chunk.media)
        if first:
            self._show_current()
        self._render_status()

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        if message.generation != self.generation:
            return
        self.fetching = False
        error = message.error
        if isinstance(error, ListingUnsupported) and self.listing is not None:
            self.listing.mode = CATALOGUE  # the list went away: fall back to the catalogue
            self.reload()
            return
        if self.table.rows_media:
            self.notify(error.message, title="Could not load more", severity="error", markup=False)
            self._render_status()
            return
        self._fail(explain(error))

    def _fail(self, text: str) -> None:
        self.problem = text
        self.app.sub_title = f"{self.app.settings.url or 'no URL'} · not connected"
        self._render_status()

    def _maybe_load_more(self, row: int) -> None:
        loaded = self.table.row_count
        if self.fetching or self.total is None or loaded >= self.total or row < loaded - PREFETCH:
            return
        self._load(self.generation, loaded)

    # -- what is shown -----------------------------------------------------------

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        # The detail follows once the cursor rests: holding j stays cheap, and catalogue mode
        # does not GET every row it passes.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self._show_current)
        self._maybe_load_more(event.cursor_row)

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.detail.focus()

    def _show_current(self) -> None:
        media = self.table.current
        self.detail.show(media, self.app.clock(), gone=media is not None and media.id in self.table.gone)
        if media is not None and media.id is not None and self.listing and self.listing.mode == CATALOGUE:
            self._refresh_one(media.id)

    @work(thread=True, exclusive=True, group="refresh")
    def _refresh_one(self, media_id: int) -> None:
        """Catalogue entries are refreshed with GET when shown; 404 marks them gone."""
        assert self.listing is not None
        try:
            media = self.listing.refresh(media_id)
        except Exception:  # noqa: BLE001 - keep what is shown; a failed refresh is not worth an alarm
            return
        self.post_message(Refreshed(media_id, media))

    @on(Refreshed)
    def _refreshed(self, message: Refreshed) -> None:
        if message.media is not None:
            self.table.replace_media(message.media)
        self.table.set_flags(message.media_id, gone=message.media is None)
        current = self.table.current
        if current is not None and current.id == message.media_id:
            self.detail.show(current, self.app.clock(), gone=message.media is None)

    def _render_status(self) -> None:
        notice = self.query_one("#notice", Static)
        if self.problem:
            notice.update(Text(self.problem))
            notice.set_classes("error")
        elif self.total == 0 and not self.fetching:
            notice.update(Text(empty_text(self.where, self.listing.mode if self.listing else None)))
            notice.set_classes("empty")
        notice.display = bool(self.problem) or (self.total == 0 and not self.fetching)
        self.query_one(LoadingLine).set_busy(self.fetching and not self.problem and not self.table.row_count)
        self.table.display = self.detail.display = not self.problem
        self._status(status_text(self.listing.mode if self.listing else None, self.problem, self.total,
                                 self.table.row_count, self.where, len(self.table.marked), self.fetching))

    def _status(self, text: str) -> None:
        self.query_one("#status", Static).update(Text(text))

    # -- actions --------------------------------------------------------------

    def action_cursor(self, where: str) -> None:
        table = self.table
        table.focus()
        if where == "down":
            table.action_cursor_down()
        elif where == "up":
            table.action_cursor_up()
        elif where == "top":
            table.move_cursor(row=0)
        elif where == "bottom" and table.row_count:
            table.move_cursor(row=table.row_count - 1)

    def action_back(self) -> None:
        for search in self.query("#search").results(Input):
            if search.has_focus and not search.value:
                search.display = False
        self.table.focus()

    def action_refresh(self) -> None:
        if self.listing is None or self.problem:
            self.listing = None
            self.connect()
        else:
            self.reload()

    def action_search(self) -> None:
        """The search box is mounted on first use: it is not needed to paint the list."""
        found = self.query("#search")
        if found:
            search = found.first(Input)
        else:
            search = Input(placeholder="search title, description, URL — enter applies, escape leaves",
                           id="search", compact=True)
            self.mount(search, before="#main")
        search.display = True
        search.focus()

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        term = event.value.strip() or None
        event.input.display = bool(term)
        self.where = Filter(self.where.type, term)
        self.table.focus()
        self.reload()

    def action_type_filter(self) -> None:
        from mediatui.tui.screens.dialogs import TypeFilterScreen

        def chosen(kind: str | None) -> None:
            if kind is not None:
                self.where = Filter(kind or None, self.where.search)
                self.reload()
        self.app.push_screen(TypeFilterScreen(self.where.type), chosen)

    def action_mark(self) -> None:
        media = self.table.current
        if media is None or media.id is None:
            return
        self.table.set_flags(media.id, marked=media.id not in self.table.marked)
        self.table.action_cursor_down()
        self._render_status()

    def action_delete(self) -> None:
        media = self.table.current
        if media is not None:
            self._confirm_delete([media])

    def action_delete_marked(self) -> None:
        marked = [m for i, m in self.table.rows_media.items() if i in self.table.marked]
        if not marked:
            self.notify("Mark media with space first, then press D.", markup=False)
            return
        self._confirm_delete(marked)

    def _confirm_delete(self, media: list[Media]) -> None:
        from mediatui.tui.screens.delete import DeleteScreen

        if self.listing is not None:
            self.app.push_screen(DeleteScreen(media, self.listing.client), self._deleted)

    def _deleted(self, outcomes: list[DeleteOutcome] | None) -> None:
        """Rows leave the table only for deletions the server confirmed (204, or 404: already gone)."""
        for outcome in outcomes or []:
            if outcome.removed:
                self.table.remove_media(outcome.media_id)
                if self.listing is not None:
                    self.listing.forget(outcome.media_id)
                if self.total:
                    self.total -= 1
        self._show_current()
        self._render_status()

    def action_copy_url(self) -> None:
        media = self.table.current
        url = media and (media.url or media.image or media.oembed_url)
        if not url:
            self.notify("This media has no URL to copy.", markup=False)
            return
        self.app.copy_to_clipboard(url)
        self.notify(f"Copied {url}", title="URL copied", markup=False)

    def action_open_ids(self) -> None:
        from mediatui.tui.screens.dialogs import OpenIdsScreen

        def chosen(ids: list[int] | None) -> None:
            if ids and self.listing is not None:
                self._status(f"opening {len(ids)} media…")
                self._open(ids)
        self.app.push_screen(OpenIdsScreen(), chosen)

    @work(thread=True, group="open")
    def _open(self, ids: list[int]) -> None:
        assert self.listing is not None
        self.post_message(Opened(*self.listing.open_ids(ids)))

    @on(Opened)
    def _opened(self, message: Opened) -> None:
        lines = [f"Opened {len(message.found)} media."] if message.found else []
        if message.missing:
            lines.append("Not found: " + ", ".join(map(str, message.missing[:20])))
        lines += [f"{media_id}: {why}" for media_id, why in message.failed[:5]]
        self.notify("\n".join(lines) or "Nothing opened.", markup=False,
                    severity="warning" if message.missing or message.failed else "information")
        if self.listing is not None and self.listing.mode == CATALOGUE:
            self.reload()
        elif message.found:
            self.detail.show(message.found[0], self.app.clock(), note="Opened by id:")
        else:
            self._render_status()

    def action_upload(self) -> None:
        self.notify("The upload screen is not in this version yet: use `mediatui upload PATH...`.", markup=False)

    def action_help(self) -> None:
        from mediatui.tui.screens.dialogs import HelpScreen

        self.app.push_screen(HelpScreen(self))

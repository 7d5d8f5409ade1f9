"""The list screen: media in a table with a detail panel, filtered, opened by id, deleted.

Thin on purpose: pages come from `browse_pages` (connecting, loading,
retries), the bookkeeping from `mediatui.media.paging`, deleting and opening by id
from `browse_ops`; this module binds keys and shows the current media.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from mediatui.media.listing import CATALOGUE, PAGE_SIZE, Filter, Listing
from mediatui.media.paging import Marks, Paging
from mediatui.sanitize import inert
from mediatui.tui.community import ReadOnlyScreen
from mediatui.tui.screens.browse_forms import FormsMixin
from mediatui.tui.screens.browse_ops import OPEN_HOLD, OpsMixin
from mediatui.tui.screens.browse_pages import PagesMixin
from mediatui.tui.screens.browse_preview import PreviewMixin
from mediatui.tui.screens.browse_uploads import UploadsMixin
from mediatui.tui.textual_compat import Header
from mediatui.tui.widgets.inert_input import InertInput
from mediatui.tui.widgets.keys_footer import KeysFooter
from mediatui.tui.widgets.loading_line import LoadingLine
from mediatui.tui.widgets.media_detail import MediaDetail
from mediatui.tui.widgets.media_table import MediaTable

if TYPE_CHECKING:
    from mediatui.tui.app import MediaTuiApp

PREFETCH = 15  # rows before the end at which the next page is asked for
DETAIL_DELAY = 0.05  # seconds the cursor rests before the detail panel follows
SPINNER_DELAY = 0.15  # seconds a load runs before the loading indicator shows


class BrowseScreen(ReadOnlyScreen, PagesMixin, OpsMixin, FormsMixin, UploadsMixin, PreviewMixin, Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    AUTO_FOCUS = "#table"  # not the search box, or every key would be typed into it
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help"),  # first, with Quit: cut last when the footer is narrow
        Binding("q", "app.quit", "Quit"),
        Binding("slash", "search", "Search"),
        Binding("t", "type_filter", "Type"),
        Binding("o", "open_ids", "Open id"),
        Binding("space", "mark", "Mark"),
        Binding("d", "delete", "Delete"),
        Binding("D", "delete_marked", "Delete marked", show=False),
        Binding("y", "copy_url", "Copy URL", show=False),  # in help and palette: the footer must fit 80 columns
        Binding("r", "refresh", "Reload", show=False),
        Binding("z", "empty_fields", "Show empty fields", show=False),
        Binding("p", "preview", "Preview", show=False),
        Binding("P", "toggle_previews", "Previews on/off", show=False),
        Binding("e", "edit", "Edit", show=False),
        Binding("n", "new_media", "New media from URL", show=False),
        Binding("u", "upload", "Upload", show=False),
        Binding("c", "app.switch_community", "Switch community", show=False),
        Binding("j", "cursor('down')", "Down", show=False),
        Binding("k", "cursor('up')", "Up", show=False),
        Binding("g", "cursor('top')", "First", show=False),
        Binding("G", "cursor('bottom')", "Last", show=False),
        Binding("escape", "back", "Back to the list", show=False),
    ]
    #: Keys that only move the cursor when the table has the focus: the key after one need not wait for its
    #: effects (the key pump, tui/key_pump.py). None opens a box or moves the focus, so the next goes where it
    #: would anyway.
    CURSOR_KEYS = frozenset({"j", "k", "g", "G", "up", "down", "pageup", "pagedown", "home", "end"})

    app: MediaTuiApp

    def __init__(self) -> None:
        super().__init__()
        self.listing: Listing | None = None
        self.where = Filter()
        self.paging = Paging(PAGE_SIZE, PREFETCH)
        self.marks = Marks()
        self.fetching = False
        self.problem: str | None = None
        self.note: str | None = None  # the last thing that happened, at the end of the status line
        self._toasted: set[str] = set()
        self._stop = threading.Event()
        self._detail_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        self._width_class(self.app.size.width)
        yield Header()
        with Container(id="main"):
            with Vertical(id="list"):
                yield Static(id="notice")
                yield LoadingLine(SPINNER_DELAY)
                yield MediaTable(self.app.clock, self.marks, id="table")
            yield MediaDetail(id="detail")
        yield Static(id="status")
        yield KeysFooter()

    def _width_class(self, width: int) -> None:
        """The breakpoint class before the first layout.

        Textual sets it on the screen's first Resize, after the first frame: that frame was laid
        out narrow (detail under the list), and the wide layout then repainted the whole terminal.
        """
        chosen = [name for minimum, name in self.HORIZONTAL_BREAKPOINTS if width >= minimum][-1:]
        for _, name in self.HORIZONTAL_BREAKPOINTS:
            self.set_class(name in chosen, name)

    @property
    def table(self) -> MediaTable:
        return self.query_one(MediaTable)

    @property
    def detail(self) -> MediaDetail:
        return self.query_one(MediaDetail)

    @property
    def total(self) -> int | None:
        return self.paging.total

    def pending(self) -> bool:
        """True while the detail panel waits for the cursor to rest or its picture (tests wait on this)."""
        return self._detail_timer is not None or self.detail.preview.busy

    def on_mount(self) -> None:
        self.app.retry_listener = self.retrying
        self.table.more_coming = self._more_coming
        self.follow_uploads()
        self.connect()

    def _more_coming(self) -> bool:
        """On the last row: is the next page on its way? Asked for now if the cursor outran its request."""
        self._maybe_load_more(self.table.cursor_row)
        return self.paging.pending is not None

    def on_unmount(self) -> None:
        self._stop.set()
        self.unfollow_uploads()

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
        """The detail of the row under the cursor (after the cursor rests: see _highlighted)."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = None
        if not self.is_mounted or not self.query(MediaTable):  # a call queued before a switch took the list down
            return
        media = self.table.current
        note = "Opened by id:" if media is not None and media.id in self.table.pinned else None
        self.detail.show(media, self.app.clock(), gone=media is not None and media.id in self.table.gone, note=note)
        if media is not None and media.id is not None and self.listing and self.listing.mode == CATALOGUE:
            self._refresh_one(media.id)

    # -- actions --------------------------------------------------------------

    def action_cursor(self, where: str) -> None:
        table = self.table
        self.set_focus(table)
        if where != "down":
            table.owed = 0
        if where == "down":
            table.action_cursor_down()
        elif where == "up":
            table.action_cursor_up()
        elif where == "top":
            table.move_cursor(row=0)
        elif where == "bottom" and table.row_count:
            if table.cursor_row == table.row_count - 1:
                self._maybe_load_more(table.cursor_row, retry=True)  # G on the last row: try a failed page again
            table.move_cursor(row=table.row_count - 1)

    def action_back(self) -> None:
        for search in self.query("#search").results(Input):
            if search.has_focus and not search.value:
                search.display = False
        self.set_focus(self.table)

    def action_refresh(self) -> None:
        self.note = "reloading…"
        if self.listing is None or self.problem:
            self.listing = None
            self.connect(again=True)
        else:
            self.reload()

    def action_search(self) -> None:
        """The search box is mounted on first use; keys typed before it has focus wait for it."""
        found = self.query("#search")
        if found:
            search = found.first(Input)
            search.display = True
            self.set_focus(search)
            return
        search = InertInput(placeholder="search title, description, URL — enter applies, escape leaves", id="search")
        self.app.keys.hold_keys(lambda: search if search.has_focus else None)
        self.mount(search, before="#main")
        self.call_after_refresh(self.set_focus, search)

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        term = event.value.strip() or None
        event.input.display = bool(term)
        self.where = Filter(self.where.type, term)
        self.set_focus(self.table)  # at once: the next key of the same burst is for the list
        self._reload_for_keys()

    def _reload_for_keys(self) -> None:
        """A new filter: keys typed after it (`/night⏎jjj`) are for its rows, so they wait for them."""
        self.reload()
        self.app.keys.hold_keys(lambda: None if self.fetching else self.table, timeout=OPEN_HOLD, late="still loading")

    def action_type_filter(self) -> None:
        from mediatui.tui.screens.dialogs import TypeFilterScreen

        def chosen(kind: str | None) -> None:
            if kind is not None:
                self.where = Filter(kind or None, self.where.search)
                self._reload_for_keys()

        dialog = TypeFilterScreen(self.where.type)
        self.app.keys.hold_keys(lambda: dialog.focused if dialog.is_current and dialog.focused else None)
        self.app.push_screen(dialog, chosen)

    def action_mark(self) -> None:
        media = self.table.current
        if media is None or media.id is None:
            return
        self.marks.toggle(media)
        self.table.set_flags(media.id)
        self.table.action_cursor_down()
        self._render_status()

    def action_empty_fields(self) -> None:
        self.detail.show_empty = not self.detail.show_empty
        self.notify(
            "Empty fields shown." if self.detail.show_empty else "Empty fields hidden (z shows them).",
            markup=False,
            timeout=2,
        )

    def action_copy_url(self) -> None:
        media = self.table.current
        url = media and (media.url or media.image or media.oembed_url)
        if not url:
            self.notify("This media has no URL to copy.", markup=False)
            return
        safe = inert(url)  # never a control character on the clipboard
        self.app.copy_to_clipboard(safe)
        self.notify(inert(safe, limit=120), title="URL copied", markup=False)

    def action_help(self) -> None:
        from mediatui.tui.screens.dialogs import HelpScreen

        self.app.push_screen(HelpScreen(self))

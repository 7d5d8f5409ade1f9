"""The list screen: media in a table with a detail panel, filtered, opened by id, deleted.

Composed, not assembled: widgets draw (table, detail with its preview, the
notice and status line); the Textual-free `ListState` (mediatui.media.list_state)
decides what each answer means; parts hold the rest, each with its own
state: page loading (browse_loading), operations on media
(browse_operations), its side of uploads (browse_uploads), copies and links
(browse_sharing). This module binds
keys, wires them together, and shows the current media. It is given its
community and the app's parts it uses (tui/list_context.py), never the app's
attributes.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from mediatui.api import ApiError
from mediatui.community import Change
from mediatui.media.list_state import MESSAGE_SECONDS, ListState
from mediatui.media.listing import CATALOGUE, PAGE_SIZE
from mediatui.tui.list_context import ListContext
from mediatui.tui.screens.browse_detail_keys import DetailKeys
from mediatui.tui.screens.browse_filters import ViewFilters
from mediatui.tui.screens.browse_loading import PageLoader
from mediatui.tui.screens.browse_operations import MediaOperations
from mediatui.tui.screens.browse_sharing import Sharing
from mediatui.tui.screens.browse_uploads import ListUploads
from mediatui.tui.textual_compat import Header
from mediatui.tui.widgets.inert_input import InertInput
from mediatui.tui.widgets.keys_footer import KeysFooter
from mediatui.tui.widgets.loading_line import LoadingLine
from mediatui.tui.widgets.media_detail import MediaDetail
from mediatui.tui.widgets.media_table import MediaTable
from mediatui.tui.widgets.status_line import StatusLine
from mediatui.tui.wording import empty_text

PREFETCH = 15  # rows before the end at which the next page is asked for
DETAIL_DELAY = 0.05  # seconds the cursor rests before the detail panel follows
SPINNER_DELAY = 0.15  # seconds a load runs before the loading indicator shows

#: The list's actions that change media (or open what would), and what they change: the community says which it
#: refuses (a read-only profile: all), and the footer, help and palette do not offer those.
CHANGES = {
    "delete": Change.DELETE,
    "delete_marked": Change.DELETE,
    "edit": Change.UPDATE,
    "new_media": Change.CREATE,
    "upload": Change.UPLOAD,
}


class BrowseScreen(Screen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    AUTO_FOCUS = "#table"  # not the search box, or every key would be typed into it
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help"),  # first, with Quit: cut last when the footer is narrow
        Binding("q", "app.quit", "Quit"),
        Binding("slash", "search", "Search"),
        Binding("t", "type_filter", "Type"),
        Binding("o", "open_ids", "Open id"),
        Binding("space", "mark", "Mark"),
        Binding("m", "mine", "My uploads", show=False),
        Binding("x", "unpin", "Unpin", show=False),
        Binding("d", "delete", "Delete"),
        Binding("D", "delete_marked", "Delete marked", show=False),
        Binding("y", "copy_url", "Copy URL", show=False),  # in help and palette: the footer must fit 80 columns
        Binding("Y", "copy_json", "Copy JSON", show=False),
        Binding("ctrl+y", "copy_id", "Copy id", show=False),
        Binding("O", "links", "Links", show=False),
        Binding("H", "history", "History", show=False),
        Binding("r", "refresh", "Reload", show=False),
        Binding("z", "empty_fields", "Show empty fields", show=False),
        Binding("p", "preview", "Preview", show=False),
        Binding("P", "toggle_previews", "Previews on/off", show=False),
        Binding("e", "edit", "Edit"),
        Binding("u", "upload", "Upload"),
        Binding("n", "new_media", "New", tooltip="New media (URL, Vimeo, embed)"),  # the footer's short label
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
    #: In the footer only from 100 columns on (KeysFooter): at 80 it shows Help, Quit, Search, Delete, Edit, Upload.
    FOOTER_WIDE_ONLY = frozenset({"t", "o", "space", "n"})

    def __init__(self, context: ListContext) -> None:
        super().__init__()
        self.context = context
        self.state = ListState(PAGE_SIZE, PREFETCH)
        self.loader = PageLoader(self)
        self.operations = MediaOperations(self, self.loader.reload)
        self.list_uploads = ListUploads(self)
        self.filters = ViewFilters(self, self.loader.reload)
        self.sharing = Sharing(self, lambda: self.table.current)
        self.pictures = DetailKeys(self)
        self._detail_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        self._width_class(self.app.size.width)
        yield Header()
        with Container(id="main"):
            with Vertical(id="list"):
                yield Static(id="notice")
                yield LoadingLine(SPINNER_DELAY)
                yield MediaTable(self.context.clock, self.state.marks, id="table")
            yield MediaDetail(self.context.previews, id="detail")
        yield StatusLine(id="status")
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
        return self.state.paging.total

    def pending(self) -> bool:
        """True while the detail panel waits for the cursor to rest or its picture (tests wait on this)."""
        return self._detail_timer is not None or self.detail.preview.busy

    def on_mount(self) -> None:
        self.context.connection.retry_listener = self.retrying
        self.table.more_coming = self._more_coming
        self.list_uploads.follow()
        self.loader.connect()

    def retrying(self, attempt: int, delay: float, error: ApiError) -> None:
        """Told by the reads of this community before each retry (on the UI loop)."""
        self.loader.retrying(attempt, delay, error)

    def _more_coming(self) -> bool:
        """On the last row: is the next page on its way? Asked for now if the cursor outran its request."""
        self.loader.more(self.table.cursor_row)
        return self.state.paging.pending is not None

    def on_unmount(self) -> None:
        self.leave()

    def leave(self) -> None:
        """Its community is left (a switch): this list stops for good, though it may stay under the next one (the
        first list is Textual's base screen). Its page in flight is dropped, so nothing of the community left
        is said on the next one's screen (a toast, the header's "connected")."""
        self.app.workers.cancel_node(self)
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        self.list_uploads.unfollow()
        if self.context.connection.retry_listener == self.retrying:
            self.context.connection.retry_listener = None

    def on_screen_resume(self) -> None:
        self.list_uploads.resumed()

    # -- what the community may do ------------------------------------------------------

    def _refusal(self, action: str) -> str | None:
        change = CHANGES.get(action)
        return self.context.community.refusal(change) if change is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A change the community refuses (all, on a read-only profile): Textual then hides its key from the
        footer (and the help and palette ask this too), and does not run it."""
        if self._refusal(action) is not None:
            return False
        return super().check_action(action, parameters)

    def on_key(self, event: events.Key) -> None:
        """A refused change's key says why, rather than doing nothing. And the next key is the next action: the
        last message has been read (an action the key runs may say anew)."""
        if self.state.said is not None:
            self.state.moved()
            self.render_status()
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and event.key in binding.key.split(","):
                refused = self._refusal(binding.action)
                if refused is not None:
                    event.stop()
                    self.notify(refused, severity="warning", markup=False)
                return

    # -- what is shown -----------------------------------------------------------

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        # The detail follows once the cursor rests: holding j stays cheap, and catalogue mode
        # does not GET every row it passes.
        self.show_current_soon()
        self.loader.more(event.cursor_row)

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.detail.focus()

    def show_current_soon(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self.show_current)

    def show_current(self) -> None:
        """The detail of the row under the cursor (after the cursor rests: see _highlighted)."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = None
        if not self.is_mounted or not self.query(MediaTable):  # a call queued before a switch took the list down
            return
        media = self.table.current
        note = "Opened by id:" if media is not None and media.id in self.table.pinned else None
        self.detail.show(media, self.context.clock(), gone=media is not None and media.id in self.table.gone, note=note)
        if media is not None and media.id is not None and (self.state.mode == CATALOGUE or self.state.where.mine):
            self.operations.refresh_one(media.id)

    def say(self, text: str) -> None:
        """A message on the status line, until the next move or MESSAGE_SECONDS on."""
        self.state.say(text)
        self.render_status()
        self.set_timer(MESSAGE_SECONDS + 0.05, self.render_status)

    def render_status(self) -> None:
        """The notice (why nothing is listed), the loading line and the status line say what the state is now."""
        state, table = self.state, self.table
        notice = self.query_one("#notice", Static)
        total = state.paging.total
        if state.problem:
            notice.update(Text(state.problem))
            notice.set_classes("error")
        elif total == 0 and not state.fetching:
            notice.update(Text(empty_text(state.where, state.mode)))
            notice.set_classes("empty")
        notice.display = bool(state.problem) or (total == 0 and not state.fetching and not table.row_count)
        self.query_one(LoadingLine).set_busy(state.fetching and not state.problem and not table.row_count)
        table.display = self.detail.display = not state.problem
        uploading = self.context.communities.upload_status()
        self.query_one(StatusLine).say(state, set(table.rows_media), uploading, len(table.hidden_pinned))

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
                self.loader.more(table.cursor_row, retry=True)  # G on the last row: try a failed page again
            table.move_cursor(row=table.row_count - 1)

    def action_back(self) -> None:
        self.filters.back(list(self.query("#search").results(Input)))

    def action_refresh(self) -> None:
        self.state.note = "reloading…"
        if self.state.listing is None or self.state.problem:
            self.state.listing = None
            self.loader.connect(again=True)
        else:
            self.loader.reload()

    def action_search(self) -> None:
        """The search box is mounted on first use; keys typed before it has focus wait for it."""
        found = self.query("#search")
        if found:
            search = found.first(Input)
            search.display = True
            self.set_focus(search)
            return
        search = InertInput(placeholder="search title, description, URL — enter applies, escape leaves", id="search")
        self.context.keys.hold_keys(lambda: search if search.has_focus else None)
        self.mount(search, before="#main")
        self.call_after_refresh(self.set_focus, search)

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        self.filters.searched(event.input, event.value)

    def action_type_filter(self) -> None:
        self.filters.type_filter()

    def action_mine(self) -> None:
        self.filters.mine()

    def action_unpin(self) -> None:
        self.filters.unpin()

    def action_mark(self) -> None:
        media = self.table.current
        if media is None or media.id is None:
            return
        self.state.marks.toggle(media)
        self.table.set_flags(media.id)
        self.table.action_cursor_down()
        self.render_status()

    def action_delete(self) -> None:
        media = self.table.current
        if media is not None:
            self.operations.delete([media])

    def action_delete_marked(self) -> None:
        marked = list(self.state.marks.media.values())
        if not marked:
            self.notify("Mark media with space first, then press D.", markup=False)
            return
        self.operations.delete(marked)

    def action_open_ids(self) -> None:
        self.operations.open_ids()

    def action_edit(self) -> None:
        self.operations.edit()

    def action_new_media(self) -> None:
        self.operations.new_media()

    def action_upload(self) -> None:
        self.list_uploads.open()

    def action_preview(self) -> None:
        self.pictures.preview()

    def action_toggle_previews(self) -> None:
        self.pictures.toggle_previews()

    def action_empty_fields(self) -> None:
        self.pictures.empty_fields()

    def action_copy_url(self) -> None:
        self.sharing.copy_url()

    def action_copy_json(self) -> None:
        self.sharing.copy_json()

    def action_copy_id(self) -> None:
        self.sharing.copy_id()

    def action_links(self) -> None:
        self.sharing.links()

    def action_history(self) -> None:
        from mediatui.tui.screens.history_screen import HistoryScreen

        self.app.push_screen(HistoryScreen(self.context.community, self.context.clock, self.loader.reload))

    def action_help(self) -> None:
        from mediatui.tui.screens.help_modal import HelpModal

        self.app.push_screen(HelpModal(self, about=self.context.community.settings.demo))

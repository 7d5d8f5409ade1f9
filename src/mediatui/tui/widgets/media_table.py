"""The media table: one row per loaded media, cells as Text, marks and gone rows shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual import events

from mediatui.api import Media
from mediatui.media.paging import Marks, Pinned
from mediatui.tui.formatting import cell, host_of, natural_time, size_text
from mediatui.tui.textual_compat import QuietHoverTable

#: column key, label, fixed width (None = takes the rest), shown from this terminal width on
COLUMNS: list[tuple[str, str, int | None, int]] = [
    ("id", "id", 7, 0),
    ("type", "type", 6, 0),
    ("title", "title", None, 0),
    ("added", "added", 14, 0),
    ("size", "size", 10, 0),
    ("host", "host", 18, 100),
]
MIN_TITLE = 16
#: Columns that step aside, first to last, before any number would be cut.
DROP_ORDER = ("host", "size", "added")


def column_widths(width: int) -> dict[str, int]:
    """Widths that fit the terminal: the title takes what the others leave; optional columns go first."""
    shown = [(key, w) for key, _, w, from_width in COLUMNS if width >= from_width]
    for key in DROP_ORDER:
        fixed = sum(w or 0 for _, w in shown)
        if width - fixed - (2 * len(shown) + 2) >= MIN_TITLE:
            break
        shown = [(k, w) for k, w in shown if k != key]
    fixed = sum(w or 0 for _, w in shown)
    padding = 2 * len(shown) + 2  # cell padding and the scrollbar
    widths = {key: w or 0 for key, w in shown}
    widths["title"] = max(MIN_TITLE, width - fixed - padding)
    return widths


def expected_width(terminal_width: int) -> int:
    """The table's width before its first layout (mediatui.tcss: 3fr of 5 from 120 columns, else all of it).

    Columns fitted to the terminal's width were fitted again on the first Resize: the header row
    and every cell repainted once more before the first rows. If this guess is off, that still happens.
    """
    return terminal_width * 3 // 5 if terminal_width >= 120 else terminal_width


OWED_MAX = 100  # downs kept for a page on its way, at most


class MediaTable(QuietHoverTable):
    """Rows are keyed by media id; the screen owns which pages are loaded."""

    def __init__(self, clock: Callable[[], datetime], marks: Marks | None = None, **kw: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kw)  # type: ignore[arg-type]
        self.clock = clock
        self.marks = marks if marks is not None else Marks()
        self.rows_media: dict[int, Media] = {}
        self.pinned = Pinned()  # opened by id, shown first, not part of the server's pages
        self.hidden_pinned: dict[int, Media] = {}  # pinned, and hidden by the filter now (shown again when it goes)
        self.gone: set[int] = set()
        self._widths: dict[str, int] = {}
        # Downs pressed on the last row while the next page is on its way (j held, or a burst of them):
        # the cursor goes on by as many once the page is here, rather than the keys being lost.
        self.owed = 0
        self.more_coming: Callable[[], bool] = lambda: False  # set by the screen

    def action_cursor_down(self) -> None:
        if self.row_count and self.cursor_row == self.row_count - 1 and self.more_coming():
            self.owed = min(self.owed + 1, OWED_MAX)
            return
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        self.owed = 0
        super().action_cursor_up()

    def pay_owed(self) -> None:
        """The page came (or failed): the downs owed move the cursor now, as far as there are rows."""
        owed, self.owed = self.owed, 0
        if owed and self.row_count:
            self.move_cursor(row=min(self.cursor_row + owed, self.row_count - 1))

    @property
    def marked(self) -> set[int]:
        return set(self.marks.media)

    def on_mount(self) -> None:
        self.fit(self.size.width or expected_width(self.app.size.width))

    def on_resize(self, event: events.Resize) -> None:
        self.fit(event.size.width)

    def fit(self, width: int) -> None:
        """Rebuild the columns when the terminal width calls for other widths."""
        widths = column_widths(width)
        if widths == self._widths:
            return
        self._widths = widths
        self.rebuild(columns=True)

    def rebuild(self, *, columns: bool = False) -> None:
        """Rows again in order (pinned first), the cursor on the same media."""
        current = self.current
        media = [self.rows_media[i] for i in self.pinned.order(self.rows_media)]
        self.clear(columns=columns)
        self.rows_media.clear()
        if columns:
            for key, label, _, _ in COLUMNS:
                if key in self._widths:
                    self.add_column(label, key=key, width=self._widths[key])
        self.add_media(media)
        if current is not None and current.id is not None:
            self.move_to(current.id)

    def pin(self, media: list[Media], hides: Callable[[Media], object] | None = None) -> None:
        """Opened media go first, in the order asked, whether or not a page holds them; those the filter `hides`
        are pinned out of sight (the caller says so)."""
        self.pinned.pin([m.id for m in media if m.id is not None])
        for item in media:
            if item.id is None:
                continue
            self.rows_media.pop(item.id, None)
            if hides is not None and hides(item):
                self.hidden_pinned[item.id] = item
            else:
                self.hidden_pinned.pop(item.id, None)
                self.rows_media[item.id] = item
        self.rebuild()

    def unpin(self, media_id: int, page_order: list[int]) -> None:
        """Not first any more: back at its place among the pages' rows (`page_order`), else out of the list."""
        self.pinned.discard(media_id)
        if media_id not in page_order:
            self.remove_media(media_id)
            return
        rank = {item: number for number, item in enumerate(page_order)}
        self.rows_media = dict(sorted(self.rows_media.items(), key=lambda row: rank.get(row[0], -1)))
        self.rebuild()

    def move_to(self, media_id: int) -> bool:
        try:
            self.move_cursor(row=self.get_row_index(str(media_id)), scroll=True)
        except Exception:  # noqa: BLE001 - not shown (any more)
            return False
        return True

    def add_media(self, media: list[Media]) -> None:
        now = self.clock()
        for item in media:
            if item.id is None or item.id in self.rows_media:
                continue
            self.rows_media[item.id] = item
            self.add_row(*self._cells(item, now), key=str(item.id))

    def replace_media(self, item: Media) -> None:
        if item.id not in self.rows_media:
            return
        self.rows_media[item.id] = item
        for key, value in zip(self._widths_keys(), self._cells(item, self.clock()), strict=True):
            self.update_cell(str(item.id), key, value)

    def remove_media(self, media_id: int) -> None:
        if self.rows_media.pop(media_id, None) is not None:
            self.remove_row(str(media_id))
        self.pinned.discard(media_id)
        self.hidden_pinned.pop(media_id, None)

    def reset(self, *, keep_pinned: bool = False, hides: Callable[[Media], object] | None = None) -> None:
        """Before a reload: rows go (pinned ones may stay); what was gone is asked again, marks stay.

        A pinned row the new filter `hides` stays pinned, out of sight, until a filter shows it again."""
        every = {**self.hidden_pinned, **self.rows_media}
        kept = [every[i] for i in self.pinned.keep(every if keep_pinned else ())]
        self.hidden_pinned = {m.id: m for m in kept if m.id is not None and hides is not None and hides(m)}
        keep = [m for m in kept if m.id not in self.hidden_pinned]
        self.clear()
        self.rows_media.clear()
        self.gone.clear()
        self.owed = 0
        self.add_media(keep)

    def set_flags(self, media_id: int, *, gone: bool | None = None) -> None:
        if gone is not None:
            (self.gone.add if gone else self.gone.discard)(media_id)
        if media_id in self.rows_media:
            self.update_cell(str(media_id), "id", self._id_cell(media_id))

    @property
    def current(self) -> Media | None:
        if not self.rows_media or self.cursor_row < 0 or self.cursor_row >= self.row_count:
            return None
        key = self.ordered_rows[self.cursor_row].key.value
        return self.rows_media.get(int(key)) if key else None

    def _widths_keys(self) -> list[str]:
        return [key for key, *_ in COLUMNS if key in self._widths]

    def _id_cell(self, media_id: int) -> Text:
        mark = "●" if media_id in self.marks else ("›" if media_id in self.pinned else " ")
        style = "strike dim" if media_id in self.gone else ""
        return Text.assemble((mark, "bold"), (f"{media_id}", style), no_wrap=True)

    def _cells(self, item: Media, now: datetime) -> list[Text]:
        assert item.id is not None
        style = "dim" if item.id in self.gone else ""
        values = {
            "id": self._id_cell(item.id),
            "type": cell(str(item.type or "?"), style),
            "title": cell(item.display_title, style),
            "added": cell(natural_time(item.added_at, now), style),
            "size": cell(size_text(item), style),
            "host": cell(host_of(item), style),
        }
        return [values[key] for key in self._widths_keys()]

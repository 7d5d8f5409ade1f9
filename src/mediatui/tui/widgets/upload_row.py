"""One file of the upload screen: name and state on the first line, bar, bytes, speed and ETA on the second.

Every text is plain `rich.text.Text` from the board, where it was made inert,
so a file named `[@click=app.quit]` or holding an escape shows literally.
Each part is updated only when its text changed, so a frame costs only the
cells that moved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.widgets import ListItem, ListView, ProgressBar, Static

from mediatui.upload.board import COMPLETED, FAILED, OFFERED, REFUSED, UNKNOWN, Row

_STYLE = {COMPLETED: "green", FAILED: "red", REFUSED: "red", UNKNOWN: "yellow", OFFERED: "italic"}


ROW_LINES = 2  # lines a row takes: its name and state, then its bar and detail


class UploadRowView(ListItem):
    def __init__(
        self, key: str, source: Callable[[str], Row | None], *, uploads: Any = None, community: str | None = None
    ) -> None:
        super().__init__(classes="upload-row")
        self.key = key
        self.source = source  # the board's row now: drawn as soon as the parts exist
        self.community = community  # named on the row when it is not the screen's own (already inert)
        self.uploads = uploads  # whose row it is (tui.uploads.Uploads), for the screen's keys
        self._shown: dict[str, object] = {}

    def on_mount(self) -> None:
        self.call_after_refresh(self.redraw)

    def redraw(self) -> None:
        row = self.source(self.key)
        if row is not None and self.is_mounted:
            self.show(row)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="upload-line"):
            yield Static(classes="upload-name")
            yield Static(classes="upload-state")
        with Horizontal(classes="upload-line"):
            yield ProgressBar(total=1, show_percentage=False, show_eta=False, classes="upload-bar")
            yield Static(classes="upload-figures")
            yield Static(classes="upload-detail")

    def show(self, row: Row) -> None:
        try:
            self._show(row)
        except NoMatches:  # mounting or being removed: the next frame draws it
            pass

    def _show(self, row: Row) -> None:
        name = Text(row.name, no_wrap=True, overflow="ellipsis", style="bold")
        if self.community:  # first, so that a long file name never hides where it goes
            name = Text.assemble((f"→ {self.community[:24]}  ", "italic"), name, no_wrap=True, overflow="ellipsis")
        self._set(".upload-name", name)
        self._set(
            ".upload-state", Text(row.state_text(), no_wrap=True, overflow="ellipsis", style=_STYLE.get(row.state, ""))
        )
        self._set(".upload-figures", Text(f"{row.bytes_text():>21}  {row.speed_text():>18}", no_wrap=True))
        detail = row.detail_text()
        self._set(".upload-detail", Text(detail or "", style=_STYLE.get(row.state, "")))  # wraps: what to do
        self.set_class(detail is not None, "-ended")
        progress = (row.size or 1, row.done if row.size else 0)
        if self._shown.get("bar") != progress:
            self._shown["bar"] = progress
            self.query_one(ProgressBar).update(total=progress[0], progress=progress[1])

    def _set(self, selector: str, text: Text) -> None:
        """Only what changed, and without a layout pass unless the text may wrap to another height.

        A layout pass repaints the whole screen: at 10 frames a second that floods a slow link.
        """
        shown = (text.plain, str(text.style))
        if self._shown.get(selector) != shown:
            self._shown[selector] = shown
            self.query_one(selector, Static).update(text, layout=selector == ".upload-detail" and bool(text.plain))


class UploadRows(ListView):
    """The upload screen's rows. Textual's ListView scrolls on End, PgDn and the like without moving its cursor,
    so `x` or `R` then acted on a row out of sight: here every move key moves the cursor, and the view follows."""

    BINDINGS = [
        Binding("home,g", "go(0)", "First", show=False),
        Binding("end,G", "go(-1)", "Last", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def action_go(self, row: int) -> None:
        count = len(self)
        if count:
            self.index = row % count

    def action_page(self, pages: int) -> None:
        count = len(self)
        if count:
            step = max(1, self.scrollable_content_region.height // ROW_LINES)
            self.index = min(count - 1, max(0, (self.index or 0) + pages * step))

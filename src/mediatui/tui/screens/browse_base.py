"""What the list screen's mixins may count on, for the type checker only.

The list screen is split by concern into mixins (pages, operations, forms,
uploads, previews); each uses the screen's state. Typing them against the
screen itself would import it in a cycle, so they are typed against this
outline of it instead. It is never instantiated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

if TYPE_CHECKING:
    from textual.timer import Timer

    from mediatui.media.listing import Filter, Listing
    from mediatui.media.paging import Marks, Paging
    from mediatui.tui.app import MediaTuiApp
    from mediatui.tui.widgets.media_detail import MediaDetail
    from mediatui.tui.widgets.media_table import MediaTable


class ListScreenBase(Screen[None]):
    app: MediaTuiApp
    listing: Listing | None
    where: Filter
    paging: Paging
    marks: Marks
    fetching: bool
    problem: str | None
    note: str | None
    _toasted: set[str]
    _detail_timer: Timer | None

    @property
    def table(self) -> MediaTable:
        raise NotImplementedError

    @property
    def detail(self) -> MediaDetail:
        raise NotImplementedError

    def reload(self) -> None: ...

    def connect(self, *, again: bool = False) -> None: ...

    def _render_status(self) -> None: ...

    def _show_current(self) -> None: ...

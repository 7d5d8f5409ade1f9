"""The list's status line: the mode, how much is loaded, the filter, marks, loading, the last note, uploads."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from mediatui.media.list_state import ListState
from mediatui.tui.wording import status_text


class StatusLine(Static):
    """One line at the bottom of the list; "uploading 2 · queued 3 · done 1 of 6 · 43%" first while uploads run."""

    def say(self, state: ListState, shown: set[int], uploading: str = "") -> None:
        """`shown`: the ids of the rows in the table (marks that the filter hides are counted apart)."""
        text = status_text(
            state.mode,
            state.problem,
            state.paging.total,
            len(state.paging.ids),
            state.where,
            len(state.marks),
            state.fetching,
            hidden_marks=state.marks.hidden(shown),
            note=state.message(),
        )
        self.update(Text(f"{uploading} · {text}" if uploading else text))

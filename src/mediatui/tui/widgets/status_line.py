"""The list's status line: the mode, how much is loaded, the filter, marks, loading, the last note, uploads."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from mediatui.media.list_state import ListState
from mediatui.tui.wording import status_text


class StatusLine(Static):
    """One line at the bottom of the list: the last message first, then "uploading 2 · queued 3 · done 1 of 6 · 43%"
    while uploads run, then the mode, the counts, the filter and the marks."""

    def say(self, state: ListState, shown: set[int], uploading: str = "", hidden_pinned: int = 0) -> None:
        """`shown`: the ids of the rows in the table (marks that the filter hides are counted apart); a line too
        long for the terminal ends in "…" (what just happened comes first: mediatui.tui.wording.status_text)."""
        text = status_text(
            state.mode,
            state.problem,
            state.paging.total,
            len(state.paging.ids),
            state.where,
            len(state.marks),
            state.fetching,
            hidden_marks=state.marks.hidden(shown),
            hidden_pinned=hidden_pinned,
            note=state.message(),
            uploading=uploading,
        )
        self.update(Text(text, no_wrap=True, overflow="ellipsis"))

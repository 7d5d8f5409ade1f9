"""Delete with confirmation, one media or many: asks, then deletes with progress and a result per item.

Keys typed after `d` can arrive in the same read as it, before the question
was ever drawn: `y` counts only once the dialog has been drawn and GUARD
seconds have passed (tui/guard_time.GuardTime, as for every question); an
earlier `y` is dropped and the hint says to press it again.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from mediatui.api import Media
from mediatui.media.deleting import DeleteOutcome, delete_one
from mediatui.sanitize import inert
from mediatui.tui import background
from mediatui.tui.formatting import media_label
from mediatui.tui.guard_time import GuardTime
from mediatui.tui.screens.confirm_modal import GUARD
from mediatui.tui.wording import short

SHOWN = 8  # media named in the question; the rest are counted
STOP_LOOK = 0.05  # seconds between looks at escape while a DELETE is on its way
UNANSWERED = "stopped before the server answered: it may be deleted all the same (r reloads the list)"


#: Keys that scroll the results when there are more than show (else they close them, like any other key).
SCROLL_KEYS = frozenset({"up", "down", "pageup", "pagedown", "home", "end"})
BURST_GAP = 0.05  # seconds: the keys of one read that arrive together with the one that closes the results


class DeleteModal(ModalScreen[list[DeleteOutcome]]):
    BINDINGS = [
        Binding("y", "confirm", "Yes, delete"),
        Binding("n,escape", "close", "No"),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(
        self,
        media: list[Media],
        delete: Callable[[int, threading.Event], None],
        *,
        on_confirmed: Callable[[DeleteOutcome], None] | None = None,
        keep: Callable[[Media], str | None] | None = None,
        guard: float = GUARD,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`keep(media)`: with the trash on, keeps the file a delete would lose (on a worker), or says why not.
        The files are kept first; then the question is drawn once, with its final words, and only then counts."""
        super().__init__()
        self.media = media
        self.delete = delete
        self.on_confirmed = on_confirmed
        self.keep = keep
        self.not_kept: list[tuple[int, str]] = []
        self.guard_time = GuardTime(guard, clock)
        self.state = "asking"  # asking → deleting → done
        self.outcomes: list[DeleteOutcome] = []
        self._stop = threading.Event()
        self._passed_on: list[events.Key] = []  # keys that close the results, for the list after

    def compose(self) -> ComposeResult:
        count = len(self.media)
        with Vertical(id="dialog", classes="delete"):
            yield Static(
                Text(f"Delete {count} media?" if count > 1 else "Delete this media?", style="bold"), id="question"
            )
            yield Static(self._names(), id="names")
            yield ProgressBar(total=count, show_eta=False, id="progress")
            with VerticalScroll(id="results"):
                yield Static(id="results-body")
            keep = "keeps them" if count > 1 else "keeps it"
            yield Static(Text(f"y deletes · n or escape {keep}"), id="hint")

    def on_mount(self) -> None:
        self.query_one("#results").display = False
        if self.keep is not None:
            self.state = "keeping"
            self.query_one("#names").display = False
            self.query_one("#question", Static).update(Text("Keeping the files in the trash first…", style="bold"))
            self.query_one("#hint", Static).update(Text("escape cancels: nothing is deleted"))
            self._keep_all()
            return
        self.query_one("#progress").display = False
        self.call_after_refresh(self.guard_time.drawn)

    @work(exclusive=True, group="keep", exit_on_error=False)
    async def _keep_all(self) -> None:
        """Each file fetched into the trash, one at a time (escape ends the wait at once; nothing is deleted)."""
        keep = self.keep
        assert keep is not None
        for media in self.media:
            asked = background.start(keep, media, name="mediatui-keep")
            while not asked.done() and not self._stop.is_set():
                await asyncio.sleep(STOP_LOOK)
            if self._stop.is_set():
                return
            try:
                why = asked.result()
            except Exception as exc:  # noqa: BLE001 - a bug must not lose the question: said as the reason
                why = f"unexpected error {inert(repr(exc), limit=120)}"
            if why:
                self.not_kept.append((media.id or 0, why))
            self.query_one(ProgressBar).advance(1)
        self._ask()

    def _ask(self) -> None:
        """The question with its final words (what could not be kept), drawn once; it counts from then on."""
        self.state = "asking"
        self.query_one("#progress").display = False
        self.query_one(ProgressBar).update(progress=0)
        names = self.query_one("#names", Static)
        names.update(self._names())
        names.display = True
        count = len(self.media)
        self.query_one("#question", Static).update(
            Text(f"Delete {count} media?" if count > 1 else "Delete this media?", style="bold")
        )
        keep = "keeps them" if count > 1 else "keeps it"
        self.query_one("#hint", Static).update(Text(f"y deletes · n or escape {keep}"))
        self.call_after_refresh(self.guard_time.drawn)

    @property
    def armed(self) -> bool:
        """A `y` now is an answer to this question (drawn, and the guard time passed)."""
        return self.guard_time.armed

    def _names(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")  # one line each: the hint stays on a small terminal
        for media in self.media[:SHOWN]:
            out.append_text(media_label(media))
            out.append("\n")
        if len(self.media) > SHOWN:
            out.append(f"…and {len(self.media) - SHOWN} more\n", style="italic")
        for media_id, why in self.not_kept[:SHOWN]:
            out.append(f"#{media_id} could not be kept ({inert(why, limit=60)}): delete anyway?\n", style="bold")
        if len(self.not_kept) > SHOWN:
            out.append(f"…and {len(self.not_kept) - SHOWN} more not kept\n", style="bold")
        from mediatui.community.trash import file_of

        lost = {media_id for media_id, _ in self.not_kept}
        kept = self.keep is not None and any(file_of(m) and m.id not in lost for m in self.media)
        out.append("The trash keeps the files: U on the history restores them." if kept else "This cannot be undone.",
                   style="bold red")  # fmt: skip
        return out

    def action_confirm(self) -> None:
        if self.state != "asking":
            return
        if not self.armed:  # typed before the question could be read
            self.query_one("#hint", Static).update(Text("press y again to confirm · n or escape keeps", style="bold"))
            return
        self.state = "deleting"
        self.query_one("#names").display = False
        self.query_one("#progress").display = True
        self.query_one("#results").display = True
        self.query_one("#question", Static).update(Text(f"Deleting {len(self.media)} media…", style="bold"))
        self.query_one("#hint", Static).update(Text("escape stops (the deletion on its way may happen all the same)"))
        self._delete_all()

    def on_key(self, event: events.Key) -> None:
        """Once the results show, a key other than enter or escape closes them and then does its own job: the
        `j` typed to move on after a delete moves the cursor (keys arrive in bursts), never swallowed. The keys
        of the same burst are gathered first and passed on in their order (`jd`: d is for the row j moved to);
        the arrows scroll a long list of results instead."""
        if self.state not in ("done", "closing") or event.key in ("enter", "escape"):
            return
        results = self.query_one("#results", VerticalScroll)
        if self.state == "done" and event.key in SCROLL_KEYS and results.max_scroll_y > 0:
            return
        event.stop()
        event.prevent_default()
        self._passed_on.append(events.Key(event.key, event.character))
        if self.state == "done":
            self.state = "closing"
            self.set_timer(BURST_GAP, self._close_and_pass_on)

    def _close_and_pass_on(self) -> None:
        keys, self._passed_on = self._passed_on, []
        self.dismiss(self.outcomes)
        for key in keys:  # after the dialog is gone: for the list, in the order typed
            self.app.post_message(key)

    def action_close(self) -> None:
        if self.state == "closing":
            return
        if self.state == "keeping":  # before anything was deleted: nothing is
            self._stop.set()
            self.dismiss([])
        elif self.state == "asking":
            self.dismiss([])
        elif self.state == "deleting":
            self._stop.set()
        else:
            self.dismiss(self.outcomes)

    @work(exclusive=True, exit_on_error=False)
    async def _delete_all(self) -> None:
        stop = self._stop

        def delete(media_id: int) -> None:
            self.delete(media_id, stop)

        for media in self.media:
            if stop.is_set():
                break
            assert media.id is not None
            media_id = media.id
            asked = background.start(delete_one, delete, media_id, short, name="mediatui-delete")
            while not asked.done() and not stop.is_set():  # escape never waits out a request the server holds
                await asyncio.sleep(STOP_LOOK)
            if not asked.done():
                self._one_done(DeleteOutcome(media_id, "not deleted", UNANSWERED))
                break
            self._one_done(asked.result())
        self._finished()

    def on_unmount(self) -> None:
        self._stop.set()  # a request still held ends its retries; nobody waits for it

    def _one_done(self, outcome: DeleteOutcome) -> None:
        self.outcomes.append(outcome)
        if self.on_confirmed is not None:
            self.on_confirmed(outcome)
        self.query_one(ProgressBar).advance(1)
        lines = Text()
        for outcome in self.outcomes:
            mark, style = ("✓", "green") if outcome.removed else ("✗", "red")
            lines.append(f"{mark} #{outcome.media_id} ", style=style)
            lines.append(outcome.message + "\n")
        self.query_one("#results-body", Static).update(lines)
        self.query_one("#results", VerticalScroll).scroll_end(animate=False)

    def _finished(self) -> None:
        self.state = "done"
        removed = sum(o.removed for o in self.outcomes)
        kept = len(self.outcomes) - removed
        skipped = len(self.media) - len(self.outcomes)
        summary = (
            f"{removed} removed"
            + (f", {kept} not deleted" if kept else "")
            + (f", {skipped} not tried (stopped)" if skipped else "")
        )
        self.query_one("#question", Static).update(Text(summary, style="bold"))
        self.query_one("#hint", Static).update(Text("any key closes (and then does its own job)"))

"""The upload screen's typed paths: listed on a worker thread, then added together; many files after a question.

A typed path may be `~/**`: a whole home folder, over a slow file system.
It is walked on a worker thread (upload/paths.py) while the keys go on and the
hint counts what was looked at; escape stops it and gives the path back to the
box. What it found is added in one go, and more than ASK_ABOVE files (or a walk
that stopped at its cap) only after a question that says how many: a typo in a
path must not start a thousand uploads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mediatui.sanitize import inert
from mediatui.upload.paths import PathListing

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.timer import Timer
    from textual.widgets import Input

ASK_ABOVE = 50  # files one path may add without a question (a folder of a day's pictures)
HINT_EVERY = 0.25  # seconds between redraws of "listing … N entries looked at"


class PathAdding:
    """`add(paths, type)` adds files to the uploads; `hint(text)` shows a line in the screen's hint (None: the
    screen's own); `redraw()` draws the screen again."""

    def __init__(
        self,
        screen: Screen[Any],
        add: Callable[[list[Path], str | None], None],
        hint: Callable[[str | None], None],
        redraw: Callable[[], None],
    ) -> None:
        self.screen = screen
        self._add, self._hint, self._redraw = add, hint, redraw
        self.listing: PathListing | None = None  # a typed path being listed on a worker thread
        self.box: Input | None = None  # the path box: a path not taken goes back there
        self._timer: Timer | None = None

    def start(self, text: str, type: str | None) -> bool:
        """List `text` and add what it finds; False (and said) while another path is still being listed."""
        if self.listing is not None:
            self.screen.notify(f"Still listing {self.listing.shown}: escape stops it.", markup=False)
            return False
        listing = self.listing = PathListing(text)

        def work() -> None:
            try:
                found, note = listing.run()
            except Exception as exc:  # noqa: BLE001 - said, and the screen goes on: never a listing that hangs on
                found, note = [], f"cannot list {listing.shown}: {inert(getattr(exc, 'strerror', None) or str(exc))}"
            with contextlib.suppress(RuntimeError):  # the app ended meanwhile
                self.screen.app.call_from_thread(self._listed, listing, found, note, type)

        self.screen.run_worker(work, thread=True, exit_on_error=False, group="listing", name="listing")
        self._timer = self.screen.set_interval(HINT_EVERY, self._show)
        self._show()
        return True

    def stop(self, box: Input | None = None) -> bool:
        """Escape (or the screen closing): a listing under way ends at once, nothing of it added, and its path goes
        back to the `box` to be narrowed. False when nothing was being listed."""
        listing = self.listing
        if listing is None:
            return False
        listing.stop()
        self._end()
        if box is not None:
            if not box.value:
                box.value = listing.text
            self.screen.notify(f"stopped listing {listing.shown}: nothing added", markup=False)
            self._redraw()
        return True

    def _show(self) -> None:
        listing = self.listing
        if listing is not None:
            self._hint(f"listing {listing.shown}… {listing.seen:,} entries looked at · escape stops it")

    def _listed(self, listing: PathListing, found: list[Path], note: str | None, type: str | None) -> None:
        if not self.screen.is_mounted or listing is not self.listing:  # stopped by escape (it said so), or closed
            return
        self._end()
        if len(found) > ASK_ABOVE or listing.capped:
            self._ask(listing, found, type)
        elif found:
            self._add(found, type)
        if note and not listing.capped:
            self.screen.notify(note, markup=False, severity="warning")
        self._redraw()

    def _ask(self, listing: PathListing, found: list[Path], type: str | None) -> None:
        from mediatui.tui.screens.confirm_modal import GuardedConfirm

        def answered(yes: bool | None) -> None:
            if yes:
                self._add(found, type)
                self._redraw()
            elif self.box is not None and not self.box.value:  # to be narrowed, as after escape
                self.box.value = listing.text

        count = f"the first {len(found):,} files" if listing.capped else f"{len(found):,} files"
        lines = [inert(str(path), limit=70) for path in found[:3]]
        lines.append(f"… and {len(found) - 3:,} more" if len(found) > 3 else "")
        if listing.capped:
            lines.append(f"The walk stopped there: there are more. A narrower path ({listing.shown}) takes the rest.")
        question = f"Upload {count} of {listing.shown}?"
        self.screen.app.push_screen(
            GuardedConfirm(question, [line for line in lines if line], yes="y: upload them", no="n or escape: none"),
            answered,
        )

    def _end(self) -> None:
        self.listing = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._hint(None)

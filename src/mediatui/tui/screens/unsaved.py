"""Typing a way out would drop: each screen that holds some says what, and every way out asks first.

Why: a moderator's typing must never be lost to one key. The ways out are
escape on a form, quitting (ctrl+q, the palette's Quit), and a switch of
community (which replaces every screen). Each asks with the guarded question,
naming what would be lost: "Discard the changes to #61 (title, description)?".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, runtime_checkable

from textual.app import App
from textual.screen import Screen

from mediatui.tui.screens.confirm_modal import GuardedConfirm

QUESTION_ROOM = 150  # characters of what would be lost in the question (it holds 200 with "and quit?")


@runtime_checkable
class HoldsTyping(Protocol):
    def unsaved_work(self) -> str | None:
        """What leaving would drop, as words ("the changes to #61 (title)"); None when nothing."""


def unsaved_work(screens: Iterable[Screen[Any]]) -> list[str]:
    """What the screens would drop; a screen that cannot tell yet (still being drawn) counts, to be safe."""
    found = []
    for screen in screens:
        if isinstance(screen, HoldsTyping):
            try:
                work = screen.unsaved_work()
            except Exception:  # noqa: BLE001 - its fields are not mounted yet
                work = "what is being typed"
            if work:
                found.append(work)
    return found


def discard_question(work: list[str], then: str | None = None) -> str:
    """ "Discard the changes to #61 (title) and quit?", short enough for the question's one line."""
    what = " and ".join(work)
    if len(what) > QUESTION_ROOM:
        what = what[: QUESTION_ROOM - 1].rstrip(" ,") + "…"
    return f"Discard {what}{f' and {then}' if then else ''}?"


def ask_to_discard(
    app: App[Any],
    work: list[str],
    then: str | None,
    on_yes: Callable[[], object],
    lines: list[str] | None = None,
    *,
    on_no: Callable[[], object] | None = None,
) -> None:
    """The guarded question (keys already in flight never answer it); `on_yes` runs only for a `y` in time."""

    def answered(yes: bool | None) -> None:
        if yes:
            on_yes()
        elif on_no is not None:
            on_no()

    app.push_screen(
        GuardedConfirm(
            discard_question(work, then), lines or [], yes="y discards", no="n or escape: keep it", danger=True
        ),
        answered,
    )

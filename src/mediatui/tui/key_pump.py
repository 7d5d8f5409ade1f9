"""Keys that arrive together (a laggy link sends `/daisy` in one read): one at a time, after the last one.

A part the app owns (`MediaTuiApp.keys`): the app hands it every key event, and
it hands each back to the app's own event handling when its turn comes.
Textual forwards every key of a burst to the focused widget before the first
key's binding runs, so without this `/daisy` would send `d` to the list rather
than to the search box that `/` opens. A key is handled once the walk behind the
one before it (along its bubble path, behind what each node has queued) is done;
a screen's CURSOR_KEYS skip that wait, and `hold_keys` makes keys wait for a box.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import events
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import DataTable

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from textual.app import App

HOLD_TIMEOUT = 2.0  # seconds keys wait for the box they were typed after, at most
KEY_TIMEOUT = 1.0  # seconds a key waits for the one before it, at most
REPUMP = 0.05  # seconds between looks at a key that waits (has the box it waits on closed?)


@dataclass
class _Hold:
    ready: Callable[[], Widget | None]
    deadline: float
    late: str | None = None  # when set, keys still held at the deadline are dropped (but q), and this is said
    passes: Collection[str] = ()  # keys that go at once, ahead of those held (escape: stop what is awaited)


class KeyPump:
    """Keys one at a time for `app`; `deliver` is the app's own handling of an event (Textual's, below the pump).

    `on_key` is told of every key as it arrives (the quiet collector puts off full collections while keys come).
    """

    def __init__(
        self,
        app: App[Any],
        deliver: Callable[[events.Event], Awaitable[None]],
        on_key: Callable[[], None] = lambda: None,
    ) -> None:
        self.app = app
        self._deliver = deliver
        self._on_key = on_key
        self._hold: _Hold | None = None
        self._keys: deque[events.Key] = deque()
        self._key_busy_until = 0.0
        self._busy_path: list[DOMNode] = []  # the bubble path of the key being waited for
        self._repump_pending = False
        self._walking: object | None = None  # the walk that will release the next key (see _walk)

    def hold_keys(
        self,
        ready: Callable[[], Widget | None],
        timeout: float = HOLD_TIMEOUT,
        *,
        late: str | None = None,
        passes: Collection[str] = (),
    ) -> None:
        """Keys from now on wait until `ready()` names the widget that has focus to take them (or `timeout`).

        With `late`, keys still waiting at the timeout are dropped (q still quits) and `late` says so:
        for keys meant for something that has not come yet, which must not act on what is there instead.
        Keys in `passes` (escape, to stop what the others wait for) go at once, ahead of those held.
        """
        self._hold = _Hold(ready, time.monotonic() + timeout, late, passes)

    def drop_held_keys(self, reason: str) -> None:
        """What the keys held were meant for did not come (`o` found nothing): drop them (but q), say why."""
        if self._hold is not None:
            self._hold = None
            self._drop_held(reason)

    def _drop_held(self, late: str) -> None:
        dropped = [key for key in self._keys if key.key != "q"]
        if dropped:
            self._keys = deque(key for key in self._keys if key.key == "q")
            self.app.notify(
                f"{late}: {len(dropped)} key(s) typed meanwhile were dropped", markup=False, severity="warning"
            )

    async def take(self, event: events.Event) -> bool:
        """True when the pump took `event` (a key typed): it is handled once the one before it has been,
        bindings and the focus it moved included. False: the app handles it as usual.

        Textual forwards every key of a burst to the focused widget before the first key's
        binding runs (bindings run when a key bubbles back to the app), so `/daisy` would
        send `d` to the list rather than to the search box that `/` opens.
        """
        if isinstance(event, events.Key) and not event.is_forwarded and self.app.is_running:
            self._on_key()
            self._keys.extend(self._as_typed(event))
            await self._pump_keys()
            return True
        return False

    def _as_typed(self, event: events.Key) -> list[events.Key]:
        """Escape and a key in one read (a laggy link) reach Textual as alt+key: where no binding takes alt+key,
        they are what was typed, escape and then the key."""
        name = event.key
        if not name.startswith("alt+") or len(name) != 5 or name in self.app.screen.active_bindings:
            return [event]
        key = name[4:]
        escape, typed = events.Key("escape", "\x1b"), events.Key(key, key)
        for made in (escape, typed):
            made.set_sender(self.app)
        return [escape, typed]

    async def _pump_keys(self) -> None:
        if self._keys and self._key_busy_until >= time.monotonic():
            if any(not node.is_running for node in self._busy_path):
                # A box closed under the walk, and the step queued on it went with it: walk again behind
                # what is left of the path (the screen below, the app), or the next key would wait KEY_TIMEOUT.
                self._busy_path = [node for node in self._busy_path if node.is_running]
                self._walk(self._busy_path)
            if not self._repump_pending:  # a waiting key always has something to wake it
                self._repump_pending = True
                self.app.set_timer(REPUMP, self._repump)
        while self._keys and self._key_busy_until < time.monotonic():
            hold = self._hold
            passing = None
            if hold is not None:
                if hold.ready() is None:
                    passing = next((k for k in self._keys if k.key in hold.passes), None)
                    if passing is None and time.monotonic() < hold.deadline:
                        self.app.set_timer(0.01, self._pump_later)
                        return
                    if passing is None and hold.late is not None:
                        self._drop_held(hold.late)
                if passing is None:
                    self._hold = None
                if not self._keys:
                    return
            if passing is not None:
                self._keys.remove(passing)
                key = passing
            else:
                key = self._keys.popleft()
            target = self.app.focused or self.app.screen
            if isinstance(target, DataTable) and key.key in getattr(self.app.screen, "CURSOR_KEYS", ()):
                await self._deliver(key)  # it only moves a cursor: the next key goes behind it, to the same place
                continue
            self._key_busy_until = time.monotonic() + KEY_TIMEOUT
            self._busy_path = list(target.ancestors_with_self)
            await self._deliver(key)
            self._walk(self._busy_path)

    async def _pump_later(self) -> None:
        await self._pump_keys()

    async def _repump(self) -> None:
        self._repump_pending = False
        await self._pump_keys()

    def _walk(self, path: list[DOMNode]) -> None:
        """Start the walk behind a key; a walk started later (a new key, a walk again) makes this one void."""
        self._walking = walk = object()
        self._after(path, 2, 0, walk)

    def _after(self, path: list[DOMNode], rounds: int, at: int, walk: object) -> None:
        """Walk the key's bubble path (up to the app) behind what each node has queued, `rounds` times.

        The first round follows the key and its binding; the second, what they posted
        (an Input's Submitted, say, whose handler moves the focus back to the list).
        Only the current walk may release the next key: a void one ends where it is.
        """
        if walk is not self._walking:
            return
        if at == len(path):
            if rounds > 1:
                self._after(path, rounds - 1, 0, walk)
                return
            self._walking = None
            self._key_busy_until = 0.0
            self.app.call_later(self._pump_later)
            return
        node = path[at]
        if node.is_running:
            node.call_later(self._after, path, rounds, at + 1, walk)
        else:
            self._after(path, rounds, at + 1, walk)

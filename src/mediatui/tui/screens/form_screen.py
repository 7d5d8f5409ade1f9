"""What the edit and create screens share: errors where they belong, a guarded send, a guarded discard.

The screens only draw. `mediatui.media.edits` decides what changed and whether it
may be sent; `mediatui.media.saving` sends it from a thread worker, and the result
comes back as a message. A failed send keeps everything typed.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from mediatui.api import ApiError, Media
from mediatui.api.retry import retry_said
from mediatui.media.edits import Feedback, FormErrors
from mediatui.sanitize import inert
from mediatui.tui import background
from mediatui.tui.screens.confirm_modal import GuardedConfirm
from mediatui.tui.screens.unsaved import ask_to_discard
from mediatui.tui.widgets.form_fields import FieldRow

if TYPE_CHECKING:
    from mediatui.media.listing import Listing
    from mediatui.tui.key_pump import KeyPump

Recorder = Callable[..., "str | None"]  # Community.record: a change into the history; a warning when it was not kept


@dataclass(frozen=True, slots=True)
class FormResult:
    """What a form hands back to the list: the server's answer, and what to tell about it."""

    media: Media
    notes: list[str] = field(default_factory=list)
    created: bool = False


@dataclass
class Sent(Message):
    media: Media
    body: dict[str, Any]
    notes: list[str]


@dataclass
class SendFailed(Message):
    error: ApiError


@dataclass
class Retrying(Message):
    attempt: int
    delay: float
    reason: str


class FormScreen(Screen[FormResult | None]):
    """A form: ctrl+s asks, then sends; escape asks before throwing changes away."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "leave", "Back to the list"),
        Binding("f1", "help", "Help", show=False),  # the footer keeps the form's own keys at 80 columns
        Binding("q", "stay", show=False),  # typed into a text box; elsewhere it quits nothing (ctrl+q asks)
    ]

    def __init__(self, listing: Listing, keys: KeyPump, record: Recorder | None = None) -> None:
        """`record(action, media_id, **fields)`: into the community's history (Community.record), on a worker."""
        super().__init__()
        self.listing = listing
        self._record = record
        self.keys = keys  # keys typed right after ctrl+s are for the question it opens
        self.sending = False
        self._stop = threading.Event()
        #: What was saved so far (a save after which more was typed keeps the form open): the list shows it
        #: whenever the form closes.
        self.result: FormResult | None = None
        self._close_with: tuple[FormResult | None] | None = None  # to close with, once shown again (see finish)
        self._problems_shown: list[str] = []

    def finish(self, result: FormResult | None) -> None:
        """Close with `result`; when another screen is on top (a question, the palette's connect screen), once
        this one shows again: closing pops the top screen, which is not this one then."""
        if self.app.screen is self:
            self.dismiss(result)
        else:
            self._close_with = (result,)

    def on_screen_resume(self) -> None:
        closing, self._close_with = self._close_with, None
        if closing is not None:
            self.dismiss(closing[0])

    # -- for the screens ----------------------------------------------------------------

    def unsaved_work(self) -> str | None:
        """What leaving would drop, in words ("the changes to #61 (title)"); None when nothing was typed."""
        raise NotImplementedError

    def action_stay(self) -> None:
        """`q` where no text box takes it (a dropdown, a switch): one key never drops the typing."""

    def sent_note(self) -> str:
        return "Sending…"

    def show_feedback(self, feedback: Feedback) -> None:
        """Server (or local) messages: under their fields when there is one, else at the top. What is already
        shown is not drawn again (an update lays the whole form out again)."""
        if feedback.top != self._problems_shown:
            self._problems_shown = list(feedback.top)
            problems = self.query_one("#form-problems", Static)
            problems.update(Text("\n".join(inert(line, limit=300) for line in feedback.top)))
            problems.display = bool(feedback.top)
        for row in self.query(FieldRow):
            row.show_error(feedback.fields.get(row.field_name, []))
        first = next((r for r in self.query(FieldRow) if r.field_name in feedback.fields), None)
        if first is not None:
            first.scroll_visible(animate=False)

    def show_form_errors(self, errors: FormErrors) -> None:
        self.show_feedback(Feedback(errors.top, {name: [text] for name, text in errors.fields.items()}))
        self.set_status("Not sent: fix the fields marked below.")

    def clear_feedback(self) -> None:
        self.show_feedback(Feedback([], {}))

    def set_status(self, text: str) -> None:
        self.query_one("#form-status", Static).update(Text(inert(text, limit=300)))

    def action_help(self) -> None:
        """F1: every key of the form (a `?` would be typed into a field)."""
        from mediatui.tui.screens.help_modal import HelpModal

        self.app.push_screen(HelpModal(self))

    def confirm_then_send(
        self,
        question: str,
        lines: list[str],
        body: Callable[[], dict[str, Any]],
        send: Callable[[dict[str, Any]], object],
    ) -> None:
        """Ask with the guarded question; `send(body)` runs only for a `y` that came after it was drawn.

        `body()` is built again when the answer comes: keys of a burst may have reached a field
        meanwhile, and what is sent must be what the question showed.
        """
        asked = body()

        def answered(yes: bool | None) -> None:
            if not yes or self.sending:
                return
            try:
                same = body() == asked
            except FormErrors:
                same = False
            if not same:
                self.set_status("The form changed while the question was open: nothing sent. ctrl+s asks again.")
                return
            self.sending = True
            self._stop.clear()
            self.set_status(self.sent_note())
            send(asked)

        self.app.push_screen(
            GuardedConfirm(question, lines, yes="y sends", no="n or escape: back to the form"), answered
        )

    def failed(self, error: BaseException) -> None:
        """From the worker: the send failed (a bug is said as unexpected); everything typed is kept."""
        wrapped = error if isinstance(error, ApiError) else ApiError(None, f"unexpected error: {error!r}")
        self.post_message(SendFailed(wrapped))

    def sent(self, media: Media, body: dict[str, Any], notes: list[str]) -> None:
        """From the worker: the server's answer, remembered in the catalogue, then handed to the screen."""
        record(self.listing, media)
        self.post_message(Sent(media, body, notes))

    def record(self, action: str, media_id: int | None, **fields: Any) -> None:
        """After the server's answer was handed on: the change into the history, on a thread of its own (the form
        may close meanwhile, and its worker with it); a failure to record is a warning toast (the app's)."""
        recorder, app = self._record, self.app
        if recorder is None:
            return

        def write() -> None:
            warning = recorder(action, media_id, **fields)
            if warning:
                with contextlib.suppress(RuntimeError):  # the app ended meanwhile
                    app.call_from_thread(app.notify, inert(warning, limit=300), severity="warning", markup=False)

        background.start(write, name="mediatui-history")

    def retry_notice(self, attempt: int, delay: float, error: ApiError) -> None:
        """Called from the worker before each wait."""
        self.post_message(Retrying(attempt, delay, error.message))

    @property
    def stop(self) -> threading.Event:
        return self._stop

    # -- messages from the worker ---------------------------------------------------------

    @on(Retrying)
    def _retrying(self, message: Retrying) -> None:
        self.set_status(f"{retry_said(message.reason, message.attempt, message.delay)}; escape stops")

    @on(SendFailed)
    def _failed(self, message: SendFailed) -> None:
        self.sending = False
        self.keys.drop_held_keys("the save did not go on")  # keys typed for a question that never came
        self.show_feedback(self.explain(message.error))
        self.set_status("Not saved. Everything you typed is kept: fix it and press ctrl+s again.")

    def explain(self, error: ApiError) -> Feedback:
        raise NotImplementedError

    # -- actions --------------------------------------------------------------------------

    def action_save(self) -> None:
        raise NotImplementedError

    def action_leave(self) -> None:
        if self.sending:
            self._stop.set()  # ends a wait between retries; the request in flight finishes or fails
            self.set_status("Stopping after the request in flight…")
            return
        work = self.unsaved_work()
        if not work:
            self.finish(self.result)
            return
        ask_to_discard(self.app, [work], None, lambda: self.finish(self.result))


def record(listing: Listing, media: Media) -> None:
    """Remember the server's answer in the catalogue (from the worker); a local failure never loses it."""
    try:
        listing.catalogue.record(media)
    except Exception:  # noqa: BLE001 - the save succeeded; the catalogue catches up on the next GET
        pass


__all__ = ["FormResult", "FormScreen", "Retrying", "SendFailed", "Sent", "record"]

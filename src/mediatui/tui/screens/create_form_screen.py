"""The create form: a url, vimeo or embed media from its URL (or embed type and id).

The body and its checks come from `mediatui.media.edits.create_body`, the same as
`mediatui create`. A create is never resent by itself: when its answer is
lost, `mediatui.media.saving.create` looks for it in the server's list and says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static

from mediatui.api import ApiError
from mediatui.media.edits import CREATE_CHOICES, Feedback, FormErrors, create_body, feedback, shown
from mediatui.media.history import failure_fields
from mediatui.media.saving import CreateUnknown, create
from mediatui.tui.formatting import article
from mediatui.tui.screens.form_screen import FormResult, FormScreen, Sent
from mediatui.tui.textual_compat import Header
from mediatui.tui.widgets.form_fields import FieldRow, InertInput
from mediatui.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from mediatui.media.listing import Listing
    from mediatui.tui.key_pump import KeyPump
    from mediatui.tui.screens.form_screen import Recorder

#: Which fields each type needs.
FIELDS_FOR = {"url": ("url",), "vimeo": ("url",), "embed": ("embed_type", "embed_id")}
TEXT_FIELDS = ("url", "embed_type", "embed_id")
PLACEHOLDERS = {"url": "https://…", "embed_type": "e.g. youtube", "embed_id": "e.g. dQw4w9WgXcQ"}


class CreateFormScreen(FormScreen):
    BINDINGS = [
        Binding("ctrl+s", "save", "Create"),
        Binding("escape", "leave", "Back to the list"),
    ]
    AUTO_FOCUS = "#c-url"  # the URL first: url is the type chosen at first (shift+tab reaches the type)

    def __init__(self, listing: Listing, keys: KeyPump, record: Recorder | None = None) -> None:
        super().__init__(listing, keys, record)
        self.kind = "url"
        self._values_sent: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text("New media (URL, Vimeo, embed)", style="bold"), id="form-heading")
        yield Static(id="form-problems")
        with VerticalScroll(id="form-fields"):
            yield FieldRow(
                "type",
                Select(
                    [(Text(k), k) for k in CREATE_CHOICES], allow_blank=False, value="url", compact=True, id="c-type"
                ),
                nullable=False,
            )
            for name in TEXT_FIELDS:
                yield FieldRow(name, InertInput(placeholder=PLACEHOLDERS[name], id=f"c-{name}"), nullable=False)
        yield Static(Text("ctrl+s creates (after asking) · escape goes back"), id="form-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._follow_type()

    @on(Select.Changed, "#c-type")
    def _type_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.kind = event.value
            self._follow_type()

    def _follow_type(self) -> None:
        """Only the fields the chosen type needs are shown (and reachable with tab)."""
        for name in TEXT_FIELDS:
            self.query_one(f"#row-{name}").display = name in FIELDS_FOR[self.kind]

    def values(self) -> dict[str, str]:
        return {name: self.query_one(f"#c-{name}", Input).value for name in FIELDS_FOR[self.kind]}

    def unsaved_work(self) -> str | None:
        typed = [name for name in TEXT_FIELDS if self.query_one(f"#c-{name}", Input).value]
        return f"the new media ({', '.join(typed)})" if typed else None

    def action_save(self) -> None:
        if self.sending:
            return
        self.clear_feedback()
        try:
            body = create_body(self.kind, **self.values())
        except FormErrors as exc:
            self.show_form_errors(exc)
            return
        lines = [f"{name}: {shown(value)}" for name, value in body.items()]
        self.confirm_then_send(
            f"Create {article(self.kind)} {self.kind} media?",
            lines,
            lambda: create_body(self.kind, **self.values()),
            self._create,
        )

    def _create(self, body: dict[str, Any]) -> None:
        self._values_sent = self.values()  # what the boxes held at y: typing after it is kept, not lost
        self._send(body)

    def sent_note(self) -> str:
        return "Creating… (sent once: a lost answer is looked for, never sent again by itself)"

    @work(thread=True, exclusive=True, group="create")
    def _send(self, body: dict[str, Any]) -> None:
        notes: list[str] = []
        outcome: dict[str, Any] = {}
        try:
            media = create(self.listing.client, body, on_retry=self.retry_notice, stop=self.stop)
        except CreateUnknown as exc:
            outcome = {"outcome": "unknown", "message": exc.message}
            if exc.found is None:
                self.failed(exc)
                self.record("create", None, **outcome)
                return
            media, notes = exc.found, [exc.message]
        except Exception as exc:  # noqa: BLE001 - an ApiError, or a bug: either way what was typed is kept
            self.failed(exc)
            if isinstance(exc, ApiError):
                self.record("create", None, **failure_fields(exc))
            return
        self.sent(media, body, notes)
        self.record("create", media.id, after=media.to_json(), **outcome)

    @on(Sent)
    def _sent(self, message: Sent) -> None:
        self.sending = False
        result = FormResult(message.media, message.notes, created=True)
        if self.values() != self._values_sent:  # typed after y: created as asked, and the typing is kept
            self.result = result
            said = f"Created #{message.media.id}. What you typed since is still here: ctrl+s creates another."
            self.set_status(said)
            self.notify(said, markup=False)
            return
        self.finish(result)

    def explain(self, error: ApiError) -> Feedback:
        if isinstance(error, CreateUnknown):
            return Feedback([error.message], {})
        return feedback(error, None, set(TEXT_FIELDS) | {"type"})

"""The edit form: every field of one media in groups; ctrl+s saves the changes with PATCH (or all with PUT).

What changed, whether it may be sent and what the body is: `mediatui.media.edits`
(the same code as `mediatui update`). Values are held raw in the inputs, which
draw control characters visibly; every label, prompt and message is inert Text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Select, Static, Switch, TextArea

from mediatui.api import ApiError, Media
from mediatui.media.conflicts import Choice, plan_write, unchanged_since
from mediatui.media.edits import (
    FIELDS,
    GROUPS,
    SPECS,
    Draft,
    Feedback,
    FormErrors,
    Kind,
    feedback,
    server_kept,
)
from mediatui.media.history import failure_fields
from mediatui.media.saving import read_again, save
from mediatui.sanitize import inert
from mediatui.tui.screens.confirm_modal import GuardedConfirm
from mediatui.tui.screens.conflict_modal import ConflictModal
from mediatui.tui.screens.form_screen import FormResult, FormScreen, Sent
from mediatui.tui.textual_compat import Header
from mediatui.tui.widgets.edit_fields import PUT_SWITCH, facts_text, field_editor, field_name, placeholder
from mediatui.tui.widgets.form_fields import FactsPanel, FieldRow, NullMark, SaidSwitch
from mediatui.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from mediatui.media.listing import Listing
    from mediatui.tui.key_pump import KeyPump
    from mediatui.tui.screens.form_screen import Recorder

HINT = "ctrl+s saves the changes (PATCH) · f5 sends every field (PUT) · ctrl+n: null"


@dataclass
class ReadAgain(Message):
    """The media as the server has it just before a save (from the worker)."""

    media: Media
    put: bool


@dataclass
class MovedMeanwhile(Message):
    """The media changed on the server while the confirmation was open: nothing was sent."""

    media: Media
    put: bool
    fields: list[str]


class EditFormScreen(FormScreen):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("f5", "save_put", "Save with PUT"),
        Binding("ctrl+n", "toggle_null", "Null on/off"),
        Binding("escape", "leave", "Back to the list"),
        Binding("f1", "help", "Help", show=False),  # the footer keeps the form's own keys at 80 columns
    ]
    AUTO_FOCUS = "#f-title"

    def __init__(self, media: Media, listing: Listing, keys: KeyPump, record: Recorder | None = None) -> None:
        super().__init__(listing, keys, record)
        assert media.id is not None
        self.media = media
        self.draft = Draft(media)
        self._entries_sent: dict[str, Any] = {}  # what the fields held at y (typing after it is kept)

    # -- drawing ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        heading = Text.assemble(
            ("Edit ", "bold"),
            (f"#{self.media.id} ", "bold"),
            (f"{self.media.type or '?'} ", "italic"),
            inert(self.media.display_title, limit=60),
        )
        yield Static(heading, id="form-heading")
        yield Static(id="form-problems")
        with VerticalScroll(id="form-fields"):
            for group in GROUPS:
                yield Static(Text(group, style="bold underline"), classes="form-group")
                facts = [s for s in FIELDS if s.group == group and not s.editable]
                for spec in FIELDS:
                    if spec.group == group and spec.editable:
                        yield FieldRow(
                            spec.name,
                            field_editor(spec, self.draft),
                            nullable=spec.nullable and spec.kind is not Kind.CHOICE,
                            is_null=self.draft.entries[spec.name] is None,
                        )
                if facts:
                    yield FactsPanel(
                        facts_text(self.media, facts), classes="facts", id=f"facts-{group.split()[0].lower()}"
                    )
            yield FieldRow("put", SaidSwitch(False, switch_id=PUT_SWITCH), nullable=False, label="Save with PUT")
        yield Static(Text(HINT), id="form-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        for name, entry in self.draft.entries.items():
            self._show_null(name, entry)

    def _show_null(self, name: str, entry: Any) -> None:
        for mark in self.query(f"#null-{name}").results(NullMark):
            mark.show(entry is None)
        widget = self.query_one(f"#f-{name}")
        if isinstance(widget, (Input, TextArea)):
            widget.placeholder = placeholder(SPECS[name], entry)

    def unsaved_work(self) -> str | None:
        changed = self.draft.changed_fields
        return f"the changes to #{self.media.id} ({', '.join(changed)})" if changed else None

    # -- what the widgets say --------------------------------------------------------------

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._typed_into(field_name(event.input), event.value)

    @on(TextArea.Changed)
    def _typed_area(self, event: TextArea.Changed) -> None:
        self._typed_into(field_name(event.text_area), event.text_area.text)

    def _typed_into(self, name: str | None, text: str) -> None:
        if name is None:
            return
        self.draft.typed(name, text)
        self._show_null(name, self.draft.entries[name])

    @on(Select.Changed)
    def _chosen(self, event: Select.Changed) -> None:
        name = field_name(event.select)
        if name is not None:
            self.draft.set(name, None if event.value is Select.NULL else str(event.value))

    @on(Switch.Changed)
    def _switched(self, event: Switch.Changed) -> None:
        name = field_name(event.switch)
        if name is not None:
            self.draft.set(name, event.value)
            self._show_null(name, event.value)

    @on(NullMark.Toggled)
    def _mark_clicked(self, message: NullMark.Toggled) -> None:
        self._toggle_null(message.name)

    def action_toggle_null(self) -> None:
        name = field_name(self.focused)
        if name is None:
            self.notify("Move to a field first (tab), then ctrl+n makes it null or not.", markup=False)
            return
        self._toggle_null(name)

    def _toggle_null(self, name: str) -> None:
        spec = SPECS[name]
        widget = self.query_one(f"#f-{name}")
        if not spec.nullable:
            self.notify(f"{name} cannot be null.", markup=False, severity="warning")
            return
        if isinstance(widget, Select):
            widget.clear()  # the empty choice is null
            return
        if self.draft.entries[name] is not None:
            self.draft.set(name, None)
            if isinstance(widget, Input):
                widget.value = ""
            elif isinstance(widget, TextArea):
                widget.text = ""
        else:
            start = self.draft.start[name]
            back = start if start is not None else (widget.value if isinstance(widget, Switch) else "")
            self.draft.set(name, back)
            if isinstance(widget, Input):
                widget.value = str(back)
            elif isinstance(widget, TextArea):
                widget.text = str(back)
        self._show_null(name, self.draft.entries[name])

    # -- saving ----------------------------------------------------------------------------

    @property
    def use_put(self) -> bool:
        return self.query_one(f"#{PUT_SWITCH}", Switch).value

    def action_save(self) -> None:
        self._save(put=self.use_put)

    def action_save_put(self) -> None:
        self._save(put=True)

    def _save(self, *, put: bool) -> None:
        """Check the form, then read the media again: what is asked and sent depends on the server's values now."""
        if self.sending:
            return
        self.clear_feedback()
        try:
            changes = self.draft.changes()
        except FormErrors as exc:
            self.show_form_errors(exc)
            return
        if not changes:
            self.set_status("Nothing changed: nothing sent.")
            self.notify("Nothing changed: nothing was sent.", markup=False)
            return
        self.sending = True
        self.stop.clear()
        self.set_status(f"Reading #{self.media.id} again before saving… (escape stops)")
        self._read_again(put)
        # Keys typed right after ctrl+s (`ctrl+s y`, `ctrl+s m` in one read) are for the box the read opens,
        # never for the field that has the focus meanwhile; if no box comes (the read failed), for the form.
        self.keys.hold_keys(self._box_or_form, late="still reading the media", passes={"escape"})

    def _box_or_form(self) -> Widget | None:
        """The box the read opened takes the keys held; none came (nothing to send): the form does."""
        screen = self.app.screen
        if isinstance(screen, (GuardedConfirm, ConflictModal)):
            return screen.focused or screen
        return self.focused if screen is self and not self.sending else None

    @work(thread=True, exclusive=True, group="save")
    def _read_again(self, put: bool) -> None:
        media_id = self.media.id
        assert media_id is not None
        try:
            now = read_again(self.listing.client, media_id, on_retry=self.retry_notice, stop=self.stop)
        except ApiError as exc:
            self.failed(exc)
            return
        self.post_message(ReadAgain(now, put))

    @on(ReadAgain)
    def _read(self, message: ReadAgain) -> None:
        self.sending = False
        if self.stop.is_set():  # escape while it read: nothing is asked, nothing sent
            self.keys.drop_held_keys("stopped")  # keys typed for the question are not typed into a field
            self.set_status("Stopped: nothing was sent. Your typing is kept.")
            return
        self.set_status(HINT)
        self._ask(message.media, message.put, {})

    def _ask(self, now: Media, put: bool, chosen: dict[str, Choice]) -> None:
        """Conflicts first (each settled by the moderator), then the usual confirmation, "before" being the
        server's value now."""
        media_id = self.media.id
        assert media_id is not None
        try:
            plan = plan_write(self.draft, now, put=put, chosen=chosen)
        except FormErrors as exc:
            self.show_form_errors(exc)
            return
        if plan.conflicts:

            def settled(choice: Choice | None) -> None:
                if choice is None:
                    self.set_status("Nothing sent: your typing is kept. ctrl+s looks at the server's values again.")
                    return
                self._ask(now, put, {**chosen, **{c.name: choice for c in plan.conflicts}})

            self.app.push_screen(ConflictModal(media_id, plan.conflicts), settled)
            return
        if not plan.changes:
            self.keys.drop_held_keys("nothing to send")  # keys typed for a question that does not come
            self.set_status("Nothing to send: the server already has these values.")
            self.notify("Nothing to send: the server already has these values.", markup=False)
            return
        count = f"{len(plan.changes)} change" + ("s" if len(plan.changes) > 1 else "")
        if put:
            question = f"Replace #{media_id} with PUT? It sends all {len(plan.body)} fields ({count}):"
        else:
            question = f"Save {count} to #{media_id} with PATCH?"
        lines = [c.line() for c in plan.changes]
        if plan.kept:
            lines.append(f"changed on the server since you opened it, left as it is now: {', '.join(plan.kept)}")
        self.confirm_then_send(
            question,
            lines,
            lambda: plan_write(self.draft, now, put=put, chosen=chosen).body,
            lambda body: self._send_now(media_id, body, put, now),
        )

    def _send_now(self, media_id: int, body: dict[str, Any], put: bool, seen: Media) -> None:
        self._entries_sent = dict(self.draft.entries)  # typing after y is kept (see _sent)
        self._send(media_id, body, put, seen)

    def sent_note(self) -> str:
        return "Saving… (escape stops retrying)"

    @work(thread=True, exclusive=True, group="save")
    def _send(self, media_id: int, body: dict[str, Any], put: bool, seen: Media) -> None:
        """Read once more just before the write: a change on the server since the question showed its values is
        never overwritten; the question is asked again with the new values."""
        try:
            now = read_again(self.listing.client, media_id, on_retry=self.retry_notice, stop=self.stop)
            if self.stop.is_set():  # escape during the read: the write is not sent
                self.failed(ApiError(None, "Stopped before sending: nothing was sent."))
                return
            moved = unchanged_since(seen, now)
            if moved:
                self.post_message(MovedMeanwhile(now, put, moved))
                return
        except Exception as exc:  # noqa: BLE001 - an ApiError, or a bug: either way what was typed is kept
            self.failed(exc)
            return
        method = "PUT" if put else "PATCH"
        try:
            answer = save(self.listing.client, media_id, body, put=put, on_retry=self.retry_notice, stop=self.stop)
        except Exception as exc:  # noqa: BLE001 - as above
            self.failed(exc)
            if isinstance(exc, ApiError):
                self.record("update", media_id, method=method, before=now.to_json(), **failure_fields(exc))
            return
        self.sent(answer, body, server_kept(body, answer))
        self.record("update", media_id, method=method, before=now.to_json(), after=answer.to_json())

    @on(MovedMeanwhile)
    def _moved(self, message: MovedMeanwhile) -> None:
        self.sending = False
        self.set_status(HINT)
        self.notify(
            f"#{self.media.id} changed on the server while the question was open ({', '.join(message.fields)}): "
            "nothing was sent. Look again.",
            markup=False,
            severity="warning",
        )
        self._ask(message.media, message.put, {})

    @on(Sent)
    def _sent(self, message: Sent) -> None:
        self.sending = False
        result = FormResult(message.media, message.notes)
        entries = self.draft.entries
        typed_since = [name for name in entries if entries[name] != self._entries_sent.get(name)]
        if typed_since:  # typed after y: saved as asked, and what was typed since stays, as changes not saved
            self.result = result
            self.draft = Draft(message.media)  # what is saved now; every box as it shows, so that what differs
            for name, entry in entries.items():  # from the server (typed since, or a value kept) is a change
                self.draft.set(name, entry)
            said = f"Saved #{self.media.id}. What you typed since is kept: ctrl+s saves it too."
            self.set_status(said)
            self.notify(said, markup=False)
            return
        self.finish(result)

    def explain(self, error: ApiError) -> Feedback:
        return feedback(error, self.media.id)

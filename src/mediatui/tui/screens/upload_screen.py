"""The upload screen: add files by path, glob, folder or browser; watch, cancel, retry and resume them.

Thin on purpose: the app's `Uploads` (tui/uploads.py) owns the session, the
workers and the board; this screen turns keys into its calls and draws the
board when the app's 10-a-second timer says it changed. Leaving the screen
stops nothing; `u` on the list comes back to the same rows. Files added here go
to the community the screen was opened on (its title says which); the rows of
uploads still running on communities left before are shown too, in the order
they came, each naming its community, and x, R and enter act on them where they
are (until that community's last upload ends and it closes).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import Input, ListView, Select, Static

from mediatui.tui.screens.unsaved import ask_to_discard
from mediatui.tui.screens.upload_adding import PathAdding
from mediatui.tui.textual_compat import Header
from mediatui.tui.widgets.form_fields import InertInput
from mediatui.tui.widgets.keys_footer import KeysFooter
from mediatui.tui.widgets.upload_row import UploadRows, UploadRowView
from mediatui.upload.board import ACTIVE, COMPLETED, OFFERED, RETRYABLE, Row
from mediatui.upload.paths import browse_start, complete

if TYPE_CHECKING:
    from collections.abc import Callable

    from mediatui.tui.communities import Communities
    from mediatui.tui.uploads import Uploads

TYPES = [("auto", "auto"), ("image", "image"), ("doc", "doc"), ("eimage", "eimage")]


class PathSuggester(Suggester):
    """Completion from the file system: the first folder or uploadable file that starts with what was typed."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return complete(value)


class UploadScreen(Screen[None]):
    AUTO_FOCUS = "#path"
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "back", "Back", tooltip="Back to the list"),  # short in the footer: R's name fits 80
        Binding("ctrl+o", "browse", "Browse", tooltip="Browse files"),
        Binding("x", "cancel_one", "Cancel"),
        Binding("X", "cancel_all", "Cancel all", show=False),
        Binding("R", "retry", "Retry"),  # on a failed or cancelled row; on a completed one R is the next
        Binding("R", "upload_again", "Upload again"),  # check_action shows the one the row under the cursor takes
        Binding("ctrl+r", "resume_all", "Resume all", show=False),
        Binding("plus", "jobs(1)", "More at once", show=False),  # in help and palette: the footer fits 80
        Binding("minus", "jobs(-1)", "Fewer at once", show=False),
    ]

    def __init__(self, communities: Communities, goto: Callable[[int], None]) -> None:
        """`goto(media_id)`: `enter` on a completed upload of this community closes this screen and shows it."""
        super().__init__()
        self.communities = communities
        self._goto = goto
        self._views: dict[tuple[int, str], UploadRowView] = {}  # (which uploads, the board's key)
        #: The uploads of the community this screen was opened on (a switch closes the screen).
        self.uploads: Uploads = communities.uploads
        self._others: list[Uploads] = []  # uploads of communities left, running when the screen opened
        self.adding = PathAdding(self, lambda paths, type: self.uploads.add_paths(paths, type), self._hint, self.redraw)
        self._listing_hint: str | None = None  # "listing ~/**… 4,000 entries looked at" while a path is listed
        self._again_named: bool | None = None  # what the footer names R for: "Upload again" (True) or "Retry"

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="upload-choose"):
            yield InertInput(  # a suggested file name may hold control characters: drawn visible
                placeholder="path, folder, folder/** or glob · enter adds · ctrl+o browses",
                id="path",
                suggester=PathSuggester(),
            )
            yield Select(TYPES, value="auto", allow_blank=False, id="upload-type", compact=True)
        yield Static(id="upload-hint")
        yield UploadRows(id="upload-list")
        yield Static(id="upload-overall")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.adding.box = self.query_one("#path", Input)
        self.title = f"mediatui · upload to {self.uploads.community.heading}"  # the community these files go to
        self._others = [u for u in self.communities.uploads_elsewhere if u is not self.uploads]
        for uploads in self._shown():
            uploads.listeners.append(self.redraw)
        self.uploads.offer_unfinished()
        self.redraw()

    def on_unmount(self) -> None:
        self.adding.stop()  # closed (a switch, a quit) while listing: its walk ends, nothing is added
        for uploads in self._shown():
            if self.redraw in uploads.listeners:
                uploads.listeners.remove(self.redraw)

    def _shown(self) -> list[Uploads]:
        """This community's uploads first, then those of communities left (their rows stay until the screen closes)."""
        return [self.uploads, *self._others]

    # -- drawing (called by the app's timer when the board changed) ------------------------

    def redraw(self) -> None:
        board = self.uploads.board
        listing = self.query_one("#upload-list", ListView)
        new = []
        for number, uploads in enumerate(self._shown()):
            elsewhere = uploads.community.label if number else None  # rows of another community name it
            for key in uploads.board.rows:
                if (number, key) not in self._views:
                    view = UploadRowView(key, uploads.board.rows.get, uploads=uploads, community=elsewhere)
                    self._views[number, key] = view
                    new.append(view)
        if new:
            listing.extend(new)
            if listing.index is None:
                self.call_after_refresh(setattr, listing, "index", 0)
        for view in self._views.values():
            if view.is_mounted and view.children:
                view.redraw()
        self.sub_title = f"jobs {self.uploads.jobs} at once (+/-)"
        offered = len(board.keys(OFFERED))
        hint = f"{offered} unfinished from before: enter on one resumes it, ctrl+r resumes all · " if offered else ""
        hint += "tab: type, then rows · x cancels · R retries · escape: back (uploads go on)"
        shown = hint if self._listing_hint is None else self._listing_hint
        self._line("#upload-hint", Text(shown, style="dim", no_wrap=True, overflow="ellipsis"))
        overall = board.overall()
        for other in self._others:
            if other.board.status():
                overall += f" · {other.board.status()} to {other.community.label}"
        self._line("#upload-overall", Text(overall, no_wrap=True, overflow="ellipsis"))
        self._name_r()

    def on_list_view_highlighted(self) -> None:
        self._name_r()

    def _name_r(self) -> None:
        """The footer, F1 and the palette name what R does on the row under the cursor, told when that changes."""
        again = self._again_applies()
        if again != self._again_named:
            self._again_named = again
            self.refresh_bindings()

    def _again_applies(self) -> bool:
        selected = self._selected() if self.is_mounted else None
        return selected is not None and selected[1].state == COMPLETED and bool(selected[1].path)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """R is "Upload again" on a completed row and "Retry" on any other: one of the two is active."""
        if action in ("retry", "upload_again"):
            return (action == "upload_again") == self._again_applies()
        return True

    def _line(self, selector: str, text: Text) -> None:
        """A one-line Static, redrawn only when its text changed and without a layout pass."""
        line = self.query_one(selector, Static)
        if getattr(line, "shown", None) != text.plain:
            line.shown = text.plain  # type: ignore[attr-defined]
            line.update(text, layout=False)

    # -- adding files ----------------------------------------------------------------

    def _type(self) -> str | None:
        value = self.query_one("#upload-type", Select).value
        return None if value == "auto" or not isinstance(value, str) else value

    @on(Input.Submitted, "#path")
    def _add(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            if self.uploads.board.keys(OFFERED):
                self.action_resume_all()
        elif self.adding.start(text, self._type()):
            event.input.value = ""

    def _hint(self, text: str | None) -> None:
        """The hint line says what the listing of a typed path is at; None: the screen's own hint again."""
        self._listing_hint = text
        if text is not None:
            self._line("#upload-hint", Text(text, style="dim", no_wrap=True, overflow="ellipsis"))

    def action_browse(self) -> None:
        from mediatui.tui.screens.file_picker_modal import FilePickerModal

        def chosen(paths: list[Path] | None) -> None:
            if paths:
                self.uploads.add_paths(paths, self._type())

        self.app.push_screen(FilePickerModal(browse_start(self.query_one("#path", Input).value)), chosen)

    # -- acting on rows --------------------------------------------------------------

    def _selected(self) -> tuple[Uploads, Row] | None:
        """The highlighted row and the uploads it belongs to."""
        item = self.query_one("#upload-list", ListView).highlighted_child
        return self._row_of(item)

    def _row_of(self, item: object) -> tuple[Uploads, Row] | None:
        if not isinstance(item, UploadRowView):
            return None
        uploads: Uploads = item.uploads
        row = uploads.board.rows.get(item.key)
        return (uploads, row) if row is not None else None

    def _ended(self, uploads: Uploads) -> bool:
        """The uploads of a community left that ended since (its client is closed): said, not acted on."""
        if uploads is self.uploads or uploads in self.communities.every_uploads():
            return False
        self.notify(
            f"The uploads to {uploads.community.label} ended with it: connect to it (c on the list) to resume.",
            markup=False,
            severity="warning",
        )
        return True

    @on(ListView.Selected, "#upload-list")
    def _enter(self, event: ListView.Selected) -> None:
        selected = self._row_of(event.item)
        if selected is None:
            return
        uploads, row = selected
        if row.state == COMPLETED and row.media_id is not None:
            if uploads is not self.uploads:  # not in this community's list
                name = uploads.community.label
                self.notify(f"#{row.media_id} is on {name}: switch there (c on the list) to see it.", markup=False)
                return
            self._goto(row.media_id)
        elif (row.state == OFFERED or row.state in RETRYABLE) and not self._ended(uploads):
            uploads.resume([row.key])

    def action_cancel_one(self) -> None:
        selected = self._selected()
        if selected is None or selected[1].state not in ACTIVE:
            self.notify("Nothing uploading here to cancel.", markup=False)
            return
        uploads, row = selected
        if not self._ended(uploads):
            self._confirm("Cancel this upload?", [self._named(uploads, row)], {uploads: [row.key]})

    def action_cancel_all(self) -> None:
        keys = {uploads: uploads.board.keys(*ACTIVE) for uploads in self._shown() if uploads.board.keys(*ACTIVE)}
        if not keys:
            self.notify("Nothing is uploading.", markup=False)
            return
        names = [self._named(uploads, uploads.board.rows[k]) for uploads, some in keys.items() for k in some]
        self._confirm("Cancel the upload?" if len(names) == 1 else f"Cancel all {len(names)} uploads?", names, keys)

    def _named(self, uploads: Uploads, row: Row) -> str:
        """A row's name in a question, with its community when it is not this screen's."""
        return row.name if uploads is self.uploads else f"{row.name}  → {uploads.community.label}"

    def _confirm(self, question: str, names: list[str], keys: dict[Uploads, list[str]]) -> None:
        from mediatui.tui.screens.confirm_modal import GuardedConfirm

        def answered(yes: bool | None) -> None:
            if yes:
                for uploads, some in keys.items():
                    uploads.cancel(some)

        lines = [
            *names[:8],
            *([f"… and {len(names) - 8} more"] if len(names) > 8 else []),
            "Cancelled uploads stay resumable (R).",
        ]
        yes = "y: cancel it" if len(names) == 1 else "y: cancel them"
        self.app.push_screen(GuardedConfirm(question, lines, yes=yes, no="n or escape: go on"), answered)

    def action_upload_again(self) -> None:
        selected = self._selected()
        if selected is not None and self._again_applies():
            self._upload_again(*selected)

    def action_retry(self) -> None:
        selected = self._selected()
        if selected is None or (selected[1].state not in RETRYABLE and selected[1].state != OFFERED):
            self.notify("R retries a failed or cancelled upload, or uploads a completed one again.", markup=False)
            return
        uploads, row = selected
        if not self._ended(uploads):
            uploads.resume([row.key])

    def _upload_again(self, uploads: Uploads, row: Row) -> None:
        """R on a completed row: a second media of the same file, after a question that names the first."""
        from mediatui.tui.screens.confirm_modal import GuardedConfirm

        if self._ended(uploads):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                uploads.add_paths([Path(row.path)], None, again=True)

        question = f"Upload {row.name} again? It is on the server as #{row.media_id}."
        lines = ["A second media is made; the first stays."]
        self.app.push_screen(
            GuardedConfirm(question, lines, yes="y: upload again", no="n or escape: keep one"), answered
        )

    def action_resume_all(self) -> None:
        """Every unfinished row shown: this community's, and those of communities left that have not ended."""
        live = [u for u in self._shown() if u is self.uploads or u in self.communities.every_uploads()]
        offered = {uploads: uploads.board.keys(OFFERED) for uploads in live if uploads.board.keys(OFFERED)}
        if not offered:
            self.notify("Nothing unfinished to resume.", markup=False)
            return
        for uploads, keys in offered.items():
            uploads.resume(keys)

    def action_jobs(self, change: int) -> None:
        jobs = self.uploads.set_jobs(self.uploads.jobs + change)
        self.sub_title = f"jobs {jobs} at once (+/-)"

    def unsaved_work(self) -> str | None:
        """A path typed and not added yet (enter adds it): leaving would drop it."""
        typed = self.query_one("#path", Input).value.strip()
        return f"the path typed on the upload screen ({typed[:40]})" if typed else None

    def action_back(self) -> None:
        if self.adding.stop(self.query_one("#path", Input)):  # escape first stops a listing under way, at once
            return
        work = self.unsaved_work()
        if work:
            ask_to_discard(self.app, [work], None, self.app.pop_screen)
            return
        self.app.pop_screen()

    def action_help(self) -> None:
        from mediatui.tui.screens.help_modal import HelpModal

        self.app.push_screen(HelpModal(self, about=self.uploads.community.settings.demo))

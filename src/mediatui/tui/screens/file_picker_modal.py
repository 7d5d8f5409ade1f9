"""`ctrl+o` on the upload screen: a file browser that shows only folders and uploadable files.

Space marks files (several, in any folders), enter adds the marked ones (or
the file under the cursor when none is marked), escape adds nothing. Which
files are uploadable is the same rule as the path box's (upload/paths.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Static
from textual.widgets.tree import TreeNode

from mediatui.sanitize import inert
from mediatui.tui.widgets.inert_input import InertInput
from mediatui.upload.paths import is_uploadable


def _is_folder(path: Path) -> bool:
    """A folder the tree may open; a path that cannot be read is not one (never an error in the picker)."""
    try:
        return path.is_dir()
    except OSError:
        return False


class UploadableTree(DirectoryTree):
    """Folders (not hidden ones) and files pre-flight would take by their name; marked ones show a dot."""

    def __init__(self, path: Path, **kw: object) -> None:
        super().__init__(path, **kw)  # type: ignore[arg-type]
        self.marked: set[Path] = set()

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".") and (_is_folder(p) or is_uploadable(p))]

    def process_label(self, label: str | Text) -> Text:
        """Names are untrusted: literal, one line, controls made visible (Textual keeps only the first line)."""
        return Text(inert(label if isinstance(label, str) else label.plain))

    def render_label(self, node: TreeNode, base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        path = node.data.path if node.data is not None else None
        return Text.assemble(("● " if path in self.marked else "  ", "bold"), label)


class FilePickerModal(ModalScreen[list[Path]]):
    BINDINGS = [
        Binding("space", "mark", "Mark / unmark", priority=True),  # the tree would fold a folder
        Binding("enter", "add", "Add marked", priority=True),
        Binding("backspace", "up", "Up a folder"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="picker"):
            yield Static(Text("space marks · enter adds · backspace: up · tab: type a folder · escape", style="bold"))
            yield InertInput(str(self.start), placeholder="a folder: enter goes there", id="picker-path")
            yield UploadableTree(self.start, id="picker-tree")

    def on_mount(self) -> None:
        self.files.focus()

    def _go_typed(self, text: str) -> None:
        """A folder typed goes there (`~` expands); anything else says why and stays."""
        folder = Path(text.strip()).expanduser()
        if not _is_folder(folder):
            self.notify(f"{inert(str(folder), limit=80)} is not a folder.", markup=False, severity="warning")
            return
        self._go(folder)

    def _go(self, folder: Path) -> None:
        self.files.path = folder  # marks are kept: files of several folders may be added together
        self.query_one("#picker-path", Input).value = str(folder)
        self.files.focus()

    def action_up(self) -> None:
        """Backspace: the folder above (the path box keeps its own backspace)."""
        current = Path(self.files.path)
        if current.parent != current:
            self._go(current.parent)

    @property
    def files(self) -> UploadableTree:
        return self.query_one(UploadableTree)

    def _current(self) -> Path | None:
        node = self.files.cursor_node
        return node.data.path if node is not None and node.data is not None else None

    def action_mark(self) -> None:
        path = self._current()
        if path is None or path.is_dir():
            return
        self.files.marked.symmetric_difference_update({path})
        self.files.refresh()
        self.files.action_cursor_down()

    def action_add(self) -> None:
        box = self.query_one("#picker-path", Input)
        if box.has_focus:  # enter in the path box (this binding takes enter first): go there
            self._go_typed(box.value)
            return
        path = self._current()
        if not self.files.marked and path is not None and path.is_dir():
            self.files.action_select_cursor()  # enter on a folder opens it
            return
        chosen = sorted(self.files.marked) or ([path] if path is not None else [])
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        """Escape: from the path box, back to the files (what was typed there goes, the folder shown stays);
        from the files, the browser closes, adding nothing."""
        box = self.query_one("#picker-path", Input)
        if box.has_focus:
            box.value = str(self.files.path)
            self.files.focus()
            return
        self.dismiss([])

"""What a typed path names: a file, the uploadable files of a folder (`/**`: and below), or a glob's matches.

Shared by the upload screen's path box, its completion and its file browser,
so that all three agree on what "uploadable" means (the extensions pre-flight
knows). Nothing here reads a file's content: pre-flight does that, per file.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from mediatui.sanitize import inert
from mediatui.upload.preflight import DOC_EXTENSIONS, IMAGE_EXTENSIONS

UPLOADABLE = IMAGE_EXTENSIONS | DOC_EXTENSIONS
MAX_FILES = 1000  # files added from one path at most: the walk ends there, and says so
_GLOB_CHARS = set("*?[")


def is_uploadable(path: Path) -> bool:
    """A name pre-flight would take by its extension (its content is checked later)."""
    return path.suffix.lower() in UPLOADABLE


class PathListing:
    """What one typed path names, listed on a worker thread: `seen` grows as it goes, `stop()` ends it.

    Why a walk of its own rather than a sorted rglob: `~/**` of a home folder can hold millions of entries,
    and listing them all before the cap applied froze the upload screen for minutes. The walk goes depth
    first with each folder's names sorted, which is the order of the whole tree sorted, so it can end at
    the cap with the first MAX_FILES files that the sorted tree would give. Folders that are symlinks are
    not entered (a link to an ancestor would loop); files that are symlinks are listed.
    """

    def __init__(self, text: str, limit: int = MAX_FILES) -> None:
        self.text = text.strip()
        self.limit = limit
        self.capped = False  # the walk stopped at `limit`: there are more files than it gives
        self.seen = 0  # entries looked at so far (the screen shows it while it walks)
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True

    def run(self) -> tuple[list[Path], str | None]:
        """The files the path names, and a note when it names none or too many, or was stopped.

        `~` expands. A folder gives its uploadable files (not those of its subfolders unless the path ends
        in `/**`). A glob gives every match that is a file (a match of any name: pre-flight then says why a
        `.txt` is refused). A plain path is returned as it is, so that pre-flight names what is wrong.
        """
        text = self.text
        if not text:
            return [], "type a path first"
        raw = os.path.expanduser(text)
        recursive = raw.endswith("/**")
        if recursive or _is_folder(raw):
            folder = Path(raw[:-3] if recursive else raw)
            if not _is_folder(folder):
                return [], f"{inert(str(folder), limit=120)} is not a folder"
            found = self._walk(folder, recursive)
            return self._noted(found, f"no images or PDF documents in {inert(str(folder), limit=120)}")
        if _GLOB_CHARS & set(raw):
            return self._noted(self._glob(raw), f"nothing matches {self.shown}")
        return [Path(raw)], None

    def _glob(self, pattern: str) -> list[Path]:
        """The files a glob matches, found by the same walk (not glob.iglob: its `**` enters linked folders, so
        a link to an ancestor loops for ever, and it cannot be stopped while nothing matches). Names starting
        with a dot match only a part that starts with one, as in the shell."""
        parts = Path(pattern).parts
        fixed = next((n for n, part in enumerate(parts) if _GLOB_CHARS & set(part)), len(parts))
        found: dict[Path, None] = {}  # in the order found, each once (`a/**/**/x` reaches x more than once)
        try:
            self._match(Path(*parts[:fixed]) if fixed else Path("."), parts[fixed:], found)
        except RecursionError:  # a tree deeper than the interpreter's stack: what was found so far
            pass
        return sorted(found)

    def _match(self, folder: Path, rest: tuple[str, ...], found: dict[Path, None]) -> None:
        if self.stopped or len(found) > self.limit:
            return
        head, tail = rest[0], rest[1:]
        if head == "**":  # this folder and every one below it (linked folders not entered)
            if tail:
                self._match(folder, tail, found)
            for entry in self._entries(folder):
                if not entry.name.startswith(".") and _is_dir(entry, follow=False):
                    self._match(Path(entry.path), rest, found)
            return
        for entry in self._entries(folder):
            if self.stopped or len(found) > self.limit:
                return
            if not fnmatch.fnmatchcase(entry.name, head) or (entry.name.startswith(".") and not head.startswith(".")):
                continue
            if tail:
                if _is_dir(entry, follow=True):  # a named level may be a link: the pattern's depth bounds it
                    self._match(Path(entry.path), tail, found)
            elif _is_file(entry):
                found[Path(entry.path)] = None

    def _walk(self, folder: Path, recursive: bool) -> list[Path]:
        """Uploadable files under `folder`, in sorted path order, up to one past the limit (to know "more")."""
        found: list[Path] = []
        stack = [iter(self._entries(folder))]  # the folders being walked, each at its next entry
        while stack and not self.stopped and len(found) <= self.limit:
            entry = next(stack[-1], None)
            if entry is None:
                stack.pop()
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if recursive:  # entered at its place among its folder's names, as a sorted tree has it
                        stack.append(iter(self._entries(entry.path)))
                elif is_uploadable(Path(entry.name)) and entry.is_file():
                    found.append(Path(entry.path))
            except OSError:  # gone meanwhile
                continue
        return found

    def _entries(self, folder: str | Path) -> list[os.DirEntry[str]]:
        """A folder's entries sorted by name; none when it cannot be read (the rest is still listed)."""
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError:
            return []
        self.seen += len(listed)
        return listed

    def _noted(self, found: list[Path], empty: str) -> tuple[list[Path], str | None]:
        if self.stopped:
            return [], f"stopped listing {self.shown}: nothing added"
        if not found:
            return [], empty
        if len(found) > self.limit:
            self.capped = True
            return found[: self.limit], f"first {self.limit:,} files of {self.shown}; narrow the path"
        return found, None

    @property
    def shown(self) -> str:
        """The typed path as notes show it: a completed name may hold escape sequences (made visible)."""
        return inert(self.text, limit=120)


def browse_start(typed: str) -> Path:
    """Where the file browser opens: the folder the path box points at (or the folder of the file it names),
    else the working folder, where a moderator over SSH usually is."""
    text = typed.strip()
    if text:
        path = Path(os.path.expanduser(text))
        for folder in (path, path.parent):
            if _is_folder(folder):
                return folder
    return Path.cwd()


def _is_folder(path: str | Path) -> bool:
    """A folder; False for what cannot even be looked at (a name too long, a folder that cannot be entered):
    pre-flight then says why, for a plain path."""
    try:
        return Path(path).is_dir()
    except OSError:
        return False


def _is_dir(entry: os.DirEntry[str], *, follow: bool) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def complete(text: str, limit: int = 200) -> str | None:
    """`text` completed to the first entry of its folder that starts with what was typed (folders end in /)."""
    if not text or _GLOB_CHARS & set(text):
        return None
    raw = os.path.expanduser(text)
    folder, _, start = raw.rpartition("/")
    where = Path(folder or ("/" if raw.startswith("/") else "."))
    try:
        names = sorted(os.listdir(where))[: limit * 10]
    except OSError:
        return None
    for name in names:
        if name.startswith(start) and name != start and (start.startswith(".") or not name.startswith(".")):
            full = where / name
            if full.is_dir():
                name += "/"
            elif not is_uploadable(full):
                continue
            return text[: len(text) - len(start)] + name
    return None

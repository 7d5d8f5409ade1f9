"""What a typed path names: a file, the uploadable files of a folder (`/**`: and below), or a glob's matches.

Shared by the upload screen's path box, its completion and its file browser,
so that all three agree on what "uploadable" means (the extensions pre-flight
knows). Nothing here reads a file's content: pre-flight does that, per file.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

from mediatui.upload.preflight import DOC_EXTENSIONS, IMAGE_EXTENSIONS

UPLOADABLE = IMAGE_EXTENSIONS | DOC_EXTENSIONS
MAX_FILES = 1000  # files added from one path at most, and it says so (everything is listed and sorted first)
_GLOB_CHARS = set("*?[")


def is_uploadable(path: Path) -> bool:
    """A name pre-flight would take by its extension (its content is checked later)."""
    return path.suffix.lower() in UPLOADABLE


def expand(text: str) -> tuple[list[Path], str | None]:
    """The files `text` names, and a note when it names none or too many.

    `~` expands. A folder gives its uploadable files (sorted; not those of its
    subfolders unless the path ends in `/**`). A glob gives every match that is
    a file (a match of any name: pre-flight then says why a `.txt` is refused).
    A plain path is returned as it is, so that pre-flight names what is wrong.
    """
    text = text.strip()
    if not text:
        return [], "type a path first"
    raw = os.path.expanduser(text)
    recursive = raw.endswith("/**")
    if recursive or Path(raw).is_dir():
        folder = Path(raw[:-3] if recursive else raw)
        if not folder.is_dir():
            return [], f"{folder} is not a folder"
        found = sorted(
            p for p in (folder.rglob("*") if recursive else folder.iterdir()) if is_uploadable(p) and p.is_file()
        )
        return _capped(found, f"no images or PDF documents in {folder}")
    if _GLOB_CHARS & set(raw):
        found = sorted(Path(p) for p in glob.iglob(raw, recursive=True) if os.path.isfile(p))
        return _capped(found, f"nothing matches {text}")
    return [Path(raw)], None


def _capped(found: list[Path], empty: str) -> tuple[list[Path], str | None]:
    if not found:
        return [], empty
    if len(found) > MAX_FILES:
        return found[:MAX_FILES], f"only the first {MAX_FILES} of {len(found)} files were added"
    return found, None


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

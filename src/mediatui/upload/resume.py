"""Which journal entries can go on: the file must be exactly as it was when the upload began."""

from __future__ import annotations

from pathlib import Path

from mediatui.api import MediaType
from mediatui.upload import journal as J
from mediatui.upload.preflight import UploadItem


def entry_item(journal: J.Journal, entry: J.Entry) -> UploadItem | str:
    """The item that continues `entry`, or why it cannot (then the entry is marked failed, not dropped)."""
    path = Path(entry.path)
    try:
        stat = path.stat()
    except OSError:
        why = "the file is gone"
    else:
        item = UploadItem(
            path,
            entry.size,
            entry.mtime_ns,
            MediaType(entry.type),
            key=entry.key,
            ctime_ns=entry.ctime_ns,
            ino=entry.ino,
            dev=entry.dev,
        )
        if not item.changed(stat):
            return item
        why = "the file changed since the upload began (its size, times or inode differ): add it again"
    if entry.state != J.FAILED or entry.error != why:
        entry.state, entry.error = J.FAILED, why
        journal.save(entry)
    return why


def resumable(journal: J.Journal) -> tuple[list[UploadItem], list[tuple[J.Entry, str]]]:
    """Items to resume, and the entries that cannot be (reported and marked failed)."""
    items, problems = [], []
    for entry in journal.entries(J.RESUMABLE):
        found = entry_item(journal, entry)
        if isinstance(found, str):
            problems.append((entry, found))
        else:
            items.append(found)
    return items, problems


def unknown_completions(journal: J.Journal) -> list[J.Entry]:
    """Uploads whose completion may have created a media: the user decides."""
    return journal.entries((J.COMPLETION_UNKNOWN,))

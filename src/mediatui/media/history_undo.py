"""Undo an edit from the history: the fields it changed, set back with PATCH, by the rule of "Edits are never lost".

An update record holds the media before and after. Undoing it sends, for
each field the update changed, the value from before; but the media is read
again first, and a field someone changed since (it is neither what the update
left nor what it found) is a conflict the moderator settles, field by field,
as in the edit form: undo never silently overwrites a later change. A field
already back as it was is left out. No Textual: the history screen and
`mediatui history undo` share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mediatui.api import Media
from mediatui.media.conflicts import Choice, Conflict, server_values
from mediatui.media.edits import Change
from mediatui.media.history import Record


class NotUndoable(ValueError):
    """This record cannot be undone; the message says why, in words for the moderator."""


@dataclass(frozen=True)
class UndoPlan:
    record: Record
    body: dict[str, Any]  # the PATCH to send: empty when nothing is left to set back
    changes: list[Change]  # each field sent: before = the server's value now, after = the value set back
    conflicts: list[Conflict] = field(default_factory=list)  # changed again since: settle before sending
    already: list[str] = field(default_factory=list)  # fields back as they were already

    @property
    def ready(self) -> bool:
        return not self.conflicts and bool(self.body)


def changed_fields(record: Record) -> dict[str, tuple[Any, Any]]:
    """The editable fields the record's update changed: name → (before, after), as the server sent them."""
    if record.before is None or record.after is None:
        return {}
    before = server_values(Media.from_json(record.before))
    after = server_values(Media.from_json(record.after))
    return {name: (before[name], after[name]) for name in before if before[name] != after[name]}


def check_undoable(record: Record, undone_by: Record | None = None) -> None:
    """NotUndoable unless `record` is a done update (or an undo, which is one) not undone yet."""
    if record.action not in ("update", "undo"):
        raise NotUndoable(f"record {record.id} is {'an' if record.action[0] in 'aeiou' else 'a'} {record.action}: only"
                          " an edit can be undone here (delete the media instead)")  # fmt: skip
    if record.outcome == "unknown":
        raise NotUndoable(f"record {record.id} may or may not have changed the media (unknown): look at it first")
    if record.outcome != "done":
        raise NotUndoable(f"record {record.id} did not change the media ({record.outcome}): nothing to undo")
    if undone_by is not None:
        raise NotUndoable(f"record {record.id} was undone already (record {undone_by.id})")
    if not changed_fields(record):
        raise NotUndoable(f"record {record.id} changed no editable field: nothing to undo")


def plan_undo(record: Record, now: Media, chosen: Mapping[str, Choice] | None = None) -> UndoPlan:
    """What to PATCH to set back what `record` changed, given `now` (the media read just before sending).

    `chosen`: for a conflicting field, "mine" sets it back anyway (the value from before the edit), "theirs"
    keeps the server's value now."""
    chosen = chosen or {}
    theirs = server_values(now)
    body: dict[str, Any] = {}
    changes, conflicts, already = [], [], []
    for name, (before, after) in changed_fields(record).items():
        if theirs[name] == before:
            already.append(name)
            continue
        if theirs[name] != after and chosen.get(name) != "mine":
            if chosen.get(name) != "theirs":
                conflicts.append(Conflict(name, after, theirs[name], before))
            continue
        body[name] = before
        changes.append(Change(name, theirs[name], before))
    return UndoPlan(record, body, changes, conflicts, already)

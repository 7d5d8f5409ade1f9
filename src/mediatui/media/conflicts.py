"""A write that never silently undoes another moderator: what to send, given the media as the server has it now.

The API has no ETag or If-Match, so the form (and `mediatui update`) reads
the media again just before sending, and this decides with three versions of
each field: the value when the form opened (its base), the server's value now
(theirs), and the form's (mine).
- A field only the server changed is never sent back: PATCH leaves it out,
  PUT sends the server's new value.
- A field both changed, to different values, is a conflict: nothing is sent
  until the moderator chose, for those fields, theirs or mine.
- What the confirmation shows as "before" is the server's value now.
No Textual: the edit form and `mediatui update` share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mediatui.api import Media
from mediatui.media.edits import EDITABLE, SPECS, Change, Draft, FormErrors, Kind, check, shown, wire_value

Choice = Literal["theirs", "mine"]


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field that this form and the server both changed since the form opened, to different values."""

    name: str
    base: Any  # when the form opened
    theirs: Any  # on the server now
    mine: Any  # what the form would send


@dataclass(frozen=True)
class WritePlan:
    body: dict[str, Any]  # what to send; empty when nothing differs from the server's values now
    changes: list[Change]  # each field sent that differs, "before" being the server's value now
    conflicts: list[Conflict] = field(default_factory=list)  # not chosen yet: nothing may be sent
    kept: list[str] = field(default_factory=list)  # fields changed on the server meanwhile, left as they are now

    @property
    def ready(self) -> bool:
        return not self.conflicts and bool(self.changes)


def server_values(media: Media) -> dict[str, Any]:
    """Every editable field as the server sent it (the wire values)."""
    return {spec.name: wire_value(media, spec.name) for spec in EDITABLE}


def plan_write(draft: Draft, now: Media, *, put: bool, chosen: Mapping[str, Choice] | None = None) -> WritePlan:
    """What to send with PATCH (or PUT) given `now`, the media as the server has it just before sending.

    `chosen` settles conflicts field by field. FormErrors as the form's own checks raise them.
    """
    chosen = chosen or {}
    base, theirs = draft.original, server_values(now)
    mine = {change.name: change.after for change in draft.changes()}  # what this form changed, checked
    send: dict[str, Any] = {}
    conflicts = []
    for name, value in mine.items():
        if theirs[name] == value:
            continue  # the server has it already (the other moderator typed the same)
        if theirs[name] != base[name] and chosen.get(name) != "mine":
            if chosen.get(name) != "theirs":
                conflicts.append(Conflict(name, base[name], theirs[name], value))
            continue
        send[name] = value
    kept = [name for name in theirs if theirs[name] != base[name] and name not in mine]
    changes = [Change(name, theirs[name], value) for name, value in send.items()]
    if not put:
        return WritePlan(send, changes, conflicts, kept)
    # theirs as it came; a field the server did not send is not sent either (it keeps its own value)
    body = {
        spec.name: send.get(spec.name, theirs[spec.name])
        for spec in EDITABLE
        if spec.name in send or spec.name not in now.absent
    }
    if not body.get("image"):  # PUT needs one (the API requires it); the server's own is sent as it has it
        raise FormErrors({"image": "PUT needs image: an absolute http(s) URL (the API requires it)"})
    return WritePlan(body, changes, conflicts, kept)


def unchanged_since(seen: Media, now: Media) -> list[str]:
    """The fields that differ between two reads of one media (empty: nothing changed in between)."""
    before, after = server_values(seen), server_values(now)
    return [name for name in before if before[name] != after[name]]


def expectation_failed(now: Media, name: str, text: str) -> str | None:
    """`--if-unchanged name=text`: why the server's value is not `text` (read as `--set` reads it), or None."""
    probe = Draft(now)
    probe.set_from_text(name, text)  # a field that cannot be set (read-only, unknown) is refused here
    spec = SPECS[name]
    if spec.kind is Kind.CHOICE:  # any value the server may hold, not only the API's choices
        expected: Any = text.strip() or None
    else:
        try:
            expected = check(spec, probe.entries[name])
        except ValueError as exc:
            raise FormErrors({name: str(exc)}) from None
    have = wire_value(now, name)
    if have == expected:
        return None
    return f"{name} is {shown(have)} on the server, not {shown(expected)}"

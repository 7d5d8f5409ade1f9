"""Restore a deleted media from its history record: the file from the trash, or the JSON for url, vimeo, embed.

A file is uploaded again through the upload session, so it is resumable and
follows the upload's rules: a restore killed halfway goes on from the
journal when asked again, and one that completed is never uploaded twice (the
journal knows its media). url, vimeo and embed media are created again from
their JSON (a create is never resent blindly: media/saving.py). Then the text
fields are set back with PATCH (title, description, keywords, entities, the
oEmbed and embed fields; not the file's own `image` and `url`, which are
new), and the history records the restore, linked to the delete. The new
media has a new id. No Textual: the history screen and `mediatui restore` share it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mediatui.api import Media
from mediatui.community.trash import NO_FILE
from mediatui.media.edits import EDITABLE
from mediatui.media.history import Record

if TYPE_CHECKING:
    from mediatui.community import Community
    from mediatui.community.trash import Kept
    from mediatui.upload.events import Event

#: What a restore sets back with PATCH: every editable field but the type and the file's own addresses.
SET_BACK = tuple(spec.name for spec in EDITABLE if spec.name not in ("type", "url", "image"))


class NotRestorable(ValueError):
    """Why this record cannot be restored, in words for the moderator (the record's JSON is still shown)."""


def check_restorable(community: Community, record: Record) -> str:
    """What the restore will do, in words for its question; NotRestorable says why it cannot."""
    if record.action != "delete" or record.outcome != "done" or not record.before:
        raise NotRestorable(f"record {record.id} is not a delete that happened: nothing to restore")
    if community.history().undone_by(record.id) is not None:
        raise NotRestorable(f"record {record.id} was restored already")
    kind = str(record.before.get("type"))
    if kind in NO_FILE:
        return f"#{record.media_id} ({kind}) is made again from its JSON, as a new media"
    kept = _kept(community, record)
    return f"#{record.media_id}'s file ({kept.name}) is uploaded again from the trash, as a new media"


def _kept(community: Community, record: Record) -> Kept:
    """The file the delete lost: kept of that media, from the address the delete saw, and whole."""
    from mediatui.community.trash import file_of

    trash = community.trash()
    source = file_of(Media.from_json(record.before or {}))
    kept = trash.find(record.media_id or 0, source) if trash is not None and record.media_id else None
    if kept is None or not kept.whole:
        why = (
            "the trash is off"
            if trash is None
            else "its file is not in the trash (expired, too large, never kept)"
            if kept is None
            else "the file in the trash is not the one kept (changed or cut)"
        )
        raise NotRestorable(
            f"#{record.media_id}'s file cannot be restored: {why}. Its JSON is in the history"
            f" (mediatui history --json --id {record.media_id})"
        )
    return kept


def restore(
    community: Community, record: Record, on_event: Callable[[Event], None] | None = None
) -> tuple[Media, str | None]:
    """Restore the media `record` deleted (from a worker thread): the new media as the server has it after the
    text fields were set back, and a warning when the history could not record it. ApiError, NotRestorable."""
    from mediatui.media.saving import create, save

    check_restorable(community, record)
    before = record.before or {}
    client = community.client()
    kind = str(before.get("type"))
    if kind in NO_FILE:
        made = create(client, _create_body(kind, before))
    else:
        made = _upload_again(community, record, kind, on_event)
    assert made.id is not None
    now = made.to_json()
    body = {name: before[name] for name in SET_BACK if name in before and before[name] != now.get(name)}
    answer = save(client, made.id, body) if body else made
    warning = community.record("restore", answer.id, before=before, after=answer.to_json(), undoes=record.id)
    return answer, warning


def _create_body(kind: str, before: dict[str, Any]) -> dict[str, Any]:
    if kind == "embed":
        nested = before.get("embed")
        embed: dict[str, Any] = nested if isinstance(nested, dict) else {}
        return {
            "type": kind,
            "embed_type": before.get("embed_type") or embed.get("embed_type"),
            "embed_id": before.get("embed_id") or embed.get("embed_id"),
        }
    return {"type": kind, "url": before.get("url")}


def _upload_again(community: Community, record: Record, kind: str, on_event: Callable[[Event], None] | None) -> Media:
    """The kept file through the upload session: resumed when a restore of it was cut off, never sent twice."""
    from mediatui.api import ApiError
    from mediatui.upload import Completed, UploadSession
    from mediatui.upload import session as S

    kept = _kept(community, record)
    client = community.client()
    with UploadSession.open(client) as session:
        plan = session.plan_files([kept.path], kind)
        done = plan.of_kind(S.DONE_BEFORE)
        if done:  # uploaded by an earlier restore that was cut off before its PATCH: that media, not another
            entries = session.journal.for_file(str(kept.path), kept.size, _mtime(kept.path))
            entry = next((e for e in entries if e.media_id is not None), None)
            if entry is None or entry.media_id is None:
                raise ApiError(None, "the journal says it was uploaded, but not as which media")
            return client.get(entry.media_id)
        unknown = plan.of_kind(S.UNKNOWN)
        if unknown:  # an earlier restore was cut off while its completion was on its way
            raise ApiError(
                None,
                "an earlier restore of this file may have made a media already (look for one named"
                f" {kept.path.name} in the list); settle it with mediatui upload --recomplete or --forget"
                f" ({unknown[0].reason}), then restore again",
            )
        if not plan.items:
            reason = plan.skipped[0].reason if plan.skipped else "nothing to upload"
            raise ApiError(None, f"the file cannot be uploaded again: {reason}")
        results = session.run(plan.items, on_event)
    completed = [event.media for event in results if isinstance(event, Completed)]
    if not completed:
        reason = getattr(results[-1], "reason", "it did not complete") if results else "it did not complete"
        raise ApiError(None, f"the upload did not complete: {reason} (restoring again goes on from the journal)")
    return completed[0]


def _mtime(path: Any) -> int:
    import os

    return os.stat(path).st_mtime_ns

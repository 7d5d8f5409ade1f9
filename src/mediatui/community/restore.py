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

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mediatui.api import ApiError, Media
from mediatui.community.trash import NO_FILE, file_of
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


def check_restorable(community: Community, record: Record, *, again: bool = False) -> str:
    """What the restore will do, in words for its question; NotRestorable says why it cannot. For url, vimeo
    and embed media, a restore begun before and not known to have ended (cut off, or asked twice at once)
    stops it, unless `again` (the moderator looked, and there is no media of it); a file's restore goes on
    from its upload's journal, which never sends it twice."""
    if record.action != "delete" or record.outcome != "done" or not record.before:
        raise NotRestorable(f"record {record.id} is not a delete that happened: nothing to restore")
    history = community.history()
    if history.undone_by(record.id) is not None:
        raise NotRestorable(f"record {record.id} was restored already")
    kind = str(record.before.get("type"))
    begun = [r for r in history.records(action="restore") if r.undoes == record.id and r.outcome != "done"]
    if begun and kind in NO_FILE and not again:  # a file's restore goes on from its upload's journal instead
        made = f" (#{begun[0].media_id})" if begun[0].media_id else ""
        raise NotRestorable(
            f"a restore of record {record.id} began and did not end{made}: it may have made a media already;"
            f" look in the list, then, if there is none, restore it again with --again (the CLI's)"
        )
    if kind in NO_FILE:
        return f"#{record.media_id} ({kind}) is made again from its JSON, as a new media"
    if file_of(Media.from_json(record.before)) is None:
        raise NotRestorable(f"#{record.media_id} ({kind}) had no file to keep: its JSON is in the history")
    copied = _copied(record)
    if copied is not None:  # a restore cut off after it took its copy: it goes on with that
        return f"#{record.media_id}'s file ({copied.name}) is uploaded again, as a new media"
    kept = _kept(community, record)
    return f"#{record.media_id}'s file ({kept.name}) is uploaded again from the trash, as a new media"


def _kept(community: Community, record: Record) -> Kept:
    """The file the delete lost: kept of that media, from the address the delete saw, and whole."""
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
    community: Community, record: Record, on_event: Callable[[Event], None] | None = None, *, again: bool = False
) -> tuple[Media, str | None]:
    """Restore the media `record` deleted (from a worker thread): the new media as the server has it after the
    text fields were set back, and a warning when the history could not record it. ApiError, NotRestorable.

    The history says a restore began before anything is made (a restore cut off, or asked twice at once, must
    not make a second media unseen); a failure after the media was made says which it is."""
    from mediatui.localdb import LocalDataError
    from mediatui.media.saving import CreateUnknown, create, save

    check_restorable(community, record, again=again)
    before = record.before or {}
    try:
        community.history().add("restore", None, before=before, outcome="unknown", message="begun", undoes=record.id)
    except LocalDataError as exc:
        raise NotRestorable(f"the history cannot record the restore, so it is not begun: {exc}") from None
    client = community.client()
    kind = str(before.get("type"))
    if kind in NO_FILE:
        try:
            made = create(client, _create_body(kind, before))
        except CreateUnknown as exc:
            if exc.found is None:
                raise
            made = exc.found  # the create's answer was lost, and the list shows it: that media, not another
    else:
        made = _upload_again(community, record, kind, on_event)
    assert made.id is not None
    now = made.to_json()
    body = {name: before[name] for name in SET_BACK if name in before and before[name] != now.get(name)}
    try:
        answer = save(client, made.id, body) if body else made
    except ApiError as exc:
        fields = {"before": before, "after": now, "undoes": record.id}
        message = f"made as #{made.id}, but its fields were not set back: {exc.message}"
        community.record("restore", made.id, outcome="done", message=message, **fields)
        raise ApiError(
            exc.status, f"restored as #{made.id}, but its text fields were not set back: {exc.message}"
        ) from None
    warning = community.record("restore", answer.id, before=before, after=answer.to_json(), undoes=record.id)
    _forget_copy(record)
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

    path = _copied(record) or _private_copy(_kept(community, record), record)  # a prune cannot take it midway
    size = path.stat().st_size
    client = community.client()
    with UploadSession.open(client) as session:
        plan = session.plan_files([path], kind)
        done = plan.of_kind(S.DONE_BEFORE)
        if done:  # uploaded by an earlier restore that was cut off before its PATCH: that media, not another
            entries = session.journal.for_file(str(path), size, _mtime(path))
            entry = next((e for e in entries if e.media_id is not None), None)
            if entry is None or entry.media_id is None:
                raise ApiError(None, "the journal says it was uploaded, but not as which media")
            return client.get(entry.media_id)
        unknown = plan.of_kind(S.UNKNOWN)
        if unknown:  # an earlier restore was cut off while its completion was on its way
            raise ApiError(
                None,
                "an earlier restore of this file may have made a media already (look for one named"
                f" {path.name} in the list); settle it with mediatui upload --recomplete or --forget"
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


def _copy_path(record: Record) -> Path:
    from mediatui.upload.journal import state_dir

    return (state_dir() / "restoring" / str(record.id)).resolve()


def _private_copy(kept: Kept, record: Record) -> Path:
    """The kept file copied once, for this restore, into the state folder (0600 in 0700): the upload's journal
    knows it by this path, so a restore cut off goes on with the same file, whatever the trash does meanwhile."""
    import shutil

    from mediatui.localdb import LocalDataError, describe_failure, make_private

    folder = _copy_path(record)
    path = folder / kept.path.name
    try:
        if not path.exists():
            for step in (folder.parent, folder):
                step.mkdir(parents=True, exist_ok=True, mode=0o700)
                make_private(step, 0o700)
            part = folder / (kept.path.name + ".part")
            shutil.copyfile(kept.path, part)
            part.chmod(0o600)
            part.replace(path)
    except OSError as exc:
        raise LocalDataError(describe_failure(path, exc, "MEDIATUI_STATE_DIR")) from None
    return path


def _copied(record: Record) -> Path | None:
    """The copy an earlier restore of this record took (whole: it is renamed into place only once written)."""
    folder = _copy_path(record)
    files = [p for p in folder.iterdir() if not p.name.endswith(".part")] if folder.is_dir() else []
    return files[0] if files else None


def _forget_copy(record: Record) -> None:
    import shutil

    with contextlib.suppress(OSError):
        shutil.rmtree(_copy_path(record))


def _mtime(path: Any) -> int:
    import os

    return os.stat(path).st_mtime_ns

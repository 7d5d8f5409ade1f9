"""`mediatui history [--json] [--since 2d] [--id N] [--action A]` and `mediatui history undo RECORD [--yes]`.

The history (mediatui.media.history) of the community the flags name: what
this machine changed there, newest first. `undo` sets back, with PATCH, the
fields an edit changed: it reads the media first, and a field changed again
since is a conflict it will not overwrite unless told (`--choose FIELD=mine`
sets it back anyway, `=theirs` keeps the server's). Without `--yes` it shows
the change and asks on a terminal; with no terminal to ask, it refuses.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mediatui._compat import UTC
from mediatui.api import ApiError, InvalidInput
from mediatui.cli.common import community_of, connection_flags, media_id, print_json, record, say, tell_retry
from mediatui.community import Change
from mediatui.media.history import ACTIONS, failure_fields, parse_since
from mediatui.sanitize import inert

if TYPE_CHECKING:
    from mediatui.community import Community
    from mediatui.media.conflicts import Choice
    from mediatui.media.history import Record


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("history", help="what this machine changed on the community, newest first; undo an edit")
    connection_flags(p)
    p.add_argument("--json", action="store_true", help="one JSON object per record (with the media before and after)")
    p.add_argument("--since", metavar="WHEN", help="records since a time ago (2d, 12h, 30m) or a date (2026-12-01)")
    p.add_argument("--id", dest="media", type=media_id, metavar="N", help="records of this media only")
    p.add_argument("--action", choices=ACTIONS, help="records of this action only")
    p.add_argument("--limit", type=_count, default=200, help="at most this many records (default 200, at most 100000)")
    p.set_defaults(handler=run_history)
    verbs = p.add_subparsers(dest="history_verb", metavar="undo")
    undo = verbs.add_parser("undo", help="set back, with PATCH, the fields an edit changed")
    connection_flags(undo)
    undo.add_argument("record", type=media_id, help="the record's number (the first column of `mediatui history`)")
    undo.add_argument("--yes", action="store_true", help="do not ask (needed without a terminal)")
    undo.add_argument(
        "--choose",
        action="append",
        default=[],
        metavar="FIELD=mine|theirs",
        type=_choice,
        help="for a field changed again since the edit: mine sets it back anyway, theirs keeps the server's",
    )
    undo.set_defaults(handler=run_undo)
    restore = sub.add_parser("restore", help="make a deleted media again: its file from the trash, or its JSON")
    connection_flags(restore)
    restore.add_argument("id", type=media_id, help="the deleted media's id (its newest delete in the history)")
    restore.add_argument("--yes", action="store_true", help="do not ask (needed without a terminal)")
    restore.add_argument(
        "--again", action="store_true", help="after a restore that began and did not end, when you saw no media of it"
    )
    restore.set_defaults(handler=run_restore)


def run_history(args: argparse.Namespace) -> int:
    try:
        since = parse_since(args.since, datetime.now(UTC)) if args.since is not None else None
    except ValueError as exc:
        raise InvalidInput(f"--since {exc}") from None
    with community_of(args) as community:
        records = community.history().records(since=since, media_id=args.media, action=args.action, limit=args.limit)
    for one in records:
        if args.json:
            print_json(_as_json(one))
        else:
            say(_line(one))
    if not args.json:
        say(f"{len(records)} record{'s' if len(records) != 1 else ''}", err=True)
    return 0


def run_undo(args: argparse.Namespace) -> int:
    from mediatui.media.conflicts import unchanged_since
    from mediatui.media.history_undo import NotUndoable, check_undoable, plan_undo
    from mediatui.media.saving import read_again, save

    with community_of(args) as community:
        refused = community.refusal(Change.UPDATE)
        if refused:
            raise InvalidInput(refused.replace("update changes", "undo changes"))
        history = community.history()
        target = history.get(args.record)
        if target is None:
            raise InvalidInput(f"there is no record {args.record} in this community's history")
        if target.action == "delete":  # undoing a delete is restoring it
            return _restore(args, community, target)
        try:
            check_undoable(target, history.undone_by(target.id))
        except NotUndoable as exc:
            raise InvalidInput(str(exc)) from None
        assert target.media_id is not None
        from mediatui.media.history_undo import changed_fields

        unknown = sorted({name for name, _ in args.choose} - set(changed_fields(target)))
        if unknown:
            raise InvalidInput(f"--choose names a field record {target.id} did not change: {', '.join(unknown)}")
        client = community.client()
        now = read_again(client, target.media_id, on_retry=tell_retry)
        plan = plan_undo(target, now, dict(args.choose))
        if plan.conflicts:
            say(f"mediatui: not sent: changed again since record {target.id}:", err=True)
            for conflict in plan.conflicts:
                say(
                    f"  {conflict.name}: the edit left {_value(conflict.base)}, the server has"
                    f" {_value(conflict.theirs)} now, before the edit {_value(conflict.mine)}",
                    err=True,
                )
            say("mediatui: choose with --choose FIELD=mine (set it back) or FIELD=theirs (keep it)", err=True)
            return 1
        if not plan.body:
            say(f"nothing to undo: #{target.media_id} has the values from before record {target.id} already")
            return 0
        say(f"undo record {target.id} on #{target.media_id} (PATCH):")
        for change in plan.changes:
            say(f"  {change.line()}")
        if not args.yes and not _confirmed():
            say("mediatui: nothing sent", err=True)
            return 1 if sys.stdin.isatty() else 2
        again = read_again(client, target.media_id, on_retry=tell_retry)  # the question may have been open long
        if unchanged_since(now, again):
            moved = f"#{target.media_id} changed on the server while you were asked"
            say(f"mediatui: not sent: {moved}: run it again to see the change", err=True)
            return 1
        try:
            answer = save(client, target.media_id, plan.body, on_retry=tell_retry)
        except ApiError as exc:
            say(f"mediatui: not undone: {exc.message}", err=True)
            record(community, "undo", target.media_id, method="PATCH", before=again.to_json(), undoes=target.id,
                   **failure_fields(exc))  # fmt: skip
            return 1
        say(f"undone: #{target.media_id} set back as before record {target.id}")
        record(
            community, "undo", target.media_id, method="PATCH", before=again.to_json(), after=answer.to_json(),
            undoes=target.id,
        )  # fmt: skip
    return 0


def run_restore(args: argparse.Namespace) -> int:
    with community_of(args) as community:
        deletes = [
            one for one in community.history().records(media_id=args.id, action="delete") if one.outcome == "done"
        ]
        if not deletes:
            raise InvalidInput(f"no delete of #{args.id} in this community's history: nothing to restore")
        return _restore(args, community, deletes[0])


def _restore(args: argparse.Namespace, community: Community, target: Record) -> int:
    """The delete `target` undone: asked first (or --yes), then the new media printed, then recorded."""
    from mediatui.community.restore import NotRestorable, check_restorable, restore

    refused = community.refusal(Change.CREATE)
    if refused:
        raise InvalidInput(refused.replace("create changes", "restore changes"))
    again = bool(getattr(args, "again", False))
    try:
        said = check_restorable(community, target, again=again)
    except NotRestorable as exc:
        say(f"mediatui: {exc}", err=True)
        return 1
    say(f"restore record {target.id}: {said}", err=True)  # stdout is the new media's JSON alone
    if not args.yes and not _confirmed("Restore?"):
        say("mediatui: nothing sent", err=True)
        return 1 if sys.stdin.isatty() else 2
    try:
        media, warning = restore(community, target, again=again)
    except NotRestorable as exc:
        say(f"mediatui: {exc}", err=True)
        return 1
    except ApiError as exc:
        say(f"mediatui: not restored: {exc.message}", err=True)
        return 1
    print_json(media.to_json())
    say(f"restored #{target.media_id} as #{media.id}", err=True)
    if warning:
        say(f"mediatui: warning: {warning}", err=True)
    return 0


def _confirmed(question: str = "Undo?") -> bool:
    """Asked on the terminal; with none (a script, a pipe), refused: --yes says it was meant."""
    if not sys.stdin.isatty():
        say("mediatui: no terminal to ask: add --yes to go on without a question", err=True)
        return False
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def _count(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 100_000:
        raise argparse.ArgumentTypeError("a whole number from 1 to 100000")
    return int(text)


def _line(one: Record) -> str:
    at = one.at.astimezone(UTC).strftime("%Y-%m-%d %H:%MZ")  # UTC, said: a script and a person read the same
    media = f"#{one.media_id}" if one.media_id is not None else "—"
    how = f" {one.method}" if one.method else ""
    linked = f" (undoes {one.undoes})" if one.undoes else ""
    title = f" “{inert(one.title, limit=60)}”" if one.title else ""
    return f"{one.id:>5}  {at}  {one.action}{how}{linked}  {media}  {inert(one.said, limit=120)}{title}"


def _as_json(one: Record) -> dict[str, Any]:
    return {
        "record": one.id,
        "at": one.at.isoformat(),
        "host": one.host,
        "profile": one.profile,
        "action": one.action,
        "method": one.method,
        "media_id": one.media_id,
        "title": one.title,
        "outcome": one.outcome,
        "status": one.status,
        "message": one.message,
        "undoes": one.undoes,
        "before": one.before,
        "after": one.after,
    }


def _value(value: Any) -> str:
    from mediatui.media.edits import shown

    return shown(value)


def _choice(text: str) -> tuple[str, Choice]:
    name, sep, which = text.partition("=")
    if not sep or which not in ("mine", "theirs"):
        raise argparse.ArgumentTypeError("use FIELD=mine or FIELD=theirs")
    return name.strip(), "mine" if which == "mine" else "theirs"

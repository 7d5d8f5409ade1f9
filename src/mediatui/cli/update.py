"""`mediatui update ID --set field=value ... [--null field] [--put] [--if-unchanged field=value] [--json]`.

The edit form, headless. The same `mediatui.media.edits` code as the form
builds the body: the same checks, the same null-versus-empty rules (`--set
field=` clears: "" for text, null for URLs and numbers; `--null field` sends
null), PATCH with only the changed fields unless `--put`. Nothing is sent when
nothing changed. Like the form, it never silently undoes another moderator
(mediatui.media.conflicts): its base is its first read; `--put` reads the
media again just before sending and keeps, as the server has them then, the
fields it was not told to change; `--if-unchanged` refuses (exit 1, nothing
sent) when the server's value is not the one expected.
"""

from __future__ import annotations

import argparse
from typing import Any

from mediatui.api import ApiError
from mediatui.cli.common import community_of, connection_flags, media_id, print_json, record, remember, say, tell_retry
from mediatui.cli.media import wants_json
from mediatui.media.conflicts import Choice, expectation_failed, plan_write
from mediatui.media.edits import EDITABLE, Draft, FormErrors, feedback, not_editable, server_kept
from mediatui.media.history import failure_fields
from mediatui.media.saving import read_again, save
from mediatui.sanitize import inert


def add_parsers(sub: Any) -> None:
    names = ", ".join(spec.name for spec in EDITABLE)
    p = sub.add_parser(
        "update", help="change fields of a media (PATCH; --put replaces it)", description=f"Fields: {names}."
    )
    connection_flags(p)
    p.add_argument("id", type=media_id)
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        type=_assignment,
        help='a new value; FIELD= clears it ("" for text, null for URLs and numbers)',
    )
    p.add_argument("--null", dest="nulls", action="append", default=[], metavar="FIELD", help="send null")
    p.add_argument("--put", action="store_true", help="send the full media with PUT (it needs an image URL)")
    p.add_argument(
        "--if-unchanged",
        dest="expected",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        type=_assignment,
        help="send nothing (exit 1) unless the server's FIELD is VALUE just before sending (VALUE as for --set)",
    )
    p.add_argument("--json", action="store_true", help="print the server's answer as JSON (the default when piped)")
    p.set_defaults(handler=run_update)


def run_update(args: argparse.Namespace) -> int:
    if not args.sets and not args.nulls:
        raise FormErrors({}, ["nothing to change: give --set FIELD=VALUE or --null FIELD"])
    both = sorted({name for name, _ in args.sets} & set(args.nulls))
    if both:  # which one was meant cannot be told: nothing is sent
        raise FormErrors({name: "given both --set and --null: choose one" for name in both})
    with community_of(args) as community:
        client = community.client()
        base = client.get(args.id)
        refused = not_editable(base)
        if refused:
            raise FormErrors({}, [refused])
        draft = Draft(base)  # the base: what "changed" means
        for name, value in args.sets:
            draft.set_from_text(name, value)
        for name in args.nulls:
            draft.set_null(name)
        changes = draft.changes()
        now = read_again(client, args.id, on_retry=tell_retry) if changes and (args.put or args.expected) else None
        for name, value in args.expected:  # against the read just before sending (or the only one)
            why = expectation_failed(now or draft.media, name, value)
            if why is not None:
                say(f"mediatui: not sent: {why} (--if-unchanged)", err=True)
                return 1
        if not changes:
            say("nothing changed: nothing sent", err=True)
            return 0
        now = now or draft.media
        told: dict[str, Choice] = {change.name: "mine" for change in draft.changes()}  # what it was told wins
        plan = plan_write(draft, now, put=args.put, chosen=told)
        if not plan.changes:
            say("nothing to change: the server already has these values", err=True)
            return 0
        method = "PUT" if args.put else "PATCH"
        try:
            answer = save(client, args.id, plan.body, put=args.put, on_retry=tell_retry)
        except ApiError as exc:
            shown = feedback(exc, args.id)
            for line in [*shown.top, *(f"{n}: {' '.join(t)}" for n, t in shown.fields.items())]:
                say(f"mediatui: {line}", err=True)
            record(community, "update", args.id, method=method, before=now.to_json(), **failure_fields(exc))
            return 1
        if wants_json(args):  # the server's answer first: a local failure after it must not lose it
            print_json(answer.to_json())
        else:
            say(f"updated #{args.id} ({method})")
            for change in plan.changes:
                say(f"  {change.line()}")
        if plan.kept:
            say(f"mediatui: note: changed on the server meanwhile, kept as it is: {', '.join(plan.kept)}", err=True)
        for note in server_kept(plan.body, answer):
            say(f"mediatui: note: {note}", err=True)
        record(community, "update", args.id, method=method, before=now.to_json(), after=answer.to_json())
        remember(client.base_url, answer)
    return 0


def _assignment(text: str) -> tuple[str, str]:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise argparse.ArgumentTypeError(f"{inert(text, limit=60)} is not valid UTF-8 (the API takes text)") from None
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError("use FIELD=VALUE (FIELD= clears the field)")
    return name.strip(), value

"""`get`, `list`, `create` and `delete`: one request each, the server's answer printed first."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from mediatui.api import ApiError, Media, MediaType
from mediatui.cli.common import (
    community_client,
    community_of,
    connection_flags,
    media_id,
    print_json,
    record,
    remember,
    say,
    tell_retry,
)
from mediatui.media.deleting import delete_retried, history_fields
from mediatui.media.history import failure_fields

if TYPE_CHECKING:
    from mediatui.api import MediaClient


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("get", help="print one media as JSON")
    connection_flags(p)
    p.add_argument("id", type=media_id)
    p.add_argument("--json", action="store_true", help="print JSON (get always does; every verb takes --json)")
    p.set_defaults(handler=run_get)

    p = sub.add_parser("list", help="print media as JSON lines (servers with a list endpoint)")
    connection_flags(p)
    p.add_argument("--limit", type=_positive, default=50, help="at most this many media (default 50)")
    p.add_argument("--offset", type=_not_negative, default=0, help="skip this many of the newest first (default 0)")
    p.add_argument("--type", choices=[t.value for t in MediaType], help="only media of this type")
    p.add_argument(
        "--search", help="only media the server finds for this text (the sandbox looks in title, description, URL)"
    )
    p.add_argument("--json", action="store_true", help="print JSON lines (list always does; every verb takes --json)")
    p.set_defaults(handler=run_list)

    p = sub.add_parser("create", help="create a url, vimeo or embed media")
    connection_flags(p)
    p.add_argument("type", choices=["url", "vimeo", "embed"])
    p.add_argument("--media-url", dest="media_url", help="the page or video URL (url, vimeo)")
    p.add_argument("--embed-type", help="the embed's kind, e.g. youtube (embed)")
    p.add_argument("--embed-id", help="the embed's id at that service (embed)")
    p.add_argument("--title", help="the media's title")
    p.add_argument("--description", help="the media's description")
    p.add_argument("--json", action="store_true", help="print the created media as JSON (the default when piped)")
    p.set_defaults(handler=run_create)

    p = sub.add_parser("delete", help="delete media by id (exit 1 when any was not deleted, or not there)")
    connection_flags(p)
    p.add_argument("ids", type=media_id, nargs="+", metavar="ID")
    p.add_argument(
        "--ignore-not-found", action="store_true", help="an id the server does not have is no error (exit 0)"
    )
    p.add_argument(
        "--json",
        action="store_true",
        help='one JSON object per id on stdout: {"id", "outcome": deleted | already gone | not deleted, "message"}',
    )
    p.set_defaults(handler=run_delete)


def run_get(args: argparse.Namespace) -> int:
    with community_client(args) as client:
        media = client.get(args.id)
        print_json(media.to_json())
        remember(client.base_url, media)
    return 0


def run_list(args: argparse.Namespace) -> int:
    with community_client(args) as client:
        page = client.list(limit=args.limit, offset=args.offset, type=args.type, search=args.search)
    for media in page.results:
        print_json(media.to_json())
    say(f"{len(page.results)} of {page.count} media", err=True)
    return 0


def run_create(args: argparse.Namespace) -> int:
    """Checked like the create form; a create whose answer was lost is looked for, never resent."""
    from mediatui.media.edits import create_body
    from mediatui.media.saving import CreateUnknown, create

    body = create_body(
        args.type,
        url=args.media_url,
        embed_type=args.embed_type,
        embed_id=args.embed_id,
        title=args.title,
        description=args.description,
    )
    with community_of(args) as community:
        client = community.client()
        outcome: dict[str, Any] = {}
        try:
            media = create(client, body, on_retry=tell_retry)
        except CreateUnknown as exc:
            say(f"mediatui: {exc.message}", err=True)
            outcome = {"outcome": "unknown", "message": exc.message}
            if exc.found is None:
                record(community, "create", None, **outcome)
                return 1
            media = exc.found  # likely ours; the history says it is not known for sure
        except ApiError as exc:  # refused (a 4xx), or surely never sent: said by main(), recorded here
            record(community, "create", None, **failure_fields(exc))
            raise
        if wants_json(args):  # the server's result first: a local failure below must not lose it
            print_json(media.to_json())
        else:
            say(f"created #{media.id} {media.type}: {media.display_title}")
        record(community, "create", media.id, after=media.to_json(), **outcome)
        remember(client.base_url, media)
    return 0


def wants_json(args: argparse.Namespace) -> bool:
    """JSON with --json, and whenever stdout is not a terminal (scripts keep reading JSON); a line for people."""
    return bool(getattr(args, "json", False)) or not sys.stdout.isatty()


def run_delete(args: argparse.Namespace) -> int:
    """Every id was checked by the parser before this runs. As kubectl does: an id the server does not have is
    an error ("not found, nothing deleted") unless --ignore-not-found; a 404 that answers a retry of our own
    DELETE means the first try deleted it, and says "deleted".

    Exit 0 when every named media was deleted (or, with --ignore-not-found, was not there); 1 otherwise, so
    that a script can run it again safely. With --json each id's outcome is a JSON object on stdout instead of
    a line, the exit code the same: a script reads which ids to try again without parsing our sentences.
    """
    failures = 0
    ids = list(dict.fromkeys(args.ids))
    with community_of(args) as community:
        client = community.client()
        for one in ids:
            before = _before_delete(client, one)
            if before is not None:  # with the trash on, its file first (community/trash.py)
                not_kept = community.keep_before_delete(Media.from_json(before))
                if not_kept:
                    say(f"mediatui: warning: #{one} not kept in the trash ({not_kept}): deleted anyway", err=True)
            outcome = delete_retried(client.delete, one, on_retry=tell_retry)
            if outcome.kind == "not deleted" or (outcome.kind == "already gone" and not args.ignore_not_found):
                failures += 1
            if args.json:  # the TUI's kinds and words (mediatui.media.deleting), but a 404 is "not found" here:
                # an id typed may never have been, where the list's row surely was (and is gone now)
                said = ("not found", "not found, nothing deleted") if outcome.kind == "already gone" else None
                kind, message = said or (outcome.kind, outcome.message)
                print_json({"id": one, "outcome": kind, "message": message})
            elif outcome.kind == "deleted":
                say(f"deleted {one}")
            elif outcome.kind == "already gone" and args.ignore_not_found:
                say(f"{one}: not found (ignored)")
            elif outcome.kind == "already gone":
                say(f"{one}: not found, nothing deleted", err=True)
            else:
                say(f"{one}: {outcome.message}", err=True)
            fields = history_fields(outcome, before)
            if fields is not None:  # after the outcome was said: a local failure is a warning
                record(community, "delete", one, **fields)
    if failures:
        say(f"mediatui: {failures} of {len(ids)} not deleted", err=True)
    return 1 if failures else 0


def _before_delete(client: MediaClient, media_id: int) -> dict[str, Any] | None:
    """The media as it is just before it is deleted, for the history; None when it cannot be read (the delete
    says why: a 404, a refusal)."""
    try:
        return client.get(media_id).to_json()
    except ApiError:
        return None


def _positive(text: str) -> int:
    value = _whole(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _not_negative(text: str) -> int:
    value = _whole(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _whole(text: str) -> int:
    try:
        return int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a whole number") from None

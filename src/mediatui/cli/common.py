"""What every verb shares: connection flags, the client, output that is always inert, local bookkeeping.

Everything a verb prints goes through `say`, `fail` or `print_json`, which
pass it through the sanitizer: a server's error detail or a file name can
never put an escape sequence on the user's terminal.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

from mediatui.api import ApiError, InvalidInput, Media
from mediatui.api.models import MAX_MEDIA_ID
from mediatui.api.retry import retry_said
from mediatui.localdb import LocalDataError
from mediatui.sanitize import inert, inert_json
from mediatui.settings.config import Settings

if TYPE_CHECKING:
    from mediatui.api import MediaClient
    from mediatui.community import Community


def connection_flags(parser: argparse.ArgumentParser) -> None:
    """--url, --profile, --insecure, --read-only and --log, accepted before or after the verb."""
    default = argparse.SUPPRESS if parser.prog != "mediatui" else None
    parser.add_argument("--url", default=default, help="the community URL (or MEDIATUI_URL)")
    parser.add_argument(
        "-P", "--profile", default=default, metavar="NAME", help="a profile of the config file (or MEDIATUI_PROFILE)"
    )
    parser.add_argument(
        "--insecure",
        action="store_true",
        default=default or False,
        help="do not verify TLS certificates (or MEDIATUI_INSECURE=1)",
    )
    parser.add_argument(
        "--read-only",
        dest="read_only",
        action="store_true",
        default=default or False,
        help="refuse every change: delete, create, update, upload",
    )
    parser.add_argument("--log", default=default, metavar="FILE", help="write a debug log (no secrets) to FILE")


def settings(args: argparse.Namespace) -> Settings:
    """Flags > environment > the config file's profile > defaults, resolved once per command.

    Resolving may run the profile's token_command, so the result is kept on `args`.
    A broken config file raises ConfigError (exit 2).
    """
    cached = getattr(args, "_settings", None)
    if cached is None:
        from mediatui.settings import profiles

        config = profiles.load()
        for warning in config.warnings:
            say(f"mediatui: {warning}", err=True)
        cached = Settings.resolve(
            config,
            url=getattr(args, "url", None),
            profile=getattr(args, "profile", None),
            insecure=bool(getattr(args, "insecure", False)),
            read_only=bool(getattr(args, "read_only", False)),
            log=getattr(args, "log", None),
        )
        _check_trash_mb(cached)
        args._settings = cached
    return cached


def _check_trash_mb(current: Settings) -> None:
    """MEDIATUI_TRASH_MB that is not a number is refused at start (exit 2), never a trash quietly off."""
    from mediatui.community.trash import trash_mb

    try:
        trash_mb(current.trash_mb)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


@contextmanager
def community_of(args: argparse.Namespace) -> Iterator[Community]:
    """The community a verb works on; InvalidInput (exit 2) says what is missing or wrong.

    The CLI builds its Community here and only here, as the app does in one place: it owns the client and
    the history, and leaving the block ends them (mediatui.community).
    """
    from mediatui.community import Community

    current = settings(args)
    problem = current.problem()
    if problem:
        raise InvalidInput(problem)
    community = Community(current)
    community.prune_trash()  # expired kept files go at the start of every verb
    try:
        yield community
    finally:
        community.close()


@contextmanager
def community_client(args: argparse.Namespace) -> Iterator[MediaClient]:
    """The client of the community a verb works on (see community_of)."""
    with community_of(args) as community:
        yield community.client()


def record(community: Community, action: str, media_id: int | None, **fields: Any) -> None:
    """Into the community's history, after the server's answer was printed; a failure is a warning on stderr."""
    warning = community.record(action, media_id, **fields)
    if warning:
        say(f"mediatui: warning: {warning}", err=True)


def media_id(text: str) -> int:
    """An argparse type: a media id the server can hold, refused before anything is sent."""
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{inert(text, limit=40)!r} is not a media id (a whole number)") from None
    if not 1 <= value <= MAX_MEDIA_ID:
        raise argparse.ArgumentTypeError(f"{value} is not a media id: ids go from 1 to {MAX_MEDIA_ID}")
    return value


def say(text: str, *, err: bool = False, multiline: bool = False) -> None:
    """Print one message, made inert; to stderr when `err`."""
    out: TextIO = sys.stderr if err else sys.stdout
    print(inert(text, multiline=multiline), file=out, flush=True)


def tell_retry(attempt: int, delay: float, error: ApiError) -> None:
    """Before a request is tried again: on stderr, so that a script's output stays the server's answer."""
    say(f"mediatui: {retry_said(error.message, attempt, delay)}", err=True)


def fail(message: str, code: int) -> int:
    """`mediatui: message` on stderr; returns the exit code."""
    say(f"mediatui: {message}", err=True)
    return code


_PRINTING = threading.Lock()  # upload workers print their results from threads of their own


def print_json(data: Any) -> None:
    """One JSON document per line, whole (one write, under a lock: `print` writes the text and its newline
    apart, and two threads' documents once shared a line); control and bidi characters escaped as \\uXXXX."""
    line = inert_json(data) + "\n"
    with _PRINTING:
        sys.stdout.write(line)
        sys.stdout.flush()


def remember(server_url: str, *media: Media, uploaded: bool = False) -> None:
    """Media this tool created, uploaded or opened go into the local catalogue (for servers without a list);
    `uploaded`: this machine uploaded them (the list's `m` shows those).

    Called after the server's result is printed: a local failure is a warning, never a lost result.
    """
    if not media:
        return
    from mediatui.media.catalogue import Catalogue

    try:
        with Catalogue.for_server(server_url) as catalogue:
            for item in media:
                catalogue.record(item, uploaded=uploaded)
    except LocalDataError as exc:
        say(f"mediatui: warning: not remembered in the local catalogue: {exc}", err=True)

"""What every verb shares: connection flags, the client, output that is always inert, local bookkeeping.

Everything a verb prints goes through `say`, `fail` or `print_json`, which
pass it through the sanitizer: a server's error detail or a file name can
never put an escape sequence on the user's terminal.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from mediatui.api import InvalidInput, Media
from mediatui.config import Settings
from mediatui.localdb import LocalDataError
from mediatui.sanitize import inert, inert_json

if TYPE_CHECKING:
    from mediatui.api import MediaClient

MAX_MEDIA_ID = 2**63 - 1  # the server's ids are 64-bit


def connection_flags(parser: argparse.ArgumentParser) -> None:
    """--url and --insecure, accepted before or after the verb."""
    default = argparse.SUPPRESS if parser.prog != "mediatui" else None
    parser.add_argument("--url", default=default, help="the community URL (or MEDIATUI_URL)")
    parser.add_argument("--insecure", action="store_true", default=default or False,
                        help="do not verify TLS certificates (or MEDIATUI_INSECURE=1)")


def settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(getattr(args, "url", None), insecure=getattr(args, "insecure", False) or None)


def make_client(args: argparse.Namespace) -> MediaClient:
    """A client for the configured community; InvalidInput (exit 2) says what is missing or wrong."""
    current = settings(args)
    problem = current.problem()
    if problem:
        raise InvalidInput(problem)
    from mediatui.api import MediaClient

    return MediaClient(current.url, current.token.reveal(), verify=current.verify, timeout=current.timeout)


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


def fail(message: str, code: int) -> int:
    """`mediatui: message` on stderr; returns the exit code."""
    say(f"mediatui: {message}", err=True)
    return code


def print_json(data: Any) -> None:
    """One JSON document per line; control and bidi characters escaped as \\uXXXX."""
    print(inert_json(data), flush=True)


def remember(server_url: str, *media: Media) -> None:
    """Media this tool created, uploaded or opened go into the local catalogue (for servers without a list).

    Called after the server's result is printed: a local failure is a warning, never a lost result.
    """
    if not media:
        return
    from mediatui.catalogue import Catalogue

    try:
        with Catalogue.for_server(server_url) as catalogue:
            for item in media:
                catalogue.record(item)
    except LocalDataError as exc:
        say(f"mediatui: warning: not remembered in the local catalogue: {exc}", err=True)

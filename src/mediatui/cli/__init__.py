"""The `mediatui` command: the TUI by default, a sandbox, a demo, and headless verbs for scripts.

One module per verb group (`media`, `upload`, `local`); this one builds the
parser and turns every failure into a message and an exit code, never a
traceback: 2 for bad input (nothing was sent), 1 for a failure of the server
or of local files, 130 for Ctrl-C.
"""

from __future__ import annotations

import argparse
import sys

from mediatui import __version__
from mediatui.api import ApiError, InvalidInput
from mediatui.cli import local, media, upload
from mediatui.cli.common import connection_flags, fail
from mediatui.localdb import LocalDataError
from mediatui.upload.session import EntryBusy


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = getattr(args, "handler", local.run_tui)
    try:
        return int(handler(args))
    except InvalidInput as exc:
        return fail(str(exc), 2)
    except ApiError as exc:
        return fail(exc.message, 1)
    except (LocalDataError, EntryBusy) as exc:
        return fail(str(exc), 1)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `mediatui list | head`: the reader left, which is not an error of ours
        sys.stderr.close()
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mediatui", description="Manage the media of a SelfCommunity community.")
    parser.add_argument("--version", action="version", version=f"mediatui {__version__}")
    connection_flags(parser)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    local.add_parsers(sub)
    media.add_parsers(sub)
    upload.add_parsers(sub)
    __import__("mediatui.cli.update", fromlist=["add_parsers"]).add_parsers(sub)
    return parser


__all__ = ["main", "build_parser"]

"""The `mediatui` command: the TUI by default, a sandbox, a demo, and headless verbs for scripts.

One module per verb group (`media`, `upload`, `local`, `doctor`); this one builds the
parser and turns every failure into a message and an exit code, never a
traceback: 2 for bad input (nothing was sent), 1 for a failure of the server
or of local files, 130 for Ctrl-C.
"""

from __future__ import annotations

import argparse
import logging
import sys

from mediatui import __version__
from mediatui.api import ApiError, InvalidInput
from mediatui.cli import doctor, history, local, media, update, upload
from mediatui.cli.common import connection_flags, fail, settings
from mediatui.community import Change, refusal
from mediatui.localdb import LocalDataError
from mediatui.settings.logsetup import LogError, start_log, stop_log
from mediatui.settings.profiles import ConfigError
from mediatui.upload.claims import EntryBusy

log = logging.getLogger("mediatui.cli")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    handler = getattr(args, "handler", local.run_tui)
    handle_log = None
    try:
        if handler not in (local.run_sandbox, local.run_demo, doctor.run):  # doctor reads the config itself
            current = settings(args)
            if current.log:
                handle_log = start_log(current.log, secrets=[current.token.reveal()])
                log.info("mediatui %s: %s (profile %r)", __version__, args.command or "tui", current.profile)
            change = Change.of(args.command)  # a verb that changes media: refused before anything is sent
            refused = refusal(current, change) if change is not None else None
            if refused is not None:
                return fail(refused, 2)
            if args.command == "upload" and current.jobs and not any(a.startswith("--jobs") for a in argv):
                args.jobs = current.jobs
        return int(handler(args))
    except (ConfigError, LogError) as exc:
        return fail(str(exc), 2)
    except InvalidInput as exc:
        return fail(str(exc), 2)
    except ApiError as exc:
        log.error("%s failed: %s", args.command, exc.message, exc_info=True)
        return fail(exc.message, 1)
    except (LocalDataError, EntryBusy) as exc:
        log.error("%s failed: %s", args.command, exc, exc_info=True)
        return fail(str(exc), 1)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `mediatui list | head`: the reader left, which is not an error of ours
        sys.stderr.close()
        return 0
    except Exception:
        log.exception("%s crashed", args.command)
        raise
    finally:
        if handle_log is not None:
            stop_log(handle_log)


def build_parser() -> argparse.ArgumentParser:
    parser = _TopParser(
        prog="mediatui",
        description="Manage the media of a SelfCommunity community.",
        formatter_class=argparse.RawDescriptionHelpFormatter,  # the epilog's table as written; options still wrap
    )
    parser.add_argument("--version", action="version", version=f"mediatui {__version__}")
    connection_flags(parser)
    sub = parser.add_subparsers(
        title="commands", metavar="COMMAND", dest="command", parser_class=argparse.ArgumentParser
    )
    local.add_parsers(sub)
    media.add_parsers(sub)
    upload.add_parsers(sub)
    update.add_parsers(sub)
    history.add_parsers(sub)
    doctor.add_parsers(sub)
    return parser


class _TopParser(argparse.ArgumentParser):
    """`mediatui --help` ends with the environment and the files: worked out when the help is shown, so that every
    start does not pay for it, and it names the folders as they are now (MEDIATUI_CONFIG and the like)."""

    def format_help(self) -> str:
        from mediatui.cli.environment import environment_help

        self.epilog = environment_help()
        return super().format_help()


__all__ = ["main", "build_parser"]

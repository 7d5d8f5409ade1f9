"""`mediatui doctor`: the report of community/doctor.py, a line per check, or one JSON object with `--json`.

Exit 0 when every check is OK, 1 otherwise: a script can run it first and stop there. It reads the config
itself (a broken one is a line of the report rather than the exit 2 of every other verb), and changes nothing.
"""

from __future__ import annotations

import argparse
from typing import Any

from mediatui.cli.common import connection_flags, print_json, say


def add_parsers(sub: Any) -> None:
    p = sub.add_parser(
        "doctor",
        help="check the terminal, tmux, the config, the community, the token and the local folders",
        description="Check what mediatui needs, one line each: OK, or what is wrong and how to fix it. "
        "Changes nothing; answers within 15 s. Exit 0 when everything is OK, 1 otherwise.",
    )
    p.add_argument("--json", action="store_true", help="print the same as one JSON object: ok, and every check")
    connection_flags(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from mediatui.community.doctor import from_command_line

    if getattr(args, "log", None):
        say("mediatui: doctor writes no log: it changes nothing, a log file included", err=True)
    report = from_command_line(
        getattr(args, "url", None), getattr(args, "profile", None), bool(getattr(args, "insecure", False))
    )
    if getattr(args, "json", False):
        print_json(report.to_json())
    else:
        for line in report.lines():
            say(line)
    return 0 if report.ok else 1

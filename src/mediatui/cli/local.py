"""What runs here rather than against a community: the TUI itself, the sandbox server and the demo."""

from __future__ import annotations

import argparse
import contextlib
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mediatui._compat import UTC
from mediatui.api import InvalidInput
from mediatui.cli.common import print_json, say, settings
from mediatui.settings.config import Secret, Settings

if TYPE_CHECKING:
    from mediatui.sandbox import SandboxConfig


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("sandbox", help="run a local stand-in community server")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="the port to listen on (default 8000; 0 picks a free one)")
    p.add_argument("--data-dir", type=Path, help="where the database and files live (default: a temporary folder)")
    p.add_argument(
        "--token",
        action="append",
        metavar="[NAME:]TOKEN",
        help="a user's token; repeat for several (default: sandbox-token)",
    )
    p.add_argument("--seed", type=int, default=0, metavar="N", help="seed N sample media into an empty store")
    p.add_argument("--no-list", action="store_true", help="offer no list endpoint, like the public API")
    p.add_argument(
        "--latency-ms", type=float, default=0.0, help="milliseconds added to every request, files too (default 0)"
    )
    p.add_argument("--fail-rate", type=_rate, default=0.0, help="share of requests answered 500/503")
    p.add_argument("--drop-rate", type=_rate, default=0.0, help="share of connections closed before handling")
    p.add_argument("--lose-rate", type=_rate, default=0.0, help="share handled, then closed unanswered")
    p.add_argument("--throttle-rate", type=_rate, default=0.0, help="share answered 429 with Retry-After")
    p.add_argument(
        "--expire-seconds", type=float, default=86400.0, help="seconds an unfinished upload stays open (default: a day)"
    )
    p.add_argument(
        "--json", action="store_true", help="say the URL, the tokens and the data folder as one JSON line on stdout"
    )
    p.set_defaults(handler=run_sandbox)

    p = sub.add_parser("demo", help="start a seeded sandbox and open the TUI on it")
    p.add_argument("--seed", type=int, default=60, metavar="N", help="seed N sample media (default 60)")
    p.set_defaults(handler=run_demo)


def _rate(value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError("a rate is a number between 0 and 1") from None
    if not 0.0 <= rate <= 1.0:
        raise argparse.ArgumentTypeError("a rate is between 0 and 1")
    return rate


def sandbox_config(args: argparse.Namespace) -> SandboxConfig:
    """The sandbox the flags describe; its latency stands for a laggy link, so it holds files (pictures) too."""
    from mediatui.sandbox import Faults, SandboxConfig, parse_tokens

    try:
        users = parse_tokens(args.token)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    return SandboxConfig(
        data_dir=args.data_dir or Path(tempfile.mkdtemp(prefix="mediatui-sandbox-")),
        users=users,
        seed=args.seed,
        seed_epoch=recently(),
        expire_seconds=args.expire_seconds,
        listing=not args.no_list,
        faults=Faults(
            latency_ms=args.latency_ms,
            latency_files=True,
            fail_rate=args.fail_rate,
            drop_rate=args.drop_rate,
            lose_rate=args.lose_rate,
            throttle_rate=args.throttle_rate,
        ),
    )


def run_sandbox(args: argparse.Namespace) -> int:
    from mediatui.sandbox import SandboxServer

    config = sandbox_config(args)
    users, data_dir = config.users, config.data_dir
    server = SandboxServer(config, host=args.host, port=args.port)
    if args.json:  # for a script that starts a sandbox (--port 0) and must learn where it is
        users_said = [{"name": user, "token": token} for token, user in users.items()]
        print_json({"url": server.url, "token": server.token, "users": users_said, "data_dir": str(data_dir)})
    else:
        say(f"mediatui sandbox on {server.url}  (data in {data_dir})")
        for token, user in users.items():
            say(f"  user {user}: token {token}")
        say(f"  try: MEDIATUI_URL={server.url} MEDIATUI_TOKEN={server.token} mediatui")
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after a clean shutdown
        pass
    say("mediatui sandbox stopped", err=args.json)
    return 0


def run_demo(args: argparse.Namespace) -> int:
    """Says what the demo is before the TUI covers the screen, and once it is over: the TUI gives back the
    screen as it was, so the first words are seen again, and the last say that it ended."""
    from mediatui.sandbox import SandboxConfig, SandboxServer
    from mediatui.settings.demo import demo_banner

    said: tuple[str, str, str] | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="mediatui-demo-") as folder:
            with SandboxServer(SandboxConfig(Path(folder), seed=args.seed, seed_epoch=recently())) as server:
                said = (server.url, server.token, folder)
                say(demo_banner(*said), multiline=True)
                return start_app(Settings(url=server.url, token=Secret(server.token), demo=demo_banner(*said)))
    finally:
        if said is not None:
            forget_local_files(said[0])
            if not Path(said[2]).exists():  # the words must be true
                say(demo_banner(*said, ended=True))


def forget_local_files(server_url: str) -> None:
    """The files mediatui keeps for the demo's sandbox (its catalogue, upload journal, history, claims), the app's
    and those of the CLI tried beside it alike: "temporary" must be true of everything the demo made, and the
    moderator's folders keep no file for its random port. Files of any other community are never touched."""
    from mediatui.api.urls import normalize_base_url
    from mediatui.localdb import per_server_file, user_folder

    stem = per_server_file(Path(), "x", normalize_base_url(server_url)).name.removeprefix("x-").removesuffix(".sqlite")
    for env_var, kind in (("MEDIATUI_DATA_DIR", "data"), ("MEDIATUI_STATE_DIR", "state")):
        folder = user_folder(env_var, kind)
        for path in folder.glob(f"*-{stem}*") if folder.is_dir() else ():
            with contextlib.suppress(OSError):
                path.unlink()


def recently() -> datetime:
    """Seeded media for people look recent; tests keep the fixed epoch for stable snapshots."""
    return datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=5)


def run_tui(args: argparse.Namespace) -> int:
    return start_app(settings(args))


def start_app(current: Settings) -> int:
    from mediatui.media.listing import PAGE_SIZE
    from mediatui.runtime.first_page import FirstPage

    first_page = FirstPage.start(current, PAGE_SIZE)  # before Textual loads: see mediatui.runtime.first_page
    from mediatui.tui.app import MediaTuiApp

    app = MediaTuiApp(current, first_page=first_page)
    app.run()
    return app.return_code or 0  # 1 after a crash (its traceback shown), never a silent 0

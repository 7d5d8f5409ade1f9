"""The `mediatui` command: the TUI by default, a sandbox, a demo, and headless commands for scripts."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mediatui import __version__
from mediatui.api import ApiError, InvalidInput, Media, MediaType
from mediatui.config import Secret, Settings

if TYPE_CHECKING:
    from mediatui.api import MediaClient


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", _run_tui)
    try:
        return handler(args)
    except InvalidInput as exc:
        print(f"mediatui: {exc}", file=sys.stderr)
        return 2
    except ApiError as exc:
        print(f"mediatui: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mediatui", description="Manage the media of a SelfCommunity community.")
    parser.add_argument("--version", action="version", version=f"mediatui {__version__}")
    _connection_flags(parser)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("sandbox", help="run a local stand-in community server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    p.add_argument("--data-dir", type=Path, help="where the database and files live (default: a temporary folder)")
    p.add_argument("--token", action="append", metavar="[NAME:]TOKEN", help="a user's token; repeat for several users")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="seed N sample media into an empty store")
    p.add_argument("--no-list", action="store_true", help="offer no list endpoint, like the public API")
    p.add_argument("--latency-ms", type=float, default=0.0)
    p.add_argument("--fail-rate", type=_rate, default=0.0, help="share of requests answered 500/503")
    p.add_argument("--drop-rate", type=_rate, default=0.0, help="share of connections closed before handling")
    p.add_argument("--lose-rate", type=_rate, default=0.0, help="share handled, then closed unanswered")
    p.add_argument("--throttle-rate", type=_rate, default=0.0, help="share answered 429 with Retry-After")
    p.add_argument("--expire-seconds", type=float, default=86400.0)
    p.set_defaults(handler=_run_sandbox)

    p = sub.add_parser("demo", help="start a seeded sandbox and open the TUI on it")
    p.add_argument("--seed", type=int, default=60, metavar="N")
    p.set_defaults(handler=_run_demo)

    p = sub.add_parser("get", help="print one media as JSON")
    _connection_flags(p)
    p.add_argument("id", type=int)
    p.set_defaults(handler=_run_get)

    p = sub.add_parser("list", help="print media as JSON lines (servers with a list endpoint)")
    _connection_flags(p)
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--type", choices=[t.value for t in MediaType])
    p.add_argument("--search")
    p.set_defaults(handler=_run_list)

    p = sub.add_parser("create", help="create a url, vimeo or embed media")
    _connection_flags(p)
    p.add_argument("type", choices=["url", "vimeo", "embed"])
    p.add_argument("--media-url", dest="media_url", help="the page or video URL (url, vimeo)")
    p.add_argument("--embed-type")
    p.add_argument("--embed-id")
    p.set_defaults(handler=_run_create)

    p = sub.add_parser("upload", help="upload images and PDF documents (chunked, resumable)")
    _connection_flags(p)
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--type", choices=["image", "doc", "eimage"], help="default: from the file (eimage only when asked)")
    p.add_argument("--jobs", type=int, default=3, help="files at once (default 3)")
    p.add_argument("--chunk-size", type=int, default=204800, metavar="BYTES")
    p.add_argument("--json", action="store_true", help="print each created media as JSON on stdout")
    p.add_argument("--resume", action="store_true", help="go on with the unfinished uploads of the journal")
    p.add_argument("--recomplete", metavar="UPLOAD_ID", help="complete an upload whose completion is unknown, "
                   "if the server still has it open")
    p.add_argument("--forget", metavar="UPLOAD_ID", help="drop an upload from the journal")
    p.set_defaults(handler=_run_upload)

    p = sub.add_parser("delete", help="delete media by id")
    _connection_flags(p)
    p.add_argument("ids", type=int, nargs="+")
    p.set_defaults(handler=_run_delete)
    return parser


def _connection_flags(parser: argparse.ArgumentParser) -> None:
    default = argparse.SUPPRESS if parser.prog != "mediatui" else None
    parser.add_argument("--url", default=default, help="the community URL (or MEDIATUI_URL)")
    parser.add_argument("--insecure", action="store_true", default=default or False,
                        help="do not verify TLS certificates (or MEDIATUI_INSECURE=1)")


def _rate(value: str) -> float:
    rate = float(value)
    if not 0.0 <= rate <= 1.0:
        raise argparse.ArgumentTypeError("a rate is between 0 and 1")
    return rate


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(getattr(args, "url", None), insecure=getattr(args, "insecure", False) or None)


def _client(args: argparse.Namespace) -> MediaClient:
    settings = _settings(args)
    problem = settings.problem()
    if problem:
        raise InvalidInput(problem)
    from mediatui.api import MediaClient

    return MediaClient(settings.url, settings.token.reveal(), verify=settings.verify, timeout=settings.timeout)


def remember(client: MediaClient, *media: Media) -> None:
    """Media this tool created, uploaded or opened go into the local catalogue (for servers without a list)."""
    from mediatui.catalogue import Catalogue

    catalogue = Catalogue.for_server(client.base_url)
    try:
        for item in media:
            catalogue.record(item)
    finally:
        catalogue.close()


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False))


def _run_get(args: argparse.Namespace) -> int:
    with _client(args) as client:
        media = client.get(args.id)
        remember(client, media)
        _print_json(media.to_json())
    return 0


def _run_list(args: argparse.Namespace) -> int:
    with _client(args) as client:
        page = client.list(limit=args.limit, offset=args.offset, type=args.type, search=args.search)
        for media in page.results:
            _print_json(media.to_json())
    print(f"{len(page.results)} of {page.count} media", file=sys.stderr)
    return 0


def _run_create(args: argparse.Namespace) -> int:
    with _client(args) as client:
        media = client.create(args.type, url=args.media_url, embed_type=args.embed_type, embed_id=args.embed_id)
        remember(client, media)
        _print_json(media.to_json())
    return 0


def _run_delete(args: argparse.Namespace) -> int:
    failures = 0
    with _client(args) as client:
        for media_id in args.ids:
            try:
                client.delete(media_id)
                print(f"deleted {media_id}")
            except ApiError as exc:
                failures += 1
                print(f"{media_id}: {exc.message}", file=sys.stderr)
    return 1 if failures else 0


def _run_upload(args: argparse.Namespace) -> int:
    from mediatui.cli_upload import run_upload

    return run_upload(args, _client(args))


def _run_sandbox(args: argparse.Namespace) -> int:
    from mediatui.sandbox import Faults, SandboxConfig, SandboxServer, parse_tokens

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="mediatui-sandbox-"))
    try:
        users = parse_tokens(args.token)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    config = SandboxConfig(
        data_dir=data_dir, users=users, seed=args.seed, seed_epoch=_recently(),
        expire_seconds=args.expire_seconds,
        listing=not args.no_list,
        faults=Faults(latency_ms=args.latency_ms, fail_rate=args.fail_rate,
                      drop_rate=args.drop_rate, lose_rate=args.lose_rate,
                      throttle_rate=args.throttle_rate),
    )
    server = SandboxServer(config, host=args.host, port=args.port)
    print(f"mediatui sandbox on {server.url}  (data in {data_dir})", flush=True)
    for token, user in users.items():
        print(f"  user {user}: token {token}", flush=True)
    print(f"  try: MEDIATUI_URL={server.url} MEDIATUI_TOKEN={server.token} mediatui", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after a clean shutdown
        pass
    print("mediatui sandbox stopped", flush=True)
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from mediatui.sandbox import SandboxConfig, SandboxServer

    with tempfile.TemporaryDirectory(prefix="mediatui-demo-") as folder:
        with SandboxServer(SandboxConfig(Path(folder), seed=args.seed, seed_epoch=_recently())) as server:
            settings = Settings(url=server.url, token=Secret(server.token))
            return _start_app(settings)


def _recently() -> datetime:
    """Seeded media for people look recent; tests keep the fixed epoch for stable snapshots."""
    return datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=5)


def _run_tui(args: argparse.Namespace) -> int:
    return _start_app(_settings(args))


def _start_app(settings: Settings) -> int:
    from mediatui.tui.app import MediaTuiApp

    MediaTuiApp(settings).run()
    return 0

"""`mediatui upload`: plan with the upload session, run it in a thread, show progress, exit honestly.

Exit codes: 0 when every named file is on the server (uploaded now, or
before: that is a warning); 1 when any failed, is owned by another process,
changed, or its completion is unknown; 2 for bad input (nothing was sent);
130 after Ctrl-C (everything unfinished stays resumable). A first Ctrl-C
stops between chunks and waits for the workers, at most ABORT_AFTER seconds
before it cuts off requests a server leaves hanging; a second exits at once,
still resumable (the journal is written atomically).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING, Any

from mediatui.api import MAX_CHUNK, InvalidInput
from mediatui.cli.common import community_of, connection_flags, print_json, record, remember, say
from mediatui.localdb import LocalDataError

if TYPE_CHECKING:
    from mediatui.community import Community
    from mediatui.upload import Event, Plan, UploadSession

ABORT_AFTER = 3.0  # seconds the first Ctrl-C waits for the requests in flight before it cuts them off
CANCELLING = "mediatui: cancelling between chunks... (Ctrl-C again to quit at once)"

# The engine, httpx and rich's progress bars load only when an upload runs: `mediatui` builds every
# verb's parser on each start, and the TUI's first paint must not wait for them (~70 ms).


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("upload", help="upload images and PDF documents (chunked, resumable)")
    connection_flags(p)
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--type", choices=["image", "doc", "eimage"], help="default: from the file (eimage only when asked)")
    p.add_argument("--jobs", type=int, default=3, help="files at once (default 3)")
    p.add_argument(
        "--chunk-size",
        type=int,
        default=MAX_CHUNK,
        metavar="BYTES",
        help=f"bytes per chunk, at most {MAX_CHUNK} (the server's maximum)",
    )
    p.add_argument("--json", action="store_true", help="print each created media as JSON on stdout")
    p.add_argument("--again", action="store_true", help="upload files the journal says were uploaded before")
    p.add_argument("--resume", action="store_true", help="go on with the unfinished uploads of the journal")
    p.add_argument(
        "--recomplete",
        metavar="UPLOAD_ID",
        help="complete an upload whose completion is unknown, if the server still has it open",
    )
    p.add_argument("--forget", metavar="UPLOAD_ID", help="drop an upload from the journal")
    p.set_defaults(handler=run_upload)


def run_upload(args: argparse.Namespace) -> int:
    modes = [name for name in ("resume", "recomplete", "forget") if getattr(args, name)]
    if len(modes) > 1:
        raise InvalidInput(f"--{modes[0]} and --{modes[1]} do not go together")
    if modes and args.paths:
        raise InvalidInput(f"--{modes[0]} takes no file names (it works on the journal); name files without it")
    if not modes and not args.paths:
        raise InvalidInput("name the files to upload, or use --resume")
    if args.jobs < 1 or args.jobs > 16:
        raise InvalidInput("--jobs goes from 1 to 16")
    if not 1 <= args.chunk_size <= MAX_CHUNK:
        raise InvalidInput(f"--chunk-size goes from 1 to {MAX_CHUNK} bytes (the server's maximum)")
    from mediatui.upload import UploadSession
    from mediatui.upload import session as S

    with (
        community_of(args) as community,
        UploadSession.open(community.client(), jobs=args.jobs, chunk_size=args.chunk_size) as session,
    ):
        if args.forget:
            entry = session.forget(args.forget)
            say(f"mediatui: forgot {entry.path} (upload {args.forget})", err=True)
            return 0
        try:
            if args.recomplete:
                plan = session.plan_recomplete(args.recomplete)
            elif args.resume:
                plan = session.plan_resume()
            else:
                plan = session.plan_files(args.paths, args.type, again=args.again, all_or_nothing=True)
        except LocalDataError as exc:  # the journal cannot record the plan (a full disk): before any byte is sent
            say(f"mediatui: {exc}", err=True)
            say("mediatui: nothing was sent.", err=True)
            return 1
        if not (args.recomplete or args.resume):
            refused = plan.of_kind(S.PREFLIGHT)
            if refused:
                for skipped in refused:
                    say(f"mediatui: {skipped.path}: {skipped.reason}", err=True)
                say("mediatui: nothing was sent.", err=True)
                return 2
        _report_skipped(plan)
        if not plan.items:
            return _nothing_to_do(plan, resume=args.resume)
        code = _run(args, community, session, plan)
    return code


def _report_skipped(plan: Plan) -> None:
    from mediatui.upload import session as S

    for skipped in plan.skipped:
        word = "warning" if skipped.kind in (S.DONE_BEFORE, S.DUPLICATE) else "not uploaded"
        say(f"mediatui: {word}: {skipped.path}: {skipped.reason}", err=True)
    for entry in plan.unknown:
        say(
            f"mediatui: completion unknown: {entry.path} (upload {entry.upload_id}): {entry.error}. "
            f"Check the community, then --recomplete or --forget it.",
            err=True,
        )


def _nothing_to_do(plan: Plan, *, resume: bool) -> int:
    from mediatui.upload import session as S

    blocked = plan.of_kind(S.OWNED, S.CHANGED, S.UNKNOWN) or plan.unknown
    if resume and not plan.skipped and not plan.unknown:
        say("mediatui: nothing to resume.", err=True)
        return 0
    say("mediatui: nothing to upload." if not blocked else "mediatui: nothing could be uploaded.", err=True)
    return 1 if blocked else 0


def _run(args: argparse.Namespace, community: Community, session: UploadSession, plan: Plan) -> int:
    from mediatui.upload import Completed, CompletionUnknown
    from mediatui.upload.console import BarReporter, LineReporter

    items = plan.items
    live = sys.stderr.isatty() and not args.json
    reporter = (
        BarReporter(sum(i.size for i in items)) if live else LineReporter(sys.stderr if args.json else sys.stdout)
    )
    results: list[Event] = []
    interrupts = _Interrupts(session, reporter.clear if isinstance(reporter, BarReporter) else None)

    def on_event(event: Event) -> None:
        if args.json and isinstance(event, Completed):
            print_json(event.media.to_json())  # the server's result, before any bookkeeping
        interrupts.tell()  # a Ctrl-C's message before what came of it ("cancelled ...")
        reporter(event)

    def work() -> None:
        try:
            results.extend(session.run(items, on_event))
        except LocalDataError as exc:  # the journal's disk is full: its message names the folder
            say(f"mediatui: the upload stopped: {exc}", err=True)
        except Exception as exc:  # noqa: BLE001 - said below as "no result"; never a traceback
            say(f"mediatui: the upload stopped: {type(exc).__name__}", err=True)

    worker = threading.Thread(target=work, name="uploads", daemon=True)
    with reporter, interrupts:
        worker.start()
        while worker.is_alive():
            worker.join(0.2)
            interrupts.tell()
            if interrupts.cut_off_if_stuck():
                message = "mediatui: the server is slow to answer; cutting off the requests in flight"
                if isinstance(reporter, BarReporter):
                    reporter.console.print(message, markup=False)  # above the bars, not through them
                else:
                    say(message, err=True)
        interrupts.tell()  # a Ctrl-C the workers stopped for before the loop's next turn
    for event in results:  # the server's results were printed as they came: now the bookkeeping
        if isinstance(event, Completed):
            record(community, "upload", event.media.id, after=event.media.to_json())
        elif isinstance(event, CompletionUnknown):
            record(community, "upload", None, outcome="unknown", message=f"upload {event.upload_id}: {event.reason}")
    server_url = community.client().base_url
    remember(server_url, *(e.media for e in results if isinstance(e, Completed)), uploaded=True)
    if len(results) != len(items):  # the engine itself failed: never report that as success
        say(
            f"mediatui: {len(items) - len(results)} file(s) have no result. Go on with: mediatui upload --resume",
            err=True,
        )
        return 1
    return _summary(results, plan, interrupts.count > 0)


def _summary(results: list[Event], plan: Plan, interrupted: bool) -> int:
    from mediatui.upload import Completed, CompletionUnknown, Failed
    from mediatui.upload import session as S
    from mediatui.upload.console import describe, next_step

    done = [e for e in results if isinstance(e, Completed)]
    others = [e for e in results if not isinstance(e, Completed)]
    say(f"mediatui: {len(done)} of {len(results)} uploaded.", err=True)
    for event in others:
        say(f"  {describe(event)}", err=True)
        if isinstance(event, Failed) and not interrupted:
            say(f"    next: {next_step(event)}", err=True)
        if isinstance(event, CompletionUnknown):
            say(
                f"    The media may exist. Look for it (mediatui list --search {event.item.name!r}). If it is not "
                f"there: mediatui upload --recomplete {event.upload_id}; if it is: "
                f"mediatui upload --forget {event.upload_id}",
                err=True,
            )
    if interrupted:
        say(f"mediatui: cancelled: {len(others)} resumable (mediatui upload --resume)", err=True)
        return 130
    blocked = plan.of_kind(S.OWNED, S.CHANGED, S.UNKNOWN) or plan.unknown
    return 1 if others or blocked else 0


class _Interrupts:
    """Ctrl-C while uploading: the first cancels between chunks, the second exits at once (resumable).

    Under live bars the first one's message is said outside the handler (`tell`, by the main loop or the next
    event, whichever comes first), after the bars are cleared: written by the handler, it landed under the bars
    and their next redraw erased it, leaving stale bars.
    """

    def __init__(self, session: UploadSession, clear_bars: Callable[[], None] | None) -> None:
        self.session = session
        self.clear_bars = clear_bars
        self.count = 0
        self._previous: Any = None
        self._first_at: float | None = None
        self._cut_off = False
        self._untold = False  # the first Ctrl-C's message is still to be said (under bars only)
        self._telling = threading.Lock()

    def tell(self) -> None:
        """The first Ctrl-C's message, once, the bars cleared first; never from the signal handler, which may have
        interrupted the very thread that holds rich's lock."""
        if not self._untold or self.clear_bars is None:
            return
        with self._telling:
            if self._untold:
                self.clear_bars()
                say(CANCELLING, err=True)
                self._untold = False

    def cut_off_if_stuck(self) -> bool:
        """ABORT_AFTER seconds after the first Ctrl-C, requests still in flight (a server that hangs) are cut off.

        A chunk cut off is sent again on resume; a completion cut off is reported as unknown, never resent.
        True when it cut them off just now.
        """
        if self._first_at is None or self._cut_off or time.monotonic() - self._first_at < ABORT_AFTER:
            return False
        self._cut_off = True
        self.session.client.abort()
        return True

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
        if self.count == 1:
            self._first_at = time.monotonic()
            if self.clear_bars is not None:
                self._untold = True  # before the cancel: the events it brings come after the message
            else:  # plain lines: said at once, off the line the terminal echoed ^C on
                os.write(2, f"\n{CANCELLING}\n".encode())
            self.session.cancel()
            return
        if self._untold:  # the bars are still up (the main loop had no turn since the first)
            os.write(2, b"\x1b[?25h\n")  # the bars hid the cursor; below them
        os.write(2, b"mediatui: stopped; everything unfinished stays resumable (mediatui upload --resume)\n")
        os._exit(130)

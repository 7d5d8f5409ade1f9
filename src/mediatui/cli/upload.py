"""`mediatui upload`: pre-flight, the engine in a thread, progress, a summary, and an honest exit code."""

from __future__ import annotations

import argparse
import json
import sys
import threading

from mediatui.api import InvalidInput, MediaClient
from mediatui.upload import (
    Completed, CompletionUnknown, Event, Journal, PreflightError, UploadEngine, UploadItem, check_files,
    resumable, unknown_completions,
)
from mediatui.upload import journal as J
from mediatui.upload.console import BarReporter, LineReporter, describe
from mediatui.cli.common import connection_flags, make_client, remember


def add_parsers(sub) -> None:
    p = sub.add_parser("upload", help="upload images and PDF documents (chunked, resumable)")
    connection_flags(p)
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--type", choices=["image", "doc", "eimage"], help="default: from the file (eimage only when asked)")
    p.add_argument("--jobs", type=int, default=3, help="files at once (default 3)")
    p.add_argument("--chunk-size", type=int, default=204800, metavar="BYTES")
    p.add_argument("--json", action="store_true", help="print each created media as JSON on stdout")
    p.add_argument("--resume", action="store_true", help="go on with the unfinished uploads of the journal")
    p.add_argument("--recomplete", metavar="UPLOAD_ID", help="complete an upload whose completion is unknown, "
                   "if the server still has it open")
    p.add_argument("--forget", metavar="UPLOAD_ID", help="drop an upload from the journal")
    p.set_defaults(handler=lambda args: run_upload(args, make_client(args)))


def run_upload(args: argparse.Namespace, client: MediaClient) -> int:
    if args.jobs < 1 or args.chunk_size < 1:
        raise InvalidInput("--jobs and --chunk-size must be at least 1")
    with client, Journal.for_server(client.base_url) as journal:
        journal.prune()
        if args.forget:
            return _forget(journal, args.forget)
        if args.recomplete:
            items = _recomplete_items(journal, args.recomplete)
        elif args.resume:
            items = _resume_items(journal)
        elif args.paths:
            try:
                items = check_files(args.paths, args.type)
            except PreflightError as exc:
                for path, why in exc.problems:
                    print(f"mediatui: {path}: {why}", file=sys.stderr)
                print("mediatui: nothing was sent.", file=sys.stderr)
                return 2
        else:
            raise InvalidInput("name the files to upload, or use --resume")
        if not items:
            print("mediatui: nothing to upload.", file=sys.stderr)
            return 0
        return _upload(args, client, journal, items)


def _upload(args: argparse.Namespace, client: MediaClient, journal: Journal, items: list[UploadItem]) -> int:
    live = sys.stderr.isatty() and not args.json
    reporter = BarReporter(sum(i.size for i in items)) if live else LineReporter(sys.stderr if args.json else sys.stdout)
    results: list[Event] = []

    def on_event(event: Event) -> None:
        reporter(event)
        if args.json and isinstance(event, Completed):
            print(json.dumps(event.media.to_json(), ensure_ascii=False), flush=True)

    engine = UploadEngine(client, journal=journal, jobs=args.jobs, chunk_size=args.chunk_size, on_event=on_event)
    worker = threading.Thread(target=lambda: results.extend(engine.run(items)), name="uploads")
    interrupted = False
    with reporter:
        worker.start()
        while worker.is_alive():
            try:
                worker.join(0.2)
            except KeyboardInterrupt:  # first Ctrl-C: stop between chunks, keep everything resumable
                interrupted = True
                engine.cancel()
    remember(client.base_url, *(e.media for e in results if isinstance(e, Completed)))
    if len(results) != len(items):  # the engine itself failed: never report that as success
        print(f"mediatui: the upload stopped unexpectedly; {len(items) - len(results)} file(s) have no result. "
              "Go on with: mediatui upload --resume", file=sys.stderr)
        return 1
    return _summary(results, interrupted)


def _summary(results: list[Event], interrupted: bool) -> int:
    done = [e for e in results if isinstance(e, Completed)]
    others = [e for e in results if not isinstance(e, Completed)]
    print(f"mediatui: {len(done)} of {len(results)} uploaded.", file=sys.stderr)
    for event in others:
        print(f"  {describe(event)}", file=sys.stderr)
        if isinstance(event, CompletionUnknown):
            print(f"    The media may exist. Look for it (mediatui list --search {event.item.name!r}). If it is not\n"
                  f"    there: mediatui upload --recomplete {event.upload_id}; if it is: "
                  f"mediatui upload --forget {event.upload_id}", file=sys.stderr)
    if others and not interrupted:
        print("  Unfinished uploads go on with: mediatui upload --resume", file=sys.stderr)
    if interrupted:
        print("mediatui: cancelled; go on later with: mediatui upload --resume", file=sys.stderr)
        return 130
    return 0 if not others else 1


def _resume_items(journal: Journal) -> list[UploadItem]:
    items, problems = resumable(journal)
    for entry, why in problems:
        print(f"mediatui: not resumed: {entry.path}: {why}", file=sys.stderr)
    for entry in unknown_completions(journal):
        print(f"mediatui: completion unknown: {entry.path} (upload {entry.upload_id}): {entry.error}. "
              f"Check the community, then --recomplete or --forget it.", file=sys.stderr)
    return items


def _recomplete_items(journal: Journal, upload_id: str) -> list[UploadItem]:
    entry = journal.find_upload(upload_id)
    if entry is None or entry.state != J.COMPLETION_UNKNOWN:
        raise InvalidInput(f"no upload {upload_id} with an unknown completion in the journal")
    # The engine completes it only if the server still has the upload open; a blind resend could only
    # duplicate the media or be refused.
    entry.state, entry.offset = J.COMPLETING, entry.size
    journal.save(entry)
    items, _ = resumable(journal)
    return [i for i in items if i.key == entry.key]


def _forget(journal: Journal, upload_id: str) -> int:
    entry = journal.find_upload(upload_id) or journal.get(upload_id)
    if entry is None or not journal.forget(entry.key):
        raise InvalidInput(f"no upload {upload_id} in the journal")
    print(f"mediatui: forgot {entry.path} (upload {upload_id})", file=sys.stderr)
    return 0

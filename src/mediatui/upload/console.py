"""How `mediatui upload` shows progress: live bars on a terminal, one plain line per event otherwise.

Rich is used for the bars (no Textual). File names are local but may hold
brackets: they are never parsed as markup.
"""

from __future__ import annotations

import shlex
import sys
import threading
from typing import TextIO

import humanize
from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, Task, TaskID, TextColumn
from rich.text import Text

from mediatui.sanitize import inert
from mediatui.upload.events import (
    CHECK_ACCESS,
    FIX_FILE,
    RESUME,
    START_AGAIN,
    Cancelled,
    Completed,
    CompletionUnknown,
    Event,
    Failed,
    Queued,
    RateMeter,
    Retrying,
    Started,
    Warned,
)
from mediatui.upload.events import (
    Progress as ProgressEvent,
)


def size(n: float) -> str:
    return humanize.naturalsize(n, binary=False)


def eta(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    return (
        f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        if seconds >= 3600
        else f"{seconds // 60}:{seconds % 60:02d}"
    )


def describe(event: Event) -> str:
    """One line of plain text for an event, made inert (file names and server words are untrusted)."""
    return inert(_describe(event))


def _describe(event: Event) -> str:
    name = event.item.name
    match event:
        case Queued():
            return f"queued     {name} ({size(event.item.size)}, {event.item.type})"
        case Started(resumed_from=done) if done:
            return f"resuming   {name} from {size(done)}"
        case Started():
            return f"started    {name}"
        case ProgressEvent(bytes_done=done, total=total, speed=speed, eta=left):
            rate = f"{size(speed)}/s" if speed else "-"
            return f"progress   {name} {done * 100 // max(total, 1)}% {size(done)}/{size(total)} {rate} eta {eta(left)}"
        case Retrying(attempt=attempt, delay=delay, reason=reason):
            return f"retrying   {name} (attempt {attempt}, in {delay:.1f}s): {reason}"
        case Completed(media=media):
            return f"completed  {name} → media {media.id}"
        case Failed():
            return f"failed     {name}: {event.reason}"
        case Cancelled(bytes_done=done):
            return f"cancelled  {name} at {size(done)} (resumable)"
        case CompletionUnknown(upload_id=upload_id, reason=reason):
            return f"unknown    {name} (upload {upload_id}): {reason}"
        case Warned(message=message):
            return f"warning    {name}: {message}"
    return f"{type(event).__name__.lower()} {name}"


def next_step(event: Failed) -> str:
    """What to do after a failure, in the CLI's words (inert: the path is the user's, the rest ours)."""
    again = f"mediatui upload {shlex.quote(str(event.item.path))}"
    steps = {
        RESUME: "go on with: mediatui upload --resume",
        START_AGAIN: f"upload it again as it is now: {again}",
        FIX_FILE: f"fix the file, then: {again}",
        CHECK_ACCESS: "check the token and its rights (MEDIATUI_TOKEN or the profile), then: mediatui upload --resume",
    }
    return inert(steps[event.next])


class LineReporter:
    """One line per event, for logs and pipes."""

    def __init__(self, out: TextIO = sys.stdout) -> None:
        self.out = out
        self._lock = threading.Lock()

    def __call__(self, event: Event) -> None:
        with self._lock:
            print(describe(event), file=self.out, flush=True)

    def __enter__(self) -> LineReporter:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class _BytesColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{size(task.completed)}/{size(task.total or 0)}", style="progress.download")


class _SpeedEtaColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.fields.get("speed")
        left = task.fields.get("eta")
        return Text(f"{size(speed) + '/s' if speed else '-':>10} eta {eta(left)}", style="progress.data.speed")


class BarReporter:
    """Live bars per file and overall, redrawn at most 10 times a second."""

    def __init__(self, total_bytes: int, stream: TextIO = sys.stderr) -> None:
        self.console = Console(file=stream)
        self.progress = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            _BytesColumn(),
            _SpeedEtaColumn(),
            console=self.console,
            refresh_per_second=10,
        )
        self.overall = self.progress.add_task("all files", total=total_bytes)
        self._overall_rate = RateMeter(total_bytes)
        self._overall_done = 0
        self._tasks: dict[str, TaskID] = {}
        self._done: dict[str, int] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> BarReporter:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def clear(self) -> None:
        """Take the bars off the screen for good, so that what is printed next stands alone: a line printed
        under live bars is erased by their next redraw. Later events print as lines, without bars."""
        with self._lock:
            self.progress.live.transient = True
            self.progress.stop()

    def __call__(self, event: Event) -> None:
        with self._lock:
            key = event.item.key
            if isinstance(event, Queued):
                self._tasks[key] = self.progress.add_task(inert(event.item.name), total=event.item.size)
                self._done[key] = 0
            elif isinstance(event, (Started, ProgressEvent)):
                done = event.resumed_from if isinstance(event, Started) else event.bytes_done
                if isinstance(event, ProgressEvent):
                    self.progress.update(self._tasks[key], completed=done, speed=event.speed, eta=event.eta)
                else:
                    self.progress.update(self._tasks[key], completed=done)
                self._overall_done += done - self._done[key]
                self._done[key] = done
                speed, left = self._overall_rate.add(self._overall_done)
                self.progress.update(self.overall, completed=self._overall_done, speed=speed, eta=left)
            elif isinstance(event, Completed):
                self.progress.update(self._tasks[key], completed=event.item.size, eta=0)
            else:
                self.progress.console.print(Text(describe(event)))

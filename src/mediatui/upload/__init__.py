"""The chunked-upload engine and its resume journal. No Textual here: the CLI and the TUI share it."""

from mediatui.upload.engine import UploadEngine
from mediatui.upload.events import (
    Cancelled, Completed, CompletionUnknown, Event, Failed, Progress, Queued, Retrying, Started,
)
from mediatui.upload.journal import Journal
from mediatui.upload.preflight import Limits, PreflightError, UploadItem, check_file, check_files
from mediatui.upload.resume import resumable, unknown_completions
from mediatui.api.retry import RetryPolicy

__all__ = [
    "UploadEngine", "Cancelled", "Completed", "CompletionUnknown", "Event", "Failed", "Progress",
    "Queued", "Retrying", "Started", "Journal", "Limits", "PreflightError", "UploadItem", "check_file",
    "check_files", "resumable", "unknown_completions", "RetryPolicy",
]

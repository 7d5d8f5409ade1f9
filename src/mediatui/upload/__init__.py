"""The chunked-upload engine, its resume journal and the session that plans and runs uploads.

No Textual here: the CLI and the TUI share all of it.
"""

from mediatui.api.retry import RetryPolicy
from mediatui.upload.engine import UploadEngine
from mediatui.upload.events import (
    Cancelled,
    Completed,
    CompletionUnknown,
    Event,
    Failed,
    Progress,
    Queued,
    Retrying,
    Started,
    Warned,
)
from mediatui.upload.journal import Journal
from mediatui.upload.preflight import Limits, PreflightError, UploadItem, check_file, check_files
from mediatui.upload.resume import resumable, unknown_completions
from mediatui.upload.session import Plan, Skipped, UploadSession

__all__ = [
    "UploadEngine", "Cancelled", "Completed", "CompletionUnknown", "Event", "Failed", "Progress",
    "Queued", "Retrying", "Started", "Warned", "Journal", "Limits", "PreflightError", "UploadItem", "check_file",
    "check_files", "resumable", "unknown_completions", "RetryPolicy", "Plan", "Skipped", "UploadSession",
]

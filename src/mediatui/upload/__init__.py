"""The chunked-upload engine, its resume journal and the session that plans and runs uploads.

No Textual here: the CLI and the TUI share all of it. The names below load on
first use (PEP 562): the TUI imports `mediatui.upload.board` and friends at
start, and the engine would bring httpx and SQLite onto the main thread
before the first paint (~80 ms of a ~300 ms start).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_WHERE = {
    "RetryPolicy": "mediatui.api.retry",
    "UploadEngine": "mediatui.upload.engine",
    **dict.fromkeys(
        [
            "Cancelled",
            "Completed",
            "CompletionUnknown",
            "Event",
            "Failed",
            "Progress",
            "Queued",
            "Retrying",
            "Started",
            "Warned",
        ],
        "mediatui.upload.events",
    ),
    "Journal": "mediatui.upload.journal",
    **dict.fromkeys(
        ["Limits", "PreflightError", "UploadItem", "check_file", "check_files"], "mediatui.upload.preflight"
    ),
    **dict.fromkeys(["resumable", "unknown_completions"], "mediatui.upload.resume"),
    **dict.fromkeys(["Plan", "Skipped", "UploadSession"], "mediatui.upload.session"),
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'mediatui.upload' has no attribute {name!r}")
    value = getattr(import_module(where), name)
    globals()[name] = value  # once
    return value


__all__ = [
    "UploadEngine",
    "Cancelled",
    "Completed",
    "CompletionUnknown",
    "Event",
    "Failed",
    "Progress",
    "Queued",
    "Retrying",
    "Started",
    "Warned",
    "Journal",
    "Limits",
    "PreflightError",
    "UploadItem",
    "check_file",
    "check_files",
    "resumable",
    "unknown_completions",
    "RetryPolicy",
    "Plan",
    "Skipped",
    "UploadSession",
]

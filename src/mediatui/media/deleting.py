"""What deleting one media came to, the same in the CLI and the TUI: 404 is "already gone", 403 says whose it is.

Why one rule: a deletion whose answer was lost and that is asked again gets a
404, and the media is gone all the same; a script and a moderator must read
the same outcome in the same words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from mediatui.api import ApiError, Forbidden, NotFound
from mediatui.api.errors import error_line
from mediatui.sanitize import inert


@dataclass(frozen=True, slots=True)
class DeleteOutcome:
    media_id: int
    kind: Literal["deleted", "already gone", "not deleted"]
    message: str  # "deleted", "already gone", or "not deleted: why"
    status: int | None = None  # the server's status when it refused; None for a network failure (it may have)

    @property
    def removed(self) -> bool:
        """The server confirmed it is gone (deleted now, or already)."""
        return self.kind != "not deleted"


def delete_one(
    delete: Callable[[int], None], media_id: int, describe: Callable[[BaseException], str] = error_line
) -> DeleteOutcome:
    """Delete and say what happened, in words (inert). `describe` words an API error for where it is shown."""
    try:
        delete(media_id)
    except NotFound:
        return DeleteOutcome(media_id, "already gone", "already gone")
    except Forbidden:
        return DeleteOutcome(media_id, "not deleted", "not deleted: only the media's creator may delete it (403)", 403)
    except ApiError as exc:
        return DeleteOutcome(media_id, "not deleted", f"not deleted: {describe(exc)}", exc.status)
    except Exception as exc:  # noqa: BLE001 - a bug must never leave a dialog hanging or a script without an answer
        return DeleteOutcome(media_id, "not deleted", f"not deleted: unexpected error {inert(repr(exc), limit=200)}")
    return DeleteOutcome(media_id, "deleted", "deleted")


def delete_retried(
    delete: Callable[[int], None],
    media_id: int,
    on_retry: Callable[[int, float, ApiError], None] | None = None,
) -> DeleteOutcome:
    """`delete_one` with the retries of a read (a DELETE is idempotent). A 404 that answers a retry of our own
    means the first try deleted it (its answer was lost): that is "deleted", not "already gone"."""
    from mediatui.api.retry import READ_POLICY, call_with_retries

    tries = 0

    def once() -> None:
        nonlocal tries
        tries += 1
        delete(media_id)

    outcome = delete_one(lambda _: call_with_retries(once, READ_POLICY, on_retry=on_retry), media_id)
    if outcome.kind == "already gone" and tries > 1:
        return DeleteOutcome(media_id, "deleted", "deleted (a retry found it gone: the first try deleted it)")
    return outcome


def history_fields(outcome: DeleteOutcome, before: dict[str, Any] | None) -> dict[str, Any] | None:
    """How the history records a delete (its History.add fields), or None for one that changed nothing here
    ("already gone": someone else's delete). A refusal is "failed" with its status; a network failure
    "unknown" (the DELETE may have reached the server)."""
    if outcome.kind == "already gone":
        return None
    if outcome.kind == "deleted":
        return {"before": before, "outcome": "done"}
    kind = "failed" if outcome.status is not None and outcome.status < 500 else "unknown"  # a 5xx may have done it
    return {"before": before, "outcome": kind, "status": outcome.status, "message": outcome.message}

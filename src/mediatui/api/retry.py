"""When to try again: capped exponential backoff with full jitter, honouring Retry-After.

The upload engine retries chunks with it; reads (GET, list pages) and the
idempotent writes (PUT, PATCH, DELETE) go through `call_with_retries`. A
POST that may have reached the server is never retried: a create retries
only what surely never reached it (saving.create).
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from mediatui.api.errors import ApiError, RateLimited, ServerError, TransportError

T = TypeVar("T")
log = logging.getLogger("mediatui.retry")


def retry_said(why: str, attempt: int, delay: float) -> str:
    """How a retry is told, the same on the command line, the list's status line and the forms."""
    return f"{why}; retrying in {delay:.1f} s (retry {attempt})"


@dataclass(slots=True)
class RetryPolicy:
    base: float = 0.5
    cap: float = 30.0
    max_attempts: int = 8  # per step (one chunk, one completion) before the item fails
    max_retry_after: float = 300.0
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds before attempt number `attempt` (1 = the first retry)."""
        if retry_after is not None:
            wait = min(retry_after, self.max_retry_after)
        else:
            wait = self.rng.uniform(0, min(self.cap, self.base * 2 ** (attempt - 1)))
        log.info("retry %d in %.2f s%s", attempt, wait, " (Retry-After)" if retry_after is not None else "")
        return wait


#: For a person waiting on a read: a few quick tries, then say what failed.
READ_POLICY = RetryPolicy(base=0.4, cap=4.0, max_attempts=3, max_retry_after=10.0)


def is_transient(exc: ApiError) -> bool:
    """Network failures, 5xx and 429 may pass; 4xx will not."""
    return isinstance(exc, (TransportError, ServerError, RateLimited))


def retry_after(exc: ApiError) -> float | None:
    return exc.retry_after if isinstance(exc, RateLimited) else None


def call_with_retries(
    call: Callable[[], T],
    policy: RetryPolicy = READ_POLICY,
    *,
    on_retry: Callable[[int, float, ApiError], None] | None = None,
    stop: threading.Event | None = None,
    retryable: Callable[[ApiError], bool] = is_transient,
) -> T:
    """Run a request, retrying the failures `retryable` allows with backoff.

    `on_retry(attempt, delay, error)` is told before each wait. Setting `stop`
    ends the wait at once and raises the last error. With the default, only for
    requests that are safe to repeat: GET, PUT, PATCH, DELETE (a POST passes a
    narrower `retryable`: saving.create).
    """
    attempt = 0
    while True:
        try:
            return call()
        except ApiError as exc:
            attempt += 1
            if not retryable(exc) or attempt > policy.max_attempts:
                log.info("not retried (attempt %d): %s", attempt, type(exc).__name__)
                raise
            delay = policy.delay(attempt, retry_after(exc))
            if on_retry is not None:
                on_retry(attempt, delay, exc)
            if (stop or threading.Event()).wait(delay):
                raise

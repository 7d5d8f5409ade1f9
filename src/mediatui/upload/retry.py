"""When to try again: capped exponential backoff with full jitter, honouring Retry-After."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from mediatui.api import ApiError, RateLimited, ServerError, TransportError


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
            return min(retry_after, self.max_retry_after)
        return self.rng.uniform(0, min(self.cap, self.base * 2 ** (attempt - 1)))


def is_transient(exc: ApiError) -> bool:
    """Network failures, 5xx and 429 may pass; 4xx will not."""
    return isinstance(exc, (TransportError, ServerError, RateLimited))


def retry_after(exc: ApiError) -> float | None:
    return exc.retry_after if isinstance(exc, RateLimited) else None

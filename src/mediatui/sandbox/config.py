"""Settings of the sandbox server: users, limits and faults to inject."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

DEFAULT_TOKEN = "sandbox-token"
DEFAULT_USER = "moderator"
#: Owner of some seeded media, so that edit/delete show the real API's 403.
OTHER_USER = "someone-else"


@dataclass(slots=True)
class Faults:
    """Faults injected into /api/ requests (and the latency into files too, when asked), all off by default."""

    latency_ms: float = 0.0
    latency_files: bool = False  # the latency holds files (/media/...) too, as a laggy link would (the command's)
    fail_rate: float = 0.0  # answer 500 or 503 instead of handling the request
    drop_rate: float = 0.0  # close the connection before the request is handled
    lose_rate: float = 0.0  # handle the request, then close the connection unanswered
    throttle_rate: float = 0.0  # answer 429 with Retry-After
    only_path: str | None = None  # inject only into requests whose path contains this
    only_method: str | None = None  # inject only into requests of this method (e.g. "POST")
    fail_next: int = 0  # answer the next N (matching) requests 503, then handle them normally
    seed: int | None = None  # for the random draws; None = unpredictable
    #: Not a setting: how many requests matched only_path and only_method so far (what a test counts).
    matched: int = field(default=0, compare=False, repr=False)
    #: Not a setting: the latency (ms) of each request being held right now, so that a test can act while one hangs.
    held: list[float] = field(default_factory=list, compare=False, repr=False)
    #: Not a setting: set, it ends the latency of every request held now or later (a test's "answer now"; it
    #: stays set until cleared).
    release: threading.Event = field(default_factory=threading.Event, compare=False, repr=False)


@dataclass(slots=True)
class SandboxConfig:
    data_dir: Path
    users: dict[str, str] = field(default_factory=lambda: {DEFAULT_TOKEN: DEFAULT_USER})  # token -> user
    seed: int = 0  # media to seed into an empty store
    seed_epoch: datetime | None = None  # when the newest seeded media was added; None = the fixed SEED_EPOCH
    expire_seconds: float = 86400.0
    max_chunk: int = 204800
    max_image: int = 5 * 1024 * 1024
    max_document: int = 50 * 1024 * 1024
    listing: bool = True  # offer GET /api/v2/media/ (the public API has none)
    public_url: str | None = None  # file URLs start with this, not the request's host:port (stable screenshots)
    faults: Faults = field(default_factory=Faults)


def parse_tokens(values: list[str] | None) -> dict[str, str]:
    """`TOKEN` or `NAME:TOKEN` items into {token: user}; the first bare token is the moderator."""
    if not values:
        return {DEFAULT_TOKEN: DEFAULT_USER}
    users: dict[str, str] = {}
    for value in values:
        name, sep, token = value.partition(":")
        if not sep:
            name, token = DEFAULT_USER, value
        if not name or not token:
            raise ValueError(f"--token takes TOKEN or NAME:TOKEN, not {value!r}")
        users[token] = name
    return users

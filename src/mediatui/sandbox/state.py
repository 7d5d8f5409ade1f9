"""What the sandbox's request handlers share, and the errors they raise."""

from __future__ import annotations

import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.requests import Request

from mediatui._compat import UTC
from mediatui.sandbox.config import SandboxConfig
from mediatui.sandbox.store import Store

MEDIA_URL_PREFIX = "/media/"


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """A write request as the sandbox received it, for tests that check what a client sent."""

    method: str
    path: str
    body: Any


class HttpError(Exception):
    """An error answer: a DRF JSON body, or an HTML page like Django's."""

    def __init__(
        self,
        status: int,
        body: dict[str, Any] | None = None,
        *,
        html: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.html = html
        self.headers = headers or {}


@dataclass
class Sandbox:
    config: SandboxConfig
    store: Store
    clock: Callable[[], float] = time.time
    files_dir: Path = field(init=False)
    partial_dir: Path = field(init=False)
    #: Every media write (POST, PUT, PATCH) with its parsed body, newest last; the last 1000 are kept.
    request_log: deque[LoggedRequest] = field(default_factory=lambda: deque(maxlen=1000))

    def __post_init__(self) -> None:
        self.files_dir = self.config.data_dir / "files"
        self.partial_dir = self.config.data_dir / "partial"
        self.files_dir.mkdir(parents=True, exist_ok=True)
        self.partial_dir.mkdir(parents=True, exist_ok=True)

    def user(self, request: Request) -> str:
        """The user behind the Bearer token, or a 401 like DRF's."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        challenge = {"WWW-Authenticate": 'Bearer realm="api"'}
        if scheme.lower() != "bearer" or not token.strip():
            raise HttpError(401, {"detail": "Authentication credentials were not provided."}, headers=challenge)
        user = self.config.users.get(token.strip())
        if user is None:
            raise HttpError(401, {"detail": "Invalid token."}, headers=challenge)
        return user

    def log(self, request: Request, body: Any) -> None:
        self.request_log.append(LoggedRequest(request.method, request.url.path, body))

    def now_iso(self) -> str:
        return datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")

    def new_hash(self) -> str:
        return str(uuid.uuid4())


def base_url(request: Any) -> str:
    """Where files are served, as the API shows it: the configured public URL, else the request's host."""
    return request.app.state.sandbox.config.public_url or str(request.base_url)


def public(data: dict[str, Any], base_url: str) -> dict[str, Any]:
    """A stored media as the API shows it: file paths become absolute URLs, and a media with an embed has the
    nested object beside the flat fields (SCEmbedType: id, embed_type, embed_id, url, metadata)."""
    out = dict(data)
    absolute = lambda value: base_url.rstrip("/") + value if value.startswith(MEDIA_URL_PREFIX) else value  # noqa: E731
    for name in ("image", "url"):
        if isinstance(out.get(name), str):
            out[name] = absolute(out[name])
    thumb = out.get("image_thumbnail")
    if isinstance(thumb, dict) and isinstance(thumb.get("url"), str):
        out["image_thumbnail"] = {**thumb, "url": absolute(thumb["url"])}
    kept = out.pop("embed", None)
    if out.get("embed_type"):
        kept = kept if isinstance(kept, dict) else {}
        out["embed"] = {
            "id": kept.get("id", out.get("id")),
            "embed_type": out["embed_type"],
            "embed_id": out.get("embed_id"),
            "url": kept.get("url"),
            "metadata": kept.get("metadata") or {},
        }
    return out


#: What a Django server (DEBUG off) answers for a route it does not have; DRF's JSON is for a missing object.
DJANGO_404 = (
    '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n'
    "  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n"
)

"""Sending what a form built: PATCH/PUT retried like reads, POST never resent blindly.

PATCH and PUT are idempotent: sending the same body twice leaves the media
as sending it once, so 5xx, 429 and transport failures are retried with the
read policy (`call_with_retries`). A create is not: if its answer may have
been lost after the server handled it, sending it again could make a second
media. Then, on a server with a list, the newest media of that type are
looked through for it; either way nothing is sent again by itself.
No Textual here: the form screens and the CLI share it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from mediatui._compat import UTC
from mediatui.api import ApiError, ListingUnsupported, Media, RateLimited, ServerError, TransportError
from mediatui.api.retry import READ_POLICY, RetryPolicy, call_with_retries

if TYPE_CHECKING:
    from mediatui.api import MediaClient

OnRetry = Callable[[int, float, ApiError], None]
LOOK_BACK = 20  # newest media of the type looked through after a lost create
CLOCK_SKEW = timedelta(minutes=5)  # a match older than the create, by more than this, is another media


class CreateUnknown(ApiError):
    """The create may have reached the server and its answer was lost: it was not sent again.

    `found` is a media matching the request that the server's list shows (added
    after the request went out), or None when there is no list or no match.
    """

    def __init__(self, message: str, found: Media | None, cause: ApiError) -> None:
        super().__init__(cause.status, message)
        self.found = found
        self.cause = cause


def save(
    client: MediaClient,
    media_id: int,
    body: dict[str, Any],
    *,
    put: bool = False,
    on_retry: OnRetry | None = None,
    stop: threading.Event | None = None,
    policy: RetryPolicy = READ_POLICY,
) -> Media:
    """PATCH (or PUT) the body, retrying transient failures; the server's answer."""
    if put:
        return call_with_retries(lambda: client.update(media_id, body), policy, on_retry=on_retry, stop=stop)
    return call_with_retries(lambda: client.patch(media_id, body), policy, on_retry=on_retry, stop=stop)


def read_again(
    client: MediaClient,
    media_id: int,
    *,
    on_retry: OnRetry | None = None,
    stop: threading.Event | None = None,
    policy: RetryPolicy = READ_POLICY,
) -> Media:
    """GET the media just before a write (mediatui.media.conflicts decides what to send), retried like a read."""
    return call_with_retries(lambda: client.get(media_id), policy, on_retry=on_retry, stop=stop)


def create(
    client: MediaClient,
    body: dict[str, Any],
    *,
    on_retry: OnRetry | None = None,
    stop: threading.Event | None = None,
    policy: RetryPolicy = READ_POLICY,
) -> Media:
    """POST a new media. Retried only when the server surely did not handle it (never connected, or 429).

    Raises CreateUnknown when it may have been created (answer lost, or a 5xx).
    """
    fields = dict(body)
    kind = fields.pop("type")
    started = datetime.now(UTC)
    try:
        return call_with_retries(
            lambda: client.create(kind, **fields), policy, on_retry=on_retry, stop=stop, retryable=never_handled
        )
    except TransportError as exc:
        if exc.never_sent:  # retried until given up: surely not created
            raise
        raise _unknown(client, body, started, exc) from None
    except ServerError as exc:
        raise _unknown(client, body, started, exc) from None


def never_handled(exc: ApiError) -> bool:
    """A POST may be sent again only when the server surely did not handle it: 429, or never connected."""
    return isinstance(exc, RateLimited) or (isinstance(exc, TransportError) and exc.never_sent)


def _unknown(client: MediaClient, body: dict[str, Any], started: datetime, cause: ApiError) -> CreateUnknown:
    found = find_created(client, body, started)
    why = cause.message if isinstance(cause, TransportError) else f"the server failed: {cause.message}"
    if found is not None:
        return CreateUnknown(
            f"The answer was lost ({why}), but the server's list shows a matching media "
            f"#{found.id}: it was created. Nothing was sent again.",
            found,
            cause,
        )
    return CreateUnknown(
        f"The media may have been created: the answer was lost ({why}). It was not sent "
        "again; look for it in the list (r reloads) before creating it again.",
        None,
        cause,
    )


def find_created(client: MediaClient, body: dict[str, Any], started: datetime) -> Media | None:
    """The newest media of the body's type with the same URL (or embed), added since the request; else None."""
    try:
        page = client.list(limit=LOOK_BACK, type=body.get("type"))
    except (ListingUnsupported, ApiError):
        return None
    for media in page.results:
        if media.added_at is not None and media.added_at < started - CLOCK_SKEW:
            continue
        if body.get("url") and media.url == body["url"]:
            return media
        if body.get("embed_id") and (media.embed_type, media.embed_id) == (body.get("embed_type"), body["embed_id"]):
            return media
    return None

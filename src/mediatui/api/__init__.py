"""The media API: client, models, enums and errors. No Textual here."""

from typing import TYPE_CHECKING, Any

from mediatui.api.enums import CREATE_TYPES, UPLOAD_TYPES, MediaType, OEmbedType
from mediatui.api.errors import (
    ApiError,
    AuthError,
    BadRequest,
    Forbidden,
    Gone,
    InvalidInput,
    ListingUnsupported,
    NotFound,
    NotTheApi,
    OffsetMismatch,
    RateLimited,
    ServerError,
    TransportError,
)
from mediatui.api.models import MAX_CHUNK, ChunkStatus, Media, Page, Thumbnail

if TYPE_CHECKING:
    from mediatui.api.client import MediaClient, ServerStatus, normalize_base_url

_CLIENT_NAMES = {"MediaClient", "ServerStatus", "normalize_base_url"}


def __getattr__(name: str) -> Any:
    """The client (and httpx under it) loads on first use, so the TUI paints without waiting for it."""
    if name in _CLIENT_NAMES:
        from mediatui.api import client

        return getattr(client, name)
    raise AttributeError(f"module 'mediatui.api' has no attribute {name!r}")


__all__ = [
    "Thumbnail",
    "MAX_CHUNK",
    "MediaClient",
    "ServerStatus",
    "normalize_base_url",
    "CREATE_TYPES",
    "UPLOAD_TYPES",
    "MediaType",
    "OEmbedType",
    "ApiError",
    "AuthError",
    "BadRequest",
    "Forbidden",
    "Gone",
    "InvalidInput",
    "ListingUnsupported",
    "NotFound",
    "NotTheApi",
    "OffsetMismatch",
    "RateLimited",
    "ServerError",
    "TransportError",
    "ChunkStatus",
    "Media",
    "Page",
]

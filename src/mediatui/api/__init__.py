"""The media API: client, models, enums and errors. No Textual here."""

from mediatui.api.client import MAX_CHUNK, MediaClient, ServerStatus, normalize_base_url
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
    OffsetMismatch,
    RateLimited,
    ServerError,
    TransportError,
)
from mediatui.api.models import ChunkStatus, Media, Page

__all__ = [
    "MAX_CHUNK", "MediaClient", "ServerStatus", "normalize_base_url",
    "CREATE_TYPES", "UPLOAD_TYPES", "MediaType", "OEmbedType",
    "ApiError", "AuthError", "BadRequest", "Forbidden", "Gone", "InvalidInput",
    "ListingUnsupported", "NotFound", "OffsetMismatch", "RateLimited", "ServerError",
    "TransportError", "ChunkStatus", "Media", "Page",
]

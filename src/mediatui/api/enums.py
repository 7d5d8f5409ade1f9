"""Enumerations of the media API, with their exact wire values."""

from __future__ import annotations

from mediatui._compat import StrEnum


class MediaType(StrEnum):
    VIMEO = "vimeo"
    URL = "url"
    EMBED = "embed"
    IMAGE = "image"
    EIMAGE = "eimage"
    DOC = "doc"
    SHARE = "share"  # only in the public docs, never created by this tool


class OEmbedType(StrEnum):
    LINK = "link"
    PHOTO = "photo"
    RICH = "rich"
    VIDEO = "video"


#: Types that POST /api/v2/media/ creates.
CREATE_TYPES = (MediaType.VIMEO, MediaType.URL, MediaType.EMBED)
#: Types that POST /api/v2/media/upload/complete/ accepts.
UPLOAD_TYPES = (MediaType.IMAGE, MediaType.DOC, MediaType.EIMAGE)


def parse_enum(enum: type[StrEnum], value: object) -> StrEnum | str | None:
    """The enum member for a wire value; an unknown value is kept as a plain str."""
    if value is None:
        return None
    try:
        return enum(str(value)) if isinstance(value, str) else str(value)
    except ValueError:
        return str(value)

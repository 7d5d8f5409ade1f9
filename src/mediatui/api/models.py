"""Typed models of what the media API returns.

The server is lenient in what it sends: fields may be missing, null, of a
newer shape (the docs' nested `embed`), or new altogether. Parsing never fails
on that; unknown fields are kept in `extra` and written back by `to_json`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from mediatui._compat import UTC, fromisoformat
from mediatui.api.enums import MediaType, OEmbedType, parse_enum


@dataclass(slots=True)
class Media:
    id: int | None = None
    hash_code: str | None = None
    added_at: datetime | None = None
    type: MediaType | str | None = None
    title: str | None = None
    description: str | None = None
    url: str | None = None
    keywords: str | None = None
    entities: str | None = None
    size: int | None = None  # bytes of the file (SCMediaType; uploaded media)
    mimetype: str | None = None
    image: str | None = None
    image_width: int | None = None
    image_height: int | None = None
    image_mimetype: str | None = None
    image_thumbnail: dict[str, Any] | None = None  # as it came; `thumbnail` reads it
    oembed_type: OEmbedType | str | None = None
    oembed_url: str | None = None
    oembed_width: int | None = None
    oembed_height: int | None = None
    oembed_duration: int | None = None
    oembed_html: str | None = None
    oembed_preview_ready: bool | None = None
    oembed_available: bool | None = None
    order: int | None = None
    choice_images: list[Any] | None = None
    embed_type: str | None = None
    embed_id: str | None = None
    embed: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: Known fields the server's answer did not hold: written back by neither to_json nor a PUT (absent is not
    #: null: the server keeps its own value then), whatever was read into them for the screen.
    absent: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Media:
        if not isinstance(data, dict):
            raise TypeError(f"a media object must be a JSON object, not {type(data).__name__}")
        known = {f.name for f in fields(cls)} - {"extra", "absent"}
        media = cls(extra={k: v for k, v in data.items() if k not in known}, absent=frozenset(known - data.keys()))
        for name in known & data.keys():
            setattr(media, name, data[name])
        media.id = _int(media.id, low=1, high=MAX_MEDIA_ID)  # else invalid: the media is shown, never a row
        for name in (
            "id",
            "image_width",
            "image_height",
            "oembed_width",
            "oembed_height",
            "oembed_duration",
            "order",
            "size",
        ):
            if name != "id":
                setattr(media, name, _int(getattr(media, name), low=0 if name == "size" else -(2**63)))
            if getattr(media, name) is None and data.get(name) is not None:
                media.extra[name] = data[name]  # invalid here: kept as it came (written back as it was)
        media.added_at = _datetime(data.get("added_at"))
        if media.added_at is None and data.get("added_at") is not None:
            media.extra["added_at"] = data["added_at"]  # unparsable: keep it as it came
        media.type = parse_enum(MediaType, _text(media.type))  # unknown values ("mystery") stay plain str
        media.oembed_type = parse_enum(OEmbedType, _text(media.oembed_type))
        for name in (
            "title",
            "description",
            "url",
            "keywords",
            "entities",
            "image",
            "oembed_url",
            "oembed_html",
            "hash_code",
            "mimetype",
            "image_mimetype",
        ):
            setattr(media, name, _text(getattr(media, name)))
        if media.image_thumbnail is not None and not isinstance(media.image_thumbnail, dict):
            media.extra["image_thumbnail"], media.image_thumbnail = media.image_thumbnail, None  # kept as it came
        if isinstance(media.embed, dict):  # flat fields the server did not send, read from the nested ones
            if "embed_type" in media.absent:  # (absent: never written back by to_json nor a PUT)
                media.embed_type = _plain(media.embed.get("embed_type"))
            if "embed_id" in media.absent:
                media.embed_id = _plain(media.embed.get("embed_id"))
        return media

    def to_json(self) -> dict[str, Any]:
        """The wire shape, unknown fields included; None stays null."""
        out: dict[str, Any] = dict(self.extra)
        for f in fields(self):
            if f.name in ("extra", "absent") or f.name in self.absent:
                continue
            value = getattr(self, f.name)
            if value is None and (f.name in SDK_ONLY_FIELDS or f.name in self.extra):
                continue  # a field of the SDK's types (a media made here, not read), or an unparsable value kept
            if isinstance(value, datetime):
                value = value.isoformat().replace("+00:00", "Z")
            out[f.name] = str(value) if isinstance(value, (MediaType, OEmbedType)) else value
        return out

    @property
    def thumbnail(self) -> Thumbnail | None:
        """The server's small copy of the image, when its answer names a usable one (else the full image serves)."""
        return Thumbnail.from_json(self.image_thumbnail)

    @property
    def embed_url(self) -> str | None:
        """The nested embed's resource URL (raw: render it through the sanitizer)."""
        return _text(self.embed.get("url")) if isinstance(self.embed, dict) else None

    @property
    def embed_metadata(self) -> dict[str, Any] | None:
        """The nested embed's metadata object: a link's metadata, or what a share points at (SDK's SCEmbedType)."""
        value = self.embed.get("metadata") if isinstance(self.embed, dict) else None
        return value if isinstance(value, dict) else None

    @property
    def display_title(self) -> str:
        """The title, else the URL, else the type and id (raw: render it through the sanitizer)."""
        for text in (self.title, self.url, self.image):
            if text and text.strip():
                return text.strip()
        return f"{self.type or 'media'} #{self.id}"


@dataclass(frozen=True, slots=True)
class Thumbnail:
    """`image_thumbnail` of SCMediaType: a smaller copy of the image, and its main colour."""

    url: str
    width: int
    height: int
    color: str | None = None  # "#rrggbb", else None (a server's other text is not passed on as a colour)

    @classmethod
    def from_json(cls, data: Any) -> Thumbnail | None:
        if not isinstance(data, dict):
            return None
        url = data.get("url")
        width, height = _int(data.get("width"), low=1, high=100_000), _int(data.get("height"), low=1, high=100_000)
        if not isinstance(url, str) or not url.strip().lower().startswith(("http://", "https://")):
            return None  # a relative or other address: the file itself serves
        if width is None or height is None:
            return None
        color = data.get("color")
        return cls(url.strip(), width, height, color if isinstance(color, str) and _COLOR.fullmatch(color) else None)


_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
#: Fields the seed's bodies do not have (the SDK's SCMediaType does): written back, and shown, only with a value.
SDK_ONLY_FIELDS = frozenset({"embed", "size", "mimetype", "image_mimetype", "image_thumbnail"})
MAX_MEDIA_ID = 2**63 - 1  # the server's ids are 64-bit: the client and the CLI's parser check against this
MAX_CHUNK = 204800  # the largest chunk the server takes (media-api.md); here, so that checking it loads no httpx
MAX_DEPTH = 64  # JSON nesting levels an answer may have (a media is 3 deep; a page 4)


class UnusableData(ValueError):
    """JSON the client refuses whole (nested too deep): "the server sent data mediatui cannot use"."""


def load_json(data: bytes | str) -> Any:
    """JSON as a server may send it, within limits. A number that is not finite (1e999, NaN, Infinity) reads
    as null: that field is invalid and the rest is used. ValueError when it is not JSON at all; UnusableData
    when it is nested deeper than MAX_DEPTH (never a RecursionError)."""
    try:
        value = json.loads(data, parse_constant=lambda _: None, parse_float=_finite, parse_int=_bounded)
    except RecursionError:
        raise UnusableData(f"nested deeper than {MAX_DEPTH} levels") from None
    if _depth(value) > MAX_DEPTH:
        raise UnusableData(f"nested deeper than {MAX_DEPTH} levels")
    return value


def _bounded(text: str) -> int | None:
    """A JSON integer; one of more than 20 digits is no number a server means (null: that field is invalid)."""
    return int(text) if len(text.lstrip("-")) <= 20 else None


def _finite(text: str) -> float | None:
    number = float(text)
    return number if math.isfinite(number) else None


def _depth(value: Any) -> int:
    """How deep lists and objects nest (without recursion: the depth is what is being checked)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


@dataclass(frozen=True, slots=True)
class ChunkStatus:
    """Where a chunked upload stands on the server: `offset` bytes received."""

    upload_id: str
    offset: int
    expires: datetime | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChunkStatus:
        if not isinstance(data, dict):
            raise TypeError(f"a chunk answer must be a JSON object, not {type(data).__name__}")
        upload_id = data.get("upload_id")
        if not upload_id:
            raise ValueError("the server's chunk answer has no upload_id")
        offset = _int(data.get("offset"))
        if offset is None:
            raise ValueError("the server's chunk answer has no offset")
        return cls(str(upload_id), offset, _datetime(data.get("expires")))


@dataclass(frozen=True, slots=True)
class Page:
    """One page of DRF limit/offset pagination."""

    count: int
    next: str | None
    previous: str | None
    results: list[Media]

    @classmethod
    def from_json(cls, data: Any) -> Page:
        if isinstance(data, list):  # an unpaginated server
            return cls(len(data), None, None, [Media.from_json(m) for m in data])
        if not isinstance(data, dict):
            raise TypeError(f"a page must be a JSON object, not {type(data).__name__}")
        results = [Media.from_json(m) for m in data.get("results") or []]
        count = _int(data.get("count"), low=0)
        return cls(len(results) if count is None else count, data.get("next"), data.get("previous"), results)


def _int(value: Any, *, low: int = -(2**63), high: int = 2**63 - 1) -> int | None:
    """A whole number from `low` to `high`, else None (that field is invalid; the rest of the answer is used)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        number = int(value) if value.is_integer() else None  # 3.7 is no id (never #3)
    elif isinstance(value, int):
        number = value
    else:
        try:
            parsed = float(str(value))
        except (TypeError, ValueError):
            return None
        number = int(parsed) if math.isfinite(parsed) and parsed.is_integer() else None
    return number if number is not None and low <= number <= high else None


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _plain(value: Any) -> str | None:
    """A string or a whole number as text (the SDK allows a number for an embed's id); anything else None."""
    if isinstance(value, str):
        return value
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    """A string field as text: a list where a string was expected reads as its items, a dict as JSON."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _datetime(value: Any) -> datetime | None:
    """An aware datetime, or None for what does not parse; a time without a zone is taken as UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = fromisoformat(value)  # 3.10 reads no "Z" nor a fraction of 3 digits (see _compat)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)

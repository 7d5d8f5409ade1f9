"""Input checks with Django REST framework's error shapes and messages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from mediatui.sandbox import choices

READ_ONLY = ("id", "hash_code", "added_at")
_STRINGS = ("title", "description", "keywords", "entities", "oembed_html", "embed_type", "embed_id")
_URLS = ("url", "oembed_url", "image")
_INTS = ("image_width", "image_height", "oembed_width", "oembed_height", "oembed_duration", "order")
_BOOLS = ("oembed_preview_ready", "oembed_available")
_TRUE = {True, "true", "True", "1", "yes", "on"}
_FALSE = {False, "false", "False", "0", "no", "off"}


class ValidationError(Exception):
    """400 with a DRF body: {"field": ["message"]} or {"detail": "..."}."""

    def __init__(self, body: dict[str, Any]) -> None:
        super().__init__(body)
        self.body = body


def invalid_choice(value: Any) -> str:
    return f'"{value}" is not a valid choice.'


def is_url(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 2000:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in value


def clean_fields(
    data: Any, *, required: tuple[str, ...] = (), types: tuple[str, ...] = choices.MEDIA_TYPES
) -> dict[str, Any]:
    """Validated, typed fields out of a request body; raises ValidationError like DRF."""
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise ValidationError({"non_field_errors": [f"Invalid data. Expected a dictionary, but got {kind}."]})
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for name in required:
        if data.get(name) in (None, ""):
            errors[name] = ["This field is required."]
    for name, value in data.items():
        if name in READ_ONLY or name in errors:
            continue
        problem, cleaned = _check(name, value, types)
        if problem:
            errors[name] = [problem]
        elif cleaned is not _SKIP:
            out[name] = cleaned
    if errors:
        raise ValidationError(errors)
    return out


_SKIP = object()


def _check(name: str, value: Any, types: tuple[str, ...]) -> tuple[str | None, Any]:
    if name == "type":
        return (None, value) if value in types else (invalid_choice(value), None)
    if name == "oembed_type":
        if value is None:
            return None, None
        return (None, value) if value in choices.OEMBED_TYPES else (invalid_choice(value), None)
    if name in _URLS:
        if value in (None, "") and name != "image":
            return None, None
        return (None, value) if is_url(value) else ("Enter a valid URL.", None)
    if name in _STRINGS:
        if value is None:
            return None, None
        return (
            (None, value)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and _str_ok(value)
            else ("Not a valid string.", None)
        )
    if name in _INTS:
        if value in (None, ""):
            return None, None
        try:
            if isinstance(value, bool) or float(value) != int(float(value)):
                raise ValueError
            return None, int(float(value))
        except (TypeError, ValueError):
            return "A valid integer is required.", None
    if name in _BOOLS:
        if value in _TRUE:
            return None, True
        if value in _FALSE:
            return None, False
        return "Must be a valid boolean.", None
    if name == "choice_images":
        return (
            (None, value)
            if isinstance(value, list)
            else (f'Expected a list of items but got type "{type(value).__name__}".', None)
        )
    if name == "embed":
        return None, _SKIP  # nested embed on create is read by the create view
    return None, _SKIP  # DRF ignores unknown fields


def _str_ok(value: Any) -> bool:
    return "\x00" not in str(value)


def clean_create(data: Any) -> dict[str, Any]:
    """POST /api/v2/media/: type vimeo/url/embed, with the fields each needs."""
    fields = clean_fields(data, required=("type",), types=choices.CREATE_TYPES)
    kind = fields["type"]
    if kind in (choices.URL, choices.VIMEO) and not fields.get("url"):
        raise ValidationError({"url": ["This field is required."]})
    if kind == choices.EMBED:
        nested = data.get("embed") if isinstance(data.get("embed"), dict) else {}
        fields.setdefault("embed_type", _plain(nested.get("embed_type")))
        fields.setdefault("embed_id", _plain(nested.get("embed_id")))
        missing = {n: ["This field is required."] for n in ("embed_type", "embed_id") if not fields.get(n)}
        if missing:
            raise ValidationError(missing)
        url, metadata = nested.get("url"), nested.get("metadata")
        if url is not None and not isinstance(url, str):
            raise ValidationError({"embed": {"url": ["Not a valid string."]}})
        for name, value in (("url", url), ("embed_type", fields["embed_type"]), ("embed_id", fields["embed_id"])):
            if isinstance(value, str) and "\x00" in value:  # DRF's CharField
                raise ValidationError({"embed": {name: ["Null characters are not allowed."]}})
        if metadata is not None and not isinstance(metadata, dict):
            raise ValidationError({"embed": {"metadata": ["Metadata must be a valid json object."]}})
        fields["embed"] = {"url": url, "metadata": metadata or {}}  # kept, shown in the nested object
    return fields


def _plain(value: Any) -> str | None:
    """An embed's type or id as the flat field keeps it (the SDK allows a number for the id)."""
    return None if value is None or isinstance(value, (dict, list)) else str(value)


def clean_upload_type(value: str | None, field: str) -> str:
    if not value:
        return choices.IMAGE if field == "image" else choices.DOC
    if value not in choices.UPLOAD_TYPES:
        raise ValidationError({"type": [invalid_choice(value)]})
    return value

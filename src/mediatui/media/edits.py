"""What the edit and create forms know, without Textual: fields, checks, null vs empty, the diff and the bodies.

The form screen, the create screen and `mediatui update`/`create` all use this
module, so that a value refused in the TUI is refused on the command line with
the same words, and the same PATCH body goes out for the same edit.

A form holds one *entry* per editable field: the text as typed for text, URI
and integer fields, a bool for switches, the chosen value for selects, and
None for null. Entries become wire values only when a save is asked for;
only changed fields are checked for PATCH (a strange value the server sent
and nobody touched never blocks a save), every field is checked for PUT.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from mediatui._compat import StrEnum
from mediatui.api import CREATE_TYPES, ApiError, Forbidden, InvalidInput, Media, MediaType, NotFound, OEmbedType
from mediatui.sanitize import inert

TYPE_CHOICES = tuple(str(t) for t in MediaType if t is not MediaType.SHARE)  # "share" is never set by this tool
OEMBED_CHOICES = tuple(str(t) for t in OEmbedType)
CREATE_CHOICES = tuple(str(t) for t in CREATE_TYPES)
MAX_INT = 2**31 - 1  # Django's IntegerField
SHOWN_VALUE = 60  # characters of a value in a confirmation line


class Kind(StrEnum):
    TEXT = "text"  # one line; clearing sends ""
    LONG_TEXT = "long"  # several lines (TextArea); clearing sends ""
    URI = "uri"  # an absolute http(s) URL; clearing sends null where allowed
    INT = "int"  # whole, >= 0; clearing sends null
    BOOL = "bool"
    CHOICE = "choice"
    FACT = "fact"  # read-only: shown, never sent


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: Kind
    group: str
    nullable: bool = True
    choices: tuple[str, ...] = ()

    @property
    def editable(self) -> bool:
        return self.kind is not Kind.FACT


GENERAL, IMAGE, OEMBED, EMBED, FACTS = "General", "Image", "oEmbed", "Embed", "Read-only facts"

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("type", Kind.CHOICE, GENERAL, nullable=False, choices=TYPE_CHOICES),
    FieldSpec("title", Kind.TEXT, GENERAL),
    FieldSpec("description", Kind.LONG_TEXT, GENERAL),
    FieldSpec("url", Kind.URI, GENERAL),
    FieldSpec("keywords", Kind.TEXT, GENERAL),
    FieldSpec("entities", Kind.TEXT, GENERAL),
    FieldSpec("image", Kind.URI, IMAGE, nullable=False),
    FieldSpec("image_width", Kind.FACT, IMAGE),
    FieldSpec("image_height", Kind.FACT, IMAGE),
    FieldSpec("oembed_type", Kind.CHOICE, OEMBED, choices=OEMBED_CHOICES),
    FieldSpec("oembed_url", Kind.URI, OEMBED),
    FieldSpec("oembed_width", Kind.INT, OEMBED),
    FieldSpec("oembed_height", Kind.INT, OEMBED),
    FieldSpec("oembed_duration", Kind.INT, OEMBED),
    FieldSpec("oembed_html", Kind.LONG_TEXT, OEMBED),
    FieldSpec("oembed_preview_ready", Kind.BOOL, OEMBED),
    FieldSpec("oembed_available", Kind.BOOL, OEMBED),
    FieldSpec("embed_type", Kind.TEXT, EMBED),
    FieldSpec("embed_id", Kind.TEXT, EMBED),
    FieldSpec("id", Kind.FACT, FACTS),
    FieldSpec("hash_code", Kind.FACT, FACTS),
    FieldSpec("added_at", Kind.FACT, FACTS),
    FieldSpec("order", Kind.FACT, FACTS),
)
SPECS = {spec.name: spec for spec in FIELDS}
EDITABLE = tuple(spec for spec in FIELDS if spec.editable)
GROUPS = (GENERAL, IMAGE, OEMBED, EMBED, FACTS)

_WHOLE = re.compile(r"\d+")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}

Entry = str | bool | None


class FormErrors(InvalidInput):
    """Problems found before anything was sent: one message per field, and some for the whole form."""

    def __init__(self, fields: dict[str, str], top: list[str] | None = None) -> None:
        self.fields = fields
        self.top = top or []
        super().__init__("; ".join([*self.top, *(f"{name}: {text}" for name, text in fields.items())]))


@dataclass(frozen=True, slots=True)
class Change:
    name: str
    before: Any
    after: Any

    def line(self) -> str:
        """`field: before → after`, inert and short enough for one line of a dialog."""
        return f"{self.name}: {shown(self.before)} → {shown(self.after)}"


def not_editable(media: Media) -> str | None:
    """Why this media cannot be edited, or None. A `share` (a post shared into the feed: the live server's type,
    in the SDK's types) has no body in the API's write operations, so nothing may be guessed for it."""
    if str(media.type).strip().lower() == "share":
        return "share media cannot be edited: the API names no body for them (they are made by sharing a post)"
    return None


def shown(value: Any, limit: int = SHOWN_VALUE) -> str:
    """A wire value for people: null, true/false, numbers, and strings quoted (so "" differs from null)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return f"“{inert(str(value), limit=limit)}”"


def wire_value(media: Media, name: str) -> Any:
    """The value of a field as the server sent it (enums as their strings)."""
    value = getattr(media, name)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return str(value) if isinstance(value, StrEnum) else value


def entry_of(spec: FieldSpec, value: Any) -> Entry:
    """What a form field starts with for a server value."""
    if value is None:
        return None
    if spec.kind is Kind.BOOL:
        return bool(value)
    return str(value)


def choices_for(spec: FieldSpec, current: Any) -> tuple[str, ...]:
    """The choices of a select; a value the server sent that is not among them is kept as a choice too."""
    if current is not None and str(current) not in spec.choices:
        return (str(current), *spec.choices)
    return spec.choices


def check(spec: FieldSpec, entry: Entry, allowed: tuple[str, ...] | None = None) -> Any:
    """The wire value of an entry; ValueError says, in words, what is wrong with it."""
    if entry is None:
        if not spec.nullable:
            raise ValueError("cannot be null")
        return None
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.LONG_TEXT):
        return str(entry)  # sent as typed: oembed_html is never rendered, only sent
    if kind is Kind.BOOL:
        if isinstance(entry, bool):
            return entry
        word = str(entry).strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise ValueError("must be true or false")
    text = str(entry).strip()
    if kind is Kind.CHOICE:
        options = allowed if allowed is not None else spec.choices
        if text == "" and spec.nullable:
            return None
        if text not in options:
            raise ValueError(f"must be one of {', '.join(options)}")
        return text
    if text == "":
        if spec.nullable:
            return None
        raise ValueError("needs a value (an absolute http(s) URL)" if kind is Kind.URI else "needs a value")
    if kind is Kind.URI:
        return checked_url(text)
    if kind is Kind.INT:
        if not _WHOLE.fullmatch(text):
            raise ValueError("must be a whole number, 0 or more")
        number = int(text)
        if number > MAX_INT:
            raise ValueError(f"must be at most {MAX_INT}")
        return number
    raise ValueError("is read-only")


def checked_url(text: str) -> str:
    """An absolute http(s) URL, or ValueError."""
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(ch.isspace() or not ch.isprintable() for ch in text)
    ):
        raise ValueError("must be an absolute http(s) URL, like https://example.com/page")
    return text


@dataclass
class Draft:
    """One media being edited: the server's values and what the user has made of them."""

    media: Media
    entries: dict[str, Entry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.original = {spec.name: wire_value(self.media, spec.name) for spec in EDITABLE}
        self.start = {spec.name: entry_of(spec, self.original[spec.name]) for spec in EDITABLE}
        if not self.entries:
            self.entries = dict(self.start)

    def allowed(self, name: str) -> tuple[str, ...]:
        return choices_for(SPECS[name], self.original[name])

    def set(self, name: str, entry: Entry) -> None:
        """What a form widget now holds (None: null on purpose)."""
        spec = SPECS.get(name)
        if spec is None or not spec.editable:
            raise KeyError(f"{name} is not a field that can be changed")
        self.entries[name] = entry

    def typed(self, name: str, text: str) -> None:
        """Text typed into a field: a null field stays null until something is typed into it."""
        if self.entries.get(name) is None and text == "":
            return
        self.set(name, text)

    def changes(self) -> list[Change]:
        """What differs from the server's values, checked; FormErrors names each bad field."""
        out, errors = [], {}
        for spec in EDITABLE:
            entry = self.entries[spec.name]
            if entry == self.start[spec.name]:
                continue  # untouched: never blocked by a strange server value
            try:
                value = check(spec, entry, self.allowed(spec.name))
            except ValueError as exc:
                errors[spec.name] = str(exc)
                continue
            if value != self.original[spec.name]:
                out.append(Change(spec.name, self.original[spec.name], value))
        if errors:
            raise FormErrors(errors)
        return out

    @property
    def changed_fields(self) -> list[str]:
        """The fields the form holds something else in than it started with (checked or not)."""
        return [s.name for s in EDITABLE if self.entries[s.name] != self.start[s.name]]

    def set_from_text(self, name: str, text: str) -> None:
        """`--set name=text` on the command line: booleans and choices from words, "" clears."""
        spec = _settable(name)
        if spec.kind is Kind.BOOL:
            try:
                self.set(name, check(spec, text))
            except ValueError as exc:
                raise FormErrors({name: str(exc)}) from None
            return
        self.set(name, text)

    def set_null(self, name: str) -> None:
        """`--null name`: null on purpose."""
        if not _settable(name).nullable:
            raise FormErrors({name: "cannot be null"})
        self.set(name, None)


def _settable(name: str) -> FieldSpec:
    spec = SPECS.get(name)
    if spec is None:
        raise FormErrors({name: f"is not a field of a media (one of {', '.join(s.name for s in EDITABLE)})"})
    if not spec.editable:
        raise FormErrors({name: "is read-only"})
    return spec


def server_kept(sent: dict[str, Any], answer: Media) -> list[str]:
    """Fields whose value in the server's answer is not what was sent ("the server kept type = image")."""
    notes = []
    for name, value in sent.items():
        got = wire_value(answer, name) if name in SPECS else answer.extra.get(name)
        if got != value:
            notes.append(f"the server kept {name} = {shown(got)}")
    return notes


def create_body(
    kind: str,
    *,
    url: str | None = None,
    embed_type: str | None = None,
    embed_id: str | None = None,
    title: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """The body of POST /api/v2/media/ for a url, vimeo or embed media, checked like the form checks it."""
    errors: dict[str, str] = {}
    if kind not in CREATE_CHOICES:
        raise FormErrors({"type": f"must be one of {', '.join(CREATE_CHOICES)}"})
    body: dict[str, Any] = {"type": kind}
    if kind in ("url", "vimeo"):
        try:
            body["url"] = checked_url((url or "").strip())
        except ValueError as exc:
            errors["url"] = f"a {kind} media needs a full URL (https://...)" if not (url or "").strip() else str(exc)
    else:
        for name, value in (("embed_type", embed_type), ("embed_id", embed_id)):
            if not value or not value.strip():
                errors[name] = "an embed media needs it (e.g. youtube and the video's id)"
            else:
                body[name] = value.strip()
    if title is not None:
        body["title"] = title
    if description is not None:
        body["description"] = description
    if errors:
        raise FormErrors(errors)
    return body


@dataclass(frozen=True, slots=True)
class Feedback:
    """An error from the server, split for the form: lines at the top, messages under fields."""

    top: list[str]
    fields: dict[str, list[str]]


def feedback(error: ApiError, media_id: int | None = None, known: set[str] | None = None) -> Feedback:
    """Words for a failed save: 400 field errors under their fields, the rest at the top."""
    names = known if known is not None else {spec.name for spec in FIELDS}
    if isinstance(error, Forbidden):
        return Feedback(["Only the creator may edit this media (403): nothing was changed."], {})
    if isinstance(error, NotFound) and media_id is not None:
        return Feedback([f"The media is gone: the server has no media #{media_id} (404)."], {})
    under = {n: t for n, t in error.field_errors.items() if n in names}
    top = [*_detail(error), *error.non_field_errors]
    top += [f"{n}: {' '.join(t)}" for n, t in error.field_errors.items() if n not in names]
    if not top and not under:
        top = [error.message]
    return Feedback(top, under)


def _detail(error: ApiError) -> list[str]:
    """The `detail` of a DRF error: its message without the parts listed separately."""
    listed = [*error.non_field_errors, *(f"{n}: {' '.join(t)}" for n, t in error.field_errors.items())]
    if not listed:
        return []
    rest = "; ".join(listed)
    if error.message.endswith("; " + rest):
        return [error.message[: -len(rest) - 2]]
    return []

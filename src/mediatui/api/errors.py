"""One error hierarchy for everything the API can answer, always with a human message.

Error bodies from the server come in Django REST framework shapes, or as HTML,
plain text or nothing at all. They are untrusted text: every message (and
every field error) is made inert here, so no escape sequence survives into a
terminal; callers must still render them literally (as Text/Content, never
as markup).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from mediatui.sanitize import inert

if TYPE_CHECKING:  # httpx loads with the client, in a worker: the UI needs only these classes
    import httpx

_MAX_MESSAGE = 500


class InvalidInput(ValueError):
    """Bad input caught before anything was sent."""


class ApiError(Exception):
    """An answer (or a failure to get one) from the API."""

    def __init__(
        self,
        status: int | None,
        message: str,
        field_errors: dict[str, list[str]] | None = None,
        non_field_errors: list[str] | None = None,
    ) -> None:
        message = inert(message, limit=_MAX_MESSAGE)
        super().__init__(message)
        self.status = status
        self.message = message
        self.field_errors = {
            inert(k, limit=80): [inert(t, limit=_MAX_MESSAGE) for t in v] for k, v in (field_errors or {}).items()
        }
        self.non_field_errors = [inert(t, limit=_MAX_MESSAGE) for t in non_field_errors or []]
        self.not_json = False  # the answer had no JSON (a web page, plain text): error_from_response says

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, message={self.message!r})"


def error_line(error: BaseException) -> str:
    """The error's own words, one line, inert, with the HTTP status first when the server gave one."""
    text = error.message if isinstance(error, ApiError) else (str(error) or type(error).__name__)
    if isinstance(error, ApiError) and error.status and not text.startswith(str(error.status)):
        text = f"{error.status} {text}"
    return inert(text, limit=200)


class UnusableAnswer(ApiError):
    """A success whose body mediatui cannot use: the server did something, and what is not known."""


class BadRequest(ApiError):
    """400: the server refused the input."""


class OffsetMismatch(BadRequest):
    """400 "Offsets do not match": resume the upload from `offset`."""

    def __init__(self, status: int | None, message: str, offset: int, **kw: Any) -> None:
        super().__init__(status, message, **kw)
        self.offset = offset


class AuthError(ApiError):
    """401: the token is missing, wrong or expired."""


class Forbidden(ApiError):
    """403: the user may not do this (edit and delete are the creator's only)."""


class NotFound(ApiError):
    """404: no such media or upload."""


class Gone(ApiError):
    """410: the chunked upload expired."""


class RateLimited(ApiError):
    """429: slow down; `retry_after` is in seconds when the server said."""

    def __init__(self, status: int | None, message: str, retry_after: float | None, **kw: Any) -> None:
        super().__init__(status, message, **kw)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx: the server failed."""


class NotTheApi(ApiError):
    """A web page where the API always answers JSON (a media's own address): the community URL is off."""


def not_the_api(base_url: str, method: str, path: str) -> NotTheApi:
    """A media's own address answered with no JSON (a 404 page, a site's welcome page): said so, with what to do."""
    return NotTheApi(
        404,
        f"{base_url} does not look like a SelfCommunity API ({method} {path} answered a web page, not JSON):"
        " check the community URL (like https://community.example)",
    )


class ListingUnsupported(ApiError):
    """The server has no list endpoint (the public SelfCommunity API has none)."""


class TransportError(ApiError):
    """No answer: connect, read or protocol failure.

    `never_sent` is True only when the request surely never reached the server
    (connection refused, DNS, connect timeout), so that a non-idempotent request
    may be sent again. `timed_out` is True when nothing came back in time (a
    server or a link that hangs), not when something broke.
    """

    def __init__(self, message: str, *, never_sent: bool, timed_out: bool = False) -> None:
        super().__init__(None, message)
        self.never_sent = never_sent
        self.timed_out = timed_out


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: AuthError,
    403: Forbidden,
    404: NotFound,
    410: Gone,
}


def error_from_response(response: httpx.Response, clean: Callable[[Any], Any] = lambda value: value) -> ApiError:
    """Build the right ApiError from any error response, whatever its body; `clean` passes over its decoded JSON
    and its words (the client's: a token the server quoted back, hidden by escapes, is blanked)."""
    status = response.status_code
    body = clean(_json_body(response))
    message, field_errors, non_field = _messages(body, response)
    message = clean(message)
    kw: dict[str, Any] = {"field_errors": field_errors, "non_field_errors": non_field}
    if status == 400 and isinstance(body, dict) and "offset" in body:
        try:
            return OffsetMismatch(status, message, int(body["offset"]), **kw)
        except (TypeError, ValueError):
            pass
    if status == 429:
        return RateLimited(status, message, parse_retry_after(response.headers.get("Retry-After")), **kw)
    if status >= 500:
        return ServerError(status, message, **kw)
    error = _BY_STATUS.get(status, ApiError)(status, message, **kw)
    error.not_json = body is None
    return error


def error_from_transport(exc: httpx.TransportError) -> TransportError:
    """Classify an httpx failure by whether the request can have reached the server."""
    import httpx

    never_sent = isinstance(
        exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)
    )
    kind = {
        httpx.ConnectError: "could not connect",
        httpx.ConnectTimeout: "timed out connecting",
        httpx.PoolTimeout: "timed out waiting for a connection",
        httpx.ReadTimeout: "timed out waiting for the answer",
        httpx.WriteTimeout: "timed out sending the request",
        httpx.RemoteProtocolError: "the server closed the connection",
        httpx.ReadError: "the connection broke while reading the answer",
        httpx.WriteError: "the connection broke while sending",
    }.get(type(exc), "network error")
    # A local protocol error can quote the request's own headers (the token): never show its text.
    detail = "" if isinstance(exc, httpx.LocalProtocolError) else str(exc).strip()
    message = f"{kind}: {detail}" if detail and detail != kind else kind
    return TransportError(message, never_sent=never_sent, timed_out=isinstance(exc, httpx.TimeoutException))


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _json_body(response: httpx.Response) -> Any:
    """The error body's JSON, within the client's limits; None when it has none it can use (its status stands)."""
    from mediatui.api.models import load_json

    if not response.content:
        return None
    try:
        return load_json(response.content)
    except ValueError:  # not JSON, or nested too deep (UnusableData)
        return None


def _messages(body: Any, response: httpx.Response) -> tuple[str, dict[str, list[str]], list[str]]:
    field_errors: dict[str, list[str]] = {}
    non_field: list[str] = []
    detail: str | None = None
    if isinstance(body, dict):
        for key, value in body.items():
            texts = _texts(value)
            if key == "detail":
                detail = " ".join(texts)
            elif key == "non_field_errors":
                non_field.extend(texts)
            elif key in ("offset", "code"):
                continue
            elif texts:
                field_errors[str(key)] = texts
    elif isinstance(body, list):
        non_field.extend(_texts(body))
    elif isinstance(body, str):
        detail = body
    parts = [detail] if detail else []
    parts += non_field
    parts += [f"{name}: {' '.join(texts)}" for name, texts in field_errors.items()]
    if not parts and body is None:
        text = _text_body(response)
        if text and response.status_code == 404 and _is_html(response):
            # Django's page for a route it does not have: the API answers JSON, so the URL is off.
            text += " (a web page, not the API's answer: check the community URL)"
        if text:
            parts.append(text)
    if not parts:
        parts.append(_status_phrase(response.status_code))
    return "; ".join(parts), field_errors, non_field


def _is_html(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "").lower()
    return kind.startswith("text/html") or response.content[:200].lstrip().lower().startswith((b"<!doctype", b"<html"))


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [t for item in value for t in _texts(item)]
    if isinstance(value, dict):
        return [f"{k}: {' '.join(_texts(v))}" for k, v in value.items()]
    return [str(value)]


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _text_body(response: httpx.Response) -> str:
    """A short readable text out of an HTML or plain-text body."""
    raw = response.content[:20000].decode("utf-8", errors="replace")
    if "<" in raw and ">" in raw:
        match = _TITLE.search(raw) or _H1.search(raw)
        raw = match.group(1) if match else _TAG.sub(" ", raw)
        import html

        raw = html.unescape(_TAG.sub(" ", raw))
    text = _SPACE.sub(" ", raw).strip()
    phrase = _status_phrase(response.status_code)
    if not text or text.lower() in phrase.lower() or phrase.lower() in text.lower():
        return text if len(text) > len(phrase) else phrase
    return f"{phrase}: {text}"


def _status_phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"

"""Every error body shape becomes a typed error with a human message."""

import httpx
import pytest

from mediatui.api import (
    ApiError,
    AuthError,
    BadRequest,
    Forbidden,
    Gone,
    NotFound,
    OffsetMismatch,
    RateLimited,
    ServerError,
)
from mediatui.api.errors import error_from_response, parse_retry_after


def response(status, content=None, headers=None, json=None):
    if json is not None:
        return httpx.Response(status, headers=headers, json=json)
    return httpx.Response(status, content=content or b"", headers=headers)


@pytest.mark.parametrize(
    "status, cls",
    [
        (400, BadRequest),
        (401, AuthError),
        (403, Forbidden),
        (404, NotFound),
        (410, Gone),
        (500, ServerError),
        (503, ServerError),
        (418, ApiError),
    ],
)
def test_status_classes(status, cls):
    error = error_from_response(response(status, json={"detail": "why"}))
    assert type(error) is cls and error.status == status and error.message == "why"


def test_field_and_non_field_errors():
    error = error_from_response(response(400, json={"url": ["Enter a valid URL."], "non_field_errors": ["Nope."]}))
    assert error.field_errors == {"url": ["Enter a valid URL."]}
    assert error.non_field_errors == ["Nope."]
    assert error.message == "Nope.; url: Enter a valid URL."


def test_offset_mismatch_carries_server_offset():
    error = error_from_response(response(400, json={"detail": "Offsets do not match", "offset": 409600}))
    assert isinstance(error, OffsetMismatch) and error.offset == 409600


def test_rate_limited_reads_retry_after():
    error = error_from_response(response(429, headers={"Retry-After": "7"}, json={"detail": "Slow down."}))
    assert isinstance(error, RateLimited) and error.retry_after == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past
    assert parse_retry_after("soon") is None


def test_html_plain_and_empty_bodies():
    html = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
    assert error_from_response(response(502, html)).message == "502 Bad Gateway"
    page = b"<html><body><h1>Upload &amp; more not found</h1></body></html>"
    hint = " (a web page, not the API's answer: check the community URL)"
    assert error_from_response(response(404, page)).message == "404 Not Found: Upload & more not found" + hint
    assert (
        error_from_response(response(500, b"database is on fire")).message
        == "500 Internal Server Error: database is on fire"
    )
    assert error_from_response(response(404)).message == "404 Not Found"
    assert error_from_response(response(599)).message == "HTTP 599"


def test_long_messages_are_clipped():
    error = error_from_response(response(400, json={"detail": "x" * 5000}))
    assert len(error.message) == 500 and error.message.endswith("…")

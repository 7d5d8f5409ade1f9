"""What keeps the token and a URL's password out of sight: the API client's and the settings' one rule.

A token is sent in a header and shown nowhere: Secret never shows itself, and a token that a header
cannot carry is refused with a reason that does not show it. A `user:password@` in a URL is dropped
before the URL reaches a file name, a message, the screen or the journal. No Textual.
"""

from __future__ import annotations

import re


class Secret:
    """A string that never shows itself in reprs, logs or tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('***')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _split_userinfo(url: str) -> tuple[str, str, bool]:
    """(scheme://, the rest after any `user:password@`, whether there was one), for any text.

    The userinfo ends at the LAST "@": a password may hold "/", "#", "?" or "@" itself, and a
    community's base URL has no "@" in its path.
    """
    match = _SCHEME.match(url)
    scheme = match.group() if match else ""
    rest = url[len(scheme) :]
    at = rest.rfind("@")
    return (scheme, rest[at + 1 :], True) if at >= 0 else (scheme, rest, False)


def without_userinfo(url: str) -> str:
    """The URL without `user:password@`: mediatui authenticates with the token, and a password
    must never reach a file name, a message, the screen or the journal. Works on unparsable URLs too."""
    scheme, rest, _ = _split_userinfo(url)
    return scheme + rest


def redact_url(url: str) -> str:
    """A URL fit for a message: `user:password@` replaced by `***@`."""
    scheme, rest, had = _split_userinfo(url)
    return scheme + ("***@" if had else "") + rest


def token_problem(token: str) -> str | None:
    """Why a token cannot be sent in a header, said without ever showing the token."""
    if not token:
        return "no access token given"
    for char in token:
        if char in "\r\n":
            return "the token contains a line break: paste it again as one line"
        if char.isspace():
            return "the token contains a space or a tab: paste it again without them"
        if not 0x21 <= ord(char) <= 0x7E:
            return "the token contains a character that is not plain printable ASCII: paste it again"
    return None

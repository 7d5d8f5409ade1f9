"""What keeps the token and a URL's password out of sight: the API client's and the settings' one rule.

A token is sent in a header and shown nowhere: Secret never shows itself, and a token that a header
cannot carry is refused with a reason that does not show it. A `user:password@` in a URL is dropped
before the URL reaches a file name, a message, the screen or the journal. No Textual.
"""

from __future__ import annotations

import re
from typing import Any


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


#: What stands for the host when an "@" comes after it (see _split_userinfo); normalize_base_url refuses it.
AT_AFTER_HOST = "(refused:an-at-sign-after-the-host)"  # no "@" itself: splitting it again leaves it as it is


def _split_userinfo(url: str) -> tuple[str, str, bool]:
    """(scheme://, the rest after any `user:password@`, whether there was one), for any text.

    Within the host part (up to the first "/", "?" or "#") the userinfo ends at its last "@". An "@"
    after that is either a password holding "/", "?" or "#", or a path or query holding "@": which
    host is meant cannot be told, and cutting at the last "@" would hand the token to whatever host
    follows it (`https://good/?x=@evil`). So the rest becomes AT_AFTER_HOST: no password survives,
    and no host is guessed (normalize_base_url refuses it, so nothing is sent).
    """
    match = _SCHEME.match(url)
    scheme = match.group() if match else ""
    rest = url[len(scheme) :]
    at = rest.rfind("@")
    if at < 0:
        return scheme, rest, False
    host_end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    return (scheme, rest[at + 1 :], True) if at < host_end else (scheme, AT_AFTER_HOST, True)


def without_userinfo(url: str) -> str:
    """The URL without `user:password@`: mediatui authenticates with the token, and a password
    must never reach a file name, a message, the screen or the journal. Works on unparsable URLs too."""
    scheme, rest, _ = _split_userinfo(url)
    return scheme + rest


def redact_url(url: str) -> str:
    """A URL fit for a message: `user:password@` replaced by `***@`."""
    scheme, rest, had = _split_userinfo(url)
    return scheme + ("***@" if had and rest != AT_AFTER_HOST else "") + rest


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


MIN_REDACTED = 8  # characters: a shorter token is blanked only as a whole word ("tok" inside "token" is kept)


class TokenBlanker:
    """Blanks the token where an answer quotes it back (a proxy or a server echoing the request): raw, so
    `Bearer <token>` too, JSON-escaped (also with `\\/`), URL-quoted (either case) and HTML-escaped.

    A token shorter than MIN_REDACTED is blanked as a whole word only: blanking it inside words would blank
    every "t" of every answer for a token "t"."""

    def __init__(self, token: str) -> None:
        forms = sorted((form.encode() for form in _quoted_forms(token) if form), key=len, reverse=True)
        if len(token) >= MIN_REDACTED:
            self._forms, self._words = forms, None
        else:
            alternatives = b"|".join(re.escape(form) for form in forms)
            self._forms = []
            word = rb"(?<![A-Za-z0-9_\-])(?:" + alternatives + rb")(?![A-Za-z0-9_\-])"
            self._words = re.compile(word) if forms else None

    def __call__(self, body: bytes) -> bytes:
        for form in self._forms:
            body = body.replace(form, b"***")
        if self._words is not None:
            body = self._words.sub(b"***", body)
        return body

    def text(self, value: str) -> str:
        """A decoded string (a JSON field, an error's words): the token blanked, also where the raw answer hid it
        behind escapes only decoding undoes (`\u0073\u0065…` in JSON, `%73%65…` in a URL)."""
        if not self._forms and self._words is None:
            return value
        out = self(value.encode("utf-8", "surrogatepass")).decode("utf-8", "surrogatepass")
        if "%" in out:
            from urllib.parse import unquote

            unquoted = unquote(out)
            blanked = self(unquoted.encode("utf-8", "surrogatepass")).decode("utf-8", "surrogatepass")
            if blanked != unquoted:
                out = blanked
        return out

    def decoded(self, data: Any) -> Any:
        """Decoded JSON with `text` applied to every string in it, keys too."""
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, list):
            return [self.decoded(item) for item in data]
        if isinstance(data, dict):
            return {self.text(key) if isinstance(key, str) else key: self.decoded(v) for key, v in data.items()}
        return data


def _quoted_forms(token: str) -> set[str]:
    import html
    import json
    from urllib.parse import quote

    escaped = json.dumps(token)[1:-1]
    quoted = quote(token, safe="")
    lower = re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quoted)
    return {token, escaped, escaped.replace("/", "\\/"), quoted, lower, html.escape(token)}

"""Where to connect: the community URL and the token, from flags and environment.

No Textual here. The token is held in a class whose repr and str hide it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

ENV_URL = "MEDIATUI_URL"
ENV_TOKEN = "MEDIATUI_TOKEN"
ENV_INSECURE = "MEDIATUI_INSECURE"


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
    rest = url[len(scheme):]
    at = rest.rfind("@")
    return (scheme, rest[at + 1:], True) if at >= 0 else (scheme, rest, False)


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


@dataclass(frozen=True, slots=True)
class Settings:
    url: str
    token: Secret = field(default_factory=lambda: Secret(""))
    verify: bool = True
    timeout: float = 30.0

    @classmethod
    def from_env(cls, url: str | None = None, token: str | None = None, *, insecure: bool | None = None) -> Settings:
        """Flags win over the environment; TLS verification stays on unless asked off."""
        if insecure is None:
            insecure = os.environ.get(ENV_INSECURE, "").lower() in ("1", "true", "yes")
        return cls(
            url=without_userinfo((url or os.environ.get(ENV_URL, "")).strip()),
            token=Secret((token or os.environ.get(ENV_TOKEN, "")).strip()),
            verify=not insecure,
        )

    def problem(self) -> str | None:
        """What is missing to connect, said so that a person knows what to do."""
        if not self.url:
            return f"No community URL: pass --url https://your.community or set {ENV_URL}."
        if not self.token:
            return (f"No access token: set {ENV_TOKEN} to a community access token "
                    f"(export {ENV_TOKEN}=...), then start mediatui again.")
        problem = token_problem(self.token.reveal())
        if problem:
            return f"The access token in {ENV_TOKEN} cannot be used: {problem}."
        return None

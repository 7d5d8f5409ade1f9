"""Where to connect: the community URL and the token, from flags and environment.

No Textual here. The token is held in a class whose repr and str hide it.
"""

from __future__ import annotations

import os
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
            url=(url or os.environ.get(ENV_URL, "")).strip(),
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
        return None

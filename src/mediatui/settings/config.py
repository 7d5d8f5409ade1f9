"""Where to connect and how: the community URL, the token and the profile's options.

No Textual here. The token is held in a class whose repr and str hide it.
Precedence: flags > environment (MEDIATUI_URL, MEDIATUI_TOKEN, MEDIATUI_PROFILE)
> the profile of the config file (mediatui.settings.profiles) > defaults.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mediatui.api.credentials import Secret, token_problem, without_userinfo

if TYPE_CHECKING:
    from mediatui.api.client import MediaClient
    from mediatui.settings.profiles import ConfigFile

ENV_URL = "MEDIATUI_URL"
ENV_TOKEN = "MEDIATUI_TOKEN"
ENV_INSECURE = "MEDIATUI_INSECURE"
ENV_PROFILE = "MEDIATUI_PROFILE"
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Settings:
    url: str
    token: Secret = field(default_factory=lambda: Secret(""))
    verify: bool | str = True  # a str is the path of a CA bundle
    timeout: float = DEFAULT_TIMEOUT
    profile: str = ""  # the profile these came from, if any
    read_only: bool = False
    jobs: int | None = None
    log: str | None = None
    theme: str | None = None
    config_path: Path | None = None
    token_note: str = ""  # why the profile's token source gave none (said instead of "no token")
    preview: str = "auto"  # pictures: "kitty" graphics, "halfblock", "auto" (kitty where known to work), "off"
    preview_hosts: tuple[str, ...] = ()  # besides the API's own host, hosts at private addresses pictures may use
    #: What the command line forced (--read-only; --insecure or MEDIATUI_INSECURE): it holds for every community
    #: of the session. A profile's own read_only or verify ends with it (a switch takes the next one's).
    forced_read_only: bool = False
    forced_insecure: bool = False
    #: The demo's own words (settings.demo.demo_banner) when these are the demo's sandbox: the header says "demo",
    #: and F1 shows them. Empty for every real community, and for any other the demo switches to.
    history_days: int = 90  # the history's records are kept this long (a profile's `history_days`)
    trash_mb: int = 0  # a local trash of deleted files, this many MB at most; 0: off (a profile's `trash_mb`)
    trash_days: int = 30  # how long the trash keeps a file (a profile's `trash_days`)
    demo: str = field(default="", repr=False)  # it names the demo's throwaway token: never in a repr or a log

    @classmethod
    def from_env(cls, url: str | None = None, token: str | None = None, *, insecure: bool | None = None) -> Settings:
        """Flags win over the environment; TLS verification stays on unless asked off."""
        if insecure is None:
            insecure = _insecure_env(os.environ)
        return cls(
            url=without_userinfo((url or os.environ.get(ENV_URL, "")).strip()),
            token=Secret((token or os.environ.get(ENV_TOKEN, "")).strip()),
            verify=not insecure,
            forced_insecure=insecure,
        )

    @classmethod
    def resolve(
        cls,
        config: ConfigFile,
        *,
        url: str | None = None,
        profile: str | None = None,
        insecure: bool = False,
        read_only: bool = False,
        log: str | None = None,
        environ: Mapping[str, str] | None = None,
        token_timeout: float | None = None,
    ) -> Settings:
        """Flags > environment > the chosen profile > defaults.

        The profile is `profile` (--profile), else MEDIATUI_PROFILE, else the file's
        default_profile, else its only profile; an unknown one is a ConfigError. The profile's token source runs
        only when MEDIATUI_TOKEN does not give a token; its failure becomes `token_note`. `token_timeout`: at most
        that many seconds for a token_command (its own default otherwise).
        """
        from mediatui.settings.profiles import TokenSourceError
        from mediatui.settings.token_command import TOKEN_COMMAND_TIMEOUT

        env = os.environ if environ is None else environ
        only = next(iter(config.profiles)) if len(config.profiles) == 1 else None
        name = profile or env.get(ENV_PROFILE) or config.default_profile or only
        chosen = config.profile(name) if name else None
        token, note = Secret(env.get(ENV_TOKEN, "").strip()), ""
        if not token and chosen is not None:
            try:
                token = chosen.resolve_token(dict(env), token_timeout or TOKEN_COMMAND_TIMEOUT)
            except TokenSourceError as exc:
                note = str(exc)
        verify: bool | str = chosen.verify if chosen is not None else True
        insecure = insecure or _insecure_env(env)
        if insecure:
            verify = False
        return cls(
            url=without_userinfo((url or env.get(ENV_URL) or (chosen.url if chosen else "")).strip()),
            token=token,
            verify=verify,
            timeout=(chosen.timeout if chosen and chosen.timeout else DEFAULT_TIMEOUT),
            profile=name or "",
            read_only=read_only or bool(chosen and chosen.read_only),
            jobs=chosen.jobs if chosen else None,
            log=log or config.log,
            theme=config.theme,
            config_path=config.path,
            token_note=note,
            preview=chosen.preview if chosen else "auto",
            preview_hosts=chosen.preview_hosts if chosen else (),
            history_days=chosen.history_days if chosen else 90,
            trash_mb=chosen.trash_mb if chosen else 0,
            trash_days=chosen.trash_days if chosen else 30,
            forced_read_only=read_only,
            forced_insecure=insecure,
        )

    @property
    def insecure(self) -> bool:
        return self.verify is False

    def problem(self) -> str | None:
        """What is missing to connect, said so that a person knows what to do."""
        if not self.url:
            return (
                f"No community URL: pass --url https://your.community, set {ENV_URL}, "
                "or pick a profile with --profile NAME."
            )
        if self.token_note:
            return f"No access token: {self.token_note}."
        if not self.token:
            return (
                f"No access token: set {ENV_TOKEN} to a community access token "
                f"(export {ENV_TOKEN}=...), or give the profile a token_command, then start mediatui again."
            )
        problem = token_problem(self.token.reveal())
        if problem:
            return f"The access token cannot be used: {problem}."
        return None

    def same_community(self, other: Settings) -> bool:
        """The same server (its URL as the journal keys it: with or without /api/v2/ or a trailing slash) and
        the same token: what a switch back takes up again, uploads and all, rather than open a second session
        on the same journal. The TLS choice is not compared: the client already made keeps its own."""
        return (_server(self.url), self.token) == (_server(other.url), other.token)

    def make_client(self, timeout: float | None = None) -> MediaClient:
        """This community's API client: the one place one is built (httpx loads here, on first use)."""
        from mediatui.api.client import MediaClient

        limit = self.timeout if timeout is None else min(timeout, self.timeout)
        return MediaClient(self.url, self.token.reveal(), verify=self.verify, timeout=limit)


def _server(url: str) -> str:
    from mediatui.api import InvalidInput
    from mediatui.api.client import normalize_base_url

    try:
        return normalize_base_url(url)
    except InvalidInput:
        return url


def _insecure_env(env: Mapping[str, str]) -> bool:
    return env.get(ENV_INSECURE, "").lower() in ("1", "true", "yes")

"""What the connect screen does off the UI thread: settings from its fields, and a real test request.

No Textual here, so that each outcome (unreachable, TLS error, 401, no list
endpoint, OK with the count) is tested against the sandbox without a pilot.
Every text returned is inert and never holds the token.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from mediatui.sanitize import inert
from mediatui.settings.config import Secret, Settings, without_userinfo
from mediatui.settings.profiles import ConfigFile, Profile, TokenSourceError, run_token_command


@dataclass(frozen=True, slots=True)
class Fields:
    """What the person typed; empty token fields mean "the profile's own token source"."""

    profile: str  # "" for a new, unnamed community
    url: str
    token: str = ""
    token_command: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    text: str


def settings_from(fields: Fields, base: Settings, config: ConfigFile) -> Settings:
    """Settings for these fields: the profile's options, the typed URL and token (the token command run now).

    Raises TokenSourceError (its message names the profile and the command, never the output).
    """
    profile: Profile | None = config.profiles.get(fields.profile)
    if fields.token.strip():
        token = Secret(fields.token.strip())
    elif fields.token_command.strip():
        token = run_token_command(fields.profile or "new", fields.token_command.strip())
    elif profile is not None:
        token = profile.resolve_token()
    else:
        token = base.token
    changes: dict[str, object] = {
        "url": without_userinfo(fields.url.strip()),
        "token": token,
        "token_note": "",
        "profile": fields.profile,
    }
    if profile is not None and fields.profile != base.profile:
        changes.update(
            verify=False if base.insecure else profile.verify,
            read_only=base.read_only or profile.read_only,
            jobs=profile.jobs,
            timeout=profile.timeout or base.timeout,
        )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def check(fields: Fields, base: Settings, config: ConfigFile, *, timeout: float = 10.0) -> Outcome:
    """One real request to the server, said as a person needs it."""
    from mediatui.api import ApiError, AuthError, InvalidInput, TransportError

    try:
        settings = settings_from(fields, base, config)
    except TokenSourceError as exc:
        return Outcome(False, str(exc))
    problem = settings.problem()
    if problem:
        return Outcome(False, problem)
    try:
        with settings.make_client(timeout) as client:
            status = client.probe()
    except InvalidInput as exc:
        return Outcome(False, inert(str(exc)))
    except AuthError:
        return Outcome(False, "401: the server refused the token (expired, or of another community?)")
    except TransportError as exc:
        message = exc.message
        if "certificate" in message.lower() or "ssl" in message.lower() or "tls" in message.lower():
            return Outcome(False, f'TLS error: {inert(message, limit=160)} (a CA bundle: verify = "/path")')
        return Outcome(False, f"unreachable: {inert(message, limit=160)}")
    except ApiError as exc:
        return Outcome(False, f"the server answered {exc.status or 'badly'}: {inert(exc.message, limit=160)}")
    if not status.listing:
        return Outcome(True, "OK: the token works; no list endpoint, so the list is the local catalogue")
    return Outcome(True, f"OK: {status.count} media")

"""What the connect screen does off the UI thread: settings from its fields, and a real test request.

No Textual here, so that each outcome (unreachable, TLS error, 401, no list
endpoint, OK with the count) is tested against the sandbox without a pilot.
Every text returned is inert and never holds the token.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from mediatui.sanitize import inert
from mediatui.settings.config import DEFAULT_TIMEOUT, Secret, Settings, without_userinfo
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
    if without_userinfo(fields.url.strip()) != base.url:
        changes["demo"] = ""  # the demo's words are about its own sandbox only
    if profile is None or fields.profile != base.profile:
        # Another community: its profile's choices (none for one typed in), never the last one's. Only what the
        # command line forced holds for every community (a read-only look must not stick to the next profile).
        changes.update(
            verify=False if base.forced_insecure else profile.verify if profile else _trust_kept(base.verify),
            read_only=base.forced_read_only or bool(profile and profile.read_only),
            jobs=profile.jobs if profile else None,
            timeout=profile.timeout if profile and profile.timeout else DEFAULT_TIMEOUT,
            preview=profile.preview if profile else "auto",
            preview_hosts=profile.preview_hosts if profile else (),
            history_days=profile.history_days if profile else 90,
            trash_mb=profile.trash_mb if profile else 0,
            trash_days=profile.trash_days if profile else 30,
        )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _trust_kept(verify: bool | str) -> bool | str:
    """A community typed in keeps the CA bundle in use (the same organisation's, most likely), never "no check"."""
    return verify if isinstance(verify, str) else True


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

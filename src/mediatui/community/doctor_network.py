"""The lines of `mediatui doctor` that ask the community: its own (reached, TLS, one round trip) and the
token's (accepted or refused; where it came from is doctor's).

One request, the connect check's (a page of one media), on a daemon thread of its own, so that the report is
ready by its deadline whatever the server does: aborted once the deadline passes. The words are those a
moderator can act on: what happened, and the one change that fixes it. No Textual.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mediatui.api.credentials import TokenBlanker
from mediatui.community import doctor_folders as folders
from mediatui.community.doctor_local import Check
from mediatui.sanitize import inert
from mediatui.settings.config import ENV_TOKEN, Settings

if TYPE_CHECKING:
    from mediatui.api import ServerStatus

REQUEST_TIMEOUT = 8.0  # seconds for the one request to the community (its whole answer)


SLOW = 2.0  # seconds of one round trip from which the community is said to be slow


def blanker(settings: Settings) -> TokenBlanker | None:
    token = settings.token.reveal()
    return TokenBlanker(token) if token else None


def _shown(settings: Settings) -> Settings:
    """The settings whose URL the report may print: the token in it blanked before any cut could halve it."""
    blank = blanker(settings)
    return settings if blank is None else replace(settings, url=blank.text(settings.url))


class Request:
    """The one request to the community (the connect check's: a page of one media), on a daemon thread, so
    that the report is ready by the deadline whatever the server does; aborted once the deadline passes."""

    def __init__(self, settings: Settings, deadline: float) -> None:
        self.settings, self.deadline, self.started = settings, deadline, time.monotonic()
        self.problem = settings.problem()
        self.result: tuple[ServerStatus | BaseException, float] | None = None
        self.client: Any = None
        self.thread: threading.Thread | None = None
        if self.problem is None:
            self.thread = threading.Thread(target=self._run, name="mediatui-doctor", daemon=True)
            self.thread.start()

    def _timeout(self) -> float:
        return max(0.5, min(REQUEST_TIMEOUT, self.deadline - time.monotonic() - 1.0))

    def _run(self) -> None:
        from mediatui.api import TransportError

        start = time.monotonic()
        try:
            timeout = self._timeout()
            self.client = self.settings.make_client(timeout)
            with self.client:
                start = time.monotonic()  # the round trip only: not the client's making (its TLS context)
                status = self.client.probe()
            self.result = (status, time.monotonic() - start)
        except TransportError as exc:  # a timeout is a hang, said with the time it was given (not a loaded
            # machine's 8.5 s, which rounds to 9); a late answer (a 401 at 7 s) is said as it came
            self.result = (TimeoutError(), timeout) if exc.timed_out else (exc, time.monotonic() - start)
        except Exception as exc:  # noqa: BLE001 - said as a line of the report
            self.result = (exc, time.monotonic() - start)

    def outcome(self) -> tuple[Check, Check]:
        """The community's line, and what the token's says after its source."""
        settings = _shown(self.settings)
        if self.problem is not None:
            return _unasked(settings, self.problem)
        assert self.thread is not None
        self.thread.join(max(0.0, self.deadline - time.monotonic() - 0.3))
        if self.thread.is_alive() or self.result is None:
            if self.client is not None:
                self.client.abort()
            return _hung(settings, self.deadline - self.started)
        if isinstance(self.result[0], TimeoutError):
            return _hung(settings, self.result[1])
        return _said(settings, *self.result)


def _hung(settings: Settings, waited: float) -> tuple[Check, Check]:
    said = inert(f"{settings.url}: no answer within {waited:.0f} s", limit=160)
    fix = "the server or a proxy on the way hangs: try again later, or check the URL"
    return Check("community", False, said, fix), Check("token", False, "not checked (the community did not answer)")


def _unasked(settings: Settings, problem: str) -> tuple[Check, Check]:
    """Nothing was sent: the URL or the token is missing or unusable."""
    from mediatui.api.credentials import token_problem

    if not settings.url:
        fix = "pass --url https://your.community, set MEDIATUI_URL, or pick a profile with --profile NAME"
        community = Check("community", False, "no URL", fix)
    else:
        community = Check("community", False, inert(f"{settings.url}: not asked (no usable token)"), "see the token")
    fix = f"set {ENV_TOKEN}, or give the profile a token, token_env or token_command"
    if settings.token_note:
        fix = "correct the profile's token source"
        if "did not finish within" in settings.token_note:  # a passphrase prompt, a slow vault: not wrong as such
            fix = "it may be waiting for a passphrase: unlock it first (mediatui itself waits longer than doctor)"
        return community, Check("token", False, inert(settings.token_note), fix)
    if not settings.token:
        return community, Check("token", False, "none", fix)
    unusable = token_problem(settings.token.reveal())
    if unusable:
        return community, Check("token", False, f"it cannot be used: {inert(unusable)}", fix)
    return community, Check("token", False, "not checked (no URL)")


def _said(settings: Settings, result: ServerStatus | BaseException, took: float) -> tuple[Check, Check]:
    """The request's outcome in the words of the connect screen, and its round trip."""
    from mediatui.api import ApiError, AuthError, InvalidInput, TransportError

    url = inert(settings.url, limit=120)
    not_checked = Check("token", False, "not checked (the community did not answer)")
    if isinstance(result, InvalidInput):  # the URL, or else the CA bundle the profile or SSL_CERT_FILE names
        fix = "correct the URL (--url, MEDIATUI_URL)"
        if folders.server_of(settings) is not None:
            fix = 'give the profile a CA bundle it can read: verify = "/path/to/ca.pem" (or correct SSL_CERT_FILE)'
        return Check("community", False, inert(str(result)), fix), Check(
            "token", False, "not checked (nothing was sent)"
        )
    answered = f"{url} answered in {_duration(took)}, {_tls(settings)}"  # (a URL that parses, from here on)
    if isinstance(result, AuthError):
        refused = f"the API refused it ({result.status}): expired, or of another community?"
        fix = f"set {ENV_TOKEN} or the profile's token to a valid access token of {url}"
        return _community(settings, answered, took), Check("token", False, refused, fix)
    if isinstance(result, TransportError):
        message = inert(result.message, limit=160)
        if any(word in message.lower() for word in ("certificate", "ssl", "tls")):
            fix = _tls_fix(message, settings.verify)
            return Check("community", False, f"{url}: TLS error: {message}", fix), not_checked
        fix = "check the URL and the network (can this machine reach it? a proxy in HTTPS_PROXY?)"
        return Check("community", False, f"{url}: unreachable: {message}", fix), not_checked
    if isinstance(result, ApiError):
        said = f"{url} answered {result.status or 'badly'} in {_duration(took)}: {inert(result.message, limit=160)}"
        answered_so = Check("token", False, f"not checked (the community answered {result.status or 'badly'})")
        return Check("community", False, said, "check the community URL"), answered_so
    if isinstance(result, BaseException):
        said = f"{url}: the request failed ({type(result).__name__})"
        return Check("community", False, said, "mediatui --log FILE list writes the details into FILE"), not_checked
    count = f"{result.count} media" if result.listing else "no media list (the local catalogue is used)"
    return _community(settings, answered, took), Check("token", True, f"the API accepts it ({count})")


def _tls_fix(message: str, verify: bool | str) -> str:
    """What fixes a failed handshake, by what OpenSSL said of it; a generic word where it said nothing known."""
    said = message.lower()
    if "wrong_version_number" in said or "wrong version number" in said or "record layer failure" in said:
        return "this port answers without TLS: use the http:// URL, or the port that speaks https"
    if "mismatch" in said or "doesn't match" in said or "not valid for" in said:
        return "the certificate is for another name: use the URL with the name the certificate names"
    if "expired" in said:
        return "the certificate has expired: its administrators must renew it (or this machine's clock is off: date)"
    if "not yet valid" in said:
        return "the certificate is not valid yet: is this machine's clock right? (date)"
    if "self-signed" in said or "self signed" in said or "unable to get local issuer" in said:
        if isinstance(verify, str):
            bundle = inert(verify, limit=80)
            return f"the CA bundle {bundle} does not sign this certificate: give the profile the right one"
        return 'a private CA: give the profile verify = "/path/to/ca.pem", or set SSL_CERT_FILE to that file'
    if "certificate_required" in said or "certificate required" in said:
        return "the server asks for a client certificate, which mediatui does not send"
    return "the TLS handshake failed: check the port, and any proxy on the way (HTTPS_PROXY)"


def _community(settings: Settings, answered: str, took: float) -> Check:
    """It answered: OK unless the link is unsafe (no TLS off this machine, TLS unchecked) or slow."""
    scheme, host = urlsplit(settings.url).scheme, urlsplit(settings.url).hostname or ""
    if scheme == "http" and not _loopback(host):
        return Check("community", False, f"{answered}: the token crosses the network in clear", "use its https:// URL")
    if scheme == "https" and settings.verify is False:
        fix = 'drop --insecure, MEDIATUI_INSECURE or verify = false; for a private CA: verify = "/path/to/ca.pem"'
        return Check("community", False, f"{answered}: anyone on the way could read the token", fix)
    if took >= SLOW:
        return Check("community", False, f"{answered}: slow", "a slow link or server: the list waits as long")
    return Check("community", True, answered)


def _tls(settings: Settings) -> str:
    if urlsplit(settings.url).scheme != "https":
        return "no TLS"
    if settings.verify is False:
        return "TLS not verified"
    if isinstance(settings.verify, str):
        return f"TLS verified against {inert(settings.verify, limit=80)}"
    return "TLS verified"


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _duration(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"

"""`mediatui doctor` and the palette's "Diagnose": one report, a line per thing that can be wrong.

Why one command: when something looks wrong, a moderator (or whoever helps them) needs the terminal, tmux,
the config, the community, the token and the local folders looked at together, each saying OK or what is
wrong and how to fix it. It never changes anything (no config saved, no journal or catalogue made: the
journal is counted read-only), never prints the token (only where it came from), and answers within BUDGET
seconds even when the server hangs: the one request runs on a thread of its own, given what is left of the
budget, and aborted when that is spent. The machine's own checks are in doctor_local. No Textual.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlsplit

from mediatui.api.credentials import TokenBlanker
from mediatui.community import doctor_local as local
from mediatui.community.doctor_local import Check
from mediatui.sanitize import inert
from mediatui.settings.config import ENV_TOKEN, Settings
from mediatui.settings.profiles import ConfigError, ConfigFile

if TYPE_CHECKING:
    from mediatui.api import ServerStatus

BUDGET = 15.0  # seconds: the whole report, even when the server or a token_command hangs
TOKEN_BUDGET = 5.0  # seconds a profile's token_command may take here (it has 20 when mediatui starts)
CONFIG_BUDGET = TOKEN_BUDGET + 2.0  # seconds for reading the config file and running its token_command
FOLDER_BUDGET = 5.0  # seconds for each folder's check (its room, the journal, the trash): a mount may hang
REQUEST_TIMEOUT = 8.0  # seconds for the one request to the community (its whole answer)
SLOW = 2.0  # seconds of one round trip from which the community is said to be slow
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Report:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def lines(self) -> list[str]:
        return [check.line() for check in self.checks]

    def to_json(self) -> dict[str, Any]:
        """What `--json` prints: `ok`, and each check's name, ok, said and fix (null when none)."""
        return {
            "ok": self.ok,
            "checks": [
                {"name": c.name, "ok": c.ok, "said": _cut(c.said), "fix": c.fix and _cut(c.fix)} for c in self.checks
            ],
        }


def _cut(text: str) -> str:
    """As long as a line may be (Check.line): a URL of a million characters is not said whole in the JSON either."""
    return inert(text, limit=local.LINE_LIMIT)


def from_command_line(url: str | None, profile: str | None, insecure: bool) -> Report:
    """The report for the community the same flags would open: the config file read, the settings resolved as
    a command does (a broken config is a line of the report, not the end of it, and so is one on a mount that
    hangs: it is read on a thread of its own, given CONFIG_BUDGET)."""
    start = time.monotonic()
    found = _Later(_configured, url, profile, insecure).by(start + CONFIG_BUDGET)
    if found is None:
        found = _without_config(url, insecure), _config_hung()
    return diagnose(*found, deadline=start + BUDGET)


def for_the_app(settings: Settings, **known: Any) -> Report:
    """The palette's report on the community shown: the config file read again (it may have changed since the
    start), within CONFIG_BUDGET; `known` is what the app knows better (diagnose's size, colors, preview…)."""
    from mediatui.settings import profiles

    def loaded() -> ConfigFile | ConfigError:
        try:
            return profiles.load()
        except ConfigError as exc:
            return exc

    start = time.monotonic()
    config = _Later(loaded).by(start + CONFIG_BUDGET) or _config_hung()
    return diagnose(settings, config, deadline=start + BUDGET, **known)


def _config_hung() -> ConfigError:
    from mediatui.settings.profiles import config_path

    return ConfigError(f"{config_path()}: no answer within {CONFIG_BUDGET:g} s (is its folder on a mount that hangs?)")


def _configured(url: str | None, profile: str | None, insecure: bool) -> tuple[Settings, ConfigFile | ConfigError]:
    from mediatui.settings import profiles

    try:
        config = profiles.load()
        return Settings.resolve(config, url=url, profile=profile, insecure=insecure, token_timeout=TOKEN_BUDGET), config
    except ConfigError as exc:
        return _without_config(url, insecure), exc


def _without_config(url: str | None, insecure: bool) -> Settings:
    """The flags and the variables only: the config file, or the profile it names, is the problem."""
    from mediatui.settings.config import ENV_PROFILE
    from mediatui.settings.profiles import config_path

    without = {k: v for k, v in os.environ.items() if k != ENV_PROFILE}
    return Settings.resolve(ConfigFile(config_path()), url=url, insecure=insecure, environ=without)


def diagnose(
    settings: Settings,
    config: ConfigFile | ConfigError,
    *,
    environ: Mapping[str, str] | None = None,
    size: tuple[int, int] | None = None,
    colors: str | None = None,
    preview: str | None = None,
    no_color: bool | None = None,
    deadline: float | None = None,
) -> Report:
    """Every check, in the order a person reads them. The app gives what it knows better than the environment:
    its `size`, its `colors` and its pictures' `preview` mode now (P changes it); the command line asks."""
    env = os.environ if environ is None else environ
    deadline = time.monotonic() + BUDGET if deadline is None else deadline
    request = _Request(settings, deadline)  # first: the machine's checks run while it travels
    state, data = _Later(local.state_folder, settings), _Later(local.data_folder, settings)  # on a hung mount?
    colors = local.color_system(env) if colors is None else colors
    size = local.terminal_size(env) if size is None else size
    preview = settings.preview if preview is None else preview
    no_color = bool(env.get("NO_COLOR")) if no_color is None else no_color
    from mediatui.pictures.graphics_kitty import is_kitty_terminal

    checks = [
        local.terminal(env, size, colors),
        local.multiplexer(env, kitty_wanted=preview == "kitty" or is_kitty_terminal(env)),
        local.pictures(preview, env, colors, no_color),
        config_check(config),
    ]
    community, token = request.outcome()
    source = token_source(settings, config, env)
    said = token.said if source == "none" else f"{source}; {token.said}"
    checks += [community, Check("token", token.ok, said, token.fix)]
    checks += [_folder(state, "state folder", deadline), _folder(data, "data folder", deadline), local.versions()]
    return Report(tuple(_blanked(checks, settings)))


def _blanked(checks: list[Check], settings: Settings) -> list[Check]:
    """The report with the token as *** wherever it got in (a URL pasted with the token in it, a message)."""
    blank = _blanker(settings)
    if blank is None:
        return checks
    return [replace(c, said=blank.text(c.said), fix=blank.text(c.fix) if c.fix else c.fix) for c in checks]


def _blanker(settings: Settings) -> TokenBlanker | None:
    token = settings.token.reveal()
    return TokenBlanker(token) if token else None


def _shown(settings: Settings) -> Settings:
    """The settings whose URL the report may print: the token in it blanked before any cut could halve it."""
    blank = _blanker(settings)
    return settings if blank is None else replace(settings, url=blank.text(settings.url))


def config_check(config: ConfigFile | ConfigError) -> Check:
    """Found or not, broken or not, readable by others while it holds a token, its profiles and the default."""
    if isinstance(config, ConfigError):
        return Check("config", False, inert(str(config)), "correct the line it names (mediatui reads nothing else)")
    if not config.exists:
        return Check("config", True, inert(f"none at {config.path} (the flags and MEDIATUI_* variables only)"))
    for warning in config.warnings:  # profiles.load's own words: "… (mode 644): chmod 600 PATH"
        said, _, chmod = warning.removeprefix("warning: ").rpartition(": chmod ")
        return Check("config", False, inert(said), inert(f"chmod {chmod}"))
    names = ", ".join(sorted(config.profiles)) or "none"
    default = config.default_profile or (next(iter(config.profiles)) if len(config.profiles) == 1 else "none")
    mode = _mode(config)
    return Check("config", True, inert(f"{config.path}{mode}, profiles: {names}; default: {default}", limit=300))


def _mode(config: ConfigFile) -> str:
    try:
        return f" (mode {config.path.stat().st_mode & 0o777:o})"
    except OSError:
        return ""


def token_source(settings: Settings, config: ConfigFile | ConfigError, environ: Mapping[str, str]) -> str:
    """Where the token came from, never the token: the variable, the profile's key, or the connect screen."""
    token = settings.token.reveal()
    if not token:
        return "none"
    if environ.get(ENV_TOKEN, "").strip() == token:
        return f"from {ENV_TOKEN}"
    profile = config.profiles.get(settings.profile) if isinstance(config, ConfigFile) else None
    if profile is not None:
        named = f"profile {inert(profile.name, limit=40)!r}"
        if profile.token:
            return f"from the token of {named} in the config file" if profile.token == settings.token else "typed in"
        if profile.token_env:
            return f"from ${inert(profile.token_env, limit=40)} (the token_env of {named})"
        if profile.token_command:
            return f"from the token_command of {named}"
    return "typed in"


class _Request:
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
        start = time.monotonic()
        try:
            self.client = self.settings.make_client(self._timeout())
            with self.client:
                status = self.client.probe()
            self.result = (status, time.monotonic() - start)
        except Exception as exc:  # noqa: BLE001 - said as a line of the report
            self.result = (exc, time.monotonic() - start)
            if self.client is not None and time.monotonic() - start >= self.client.timeout * 0.9:
                self.result = (TimeoutError(), time.monotonic() - start)

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


class _Later(Generic[T]):
    """`call(*args)` on a daemon thread from now, its result by a deadline: None when it is still running then
    (a folder on a mount that hangs). What it raised is raised again."""

    def __init__(self, call: Callable[..., T], *args: Any) -> None:
        self.outcome: tuple[bool, Any] | None = None
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._run, args=(call, *args), name="mediatui-doctor", daemon=True)
        self.thread.start()

    def _run(self, call: Callable[..., T], *args: Any) -> None:
        try:
            self.outcome = (True, call(*args))
        except BaseException as exc:  # noqa: BLE001 - raised again on the caller's thread
            self.outcome = (False, exc)

    def by(self, deadline: float) -> T | None:
        self.thread.join(max(0.0, deadline - time.monotonic()))
        if self.outcome is None:
            return None
        done, value = self.outcome
        if not done:
            raise value
        return value


def _folder(check: _Later[Check], name: str, deadline: float) -> Check:
    """A folder's line, or what stands for it when it did not come by the deadline (a mount that hangs)."""
    from mediatui.media.catalogue import ENV_DATA_DIR, data_dir
    from mediatui.upload.journal import ENV_STATE_DIR, state_dir

    found = check.by(min(deadline - 0.2, check.started + FOLDER_BUDGET))
    if found is not None:
        return found
    path, env_var = (state_dir(), ENV_STATE_DIR) if name == "state folder" else (data_dir(), ENV_DATA_DIR)
    said = f"{path}: no answer within {time.monotonic() - check.started:.0f} s"
    return Check(name, False, inert(said), inert(f"is it on a mount that hangs? or set {env_var} to another folder"))


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
        return community, Check("token", False, inert(settings.token_note), "correct the profile's token source")
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
    answered = f"{url} answered in {_duration(took)}, {_tls(settings)}"
    not_checked = Check("token", False, "not checked (the community did not answer)")
    if isinstance(result, InvalidInput):  # the URL, or else the CA bundle the profile or SSL_CERT_FILE names
        fix = "correct the URL (--url, MEDIATUI_URL)"
        if local.server_of(settings) is not None:
            fix = 'give the profile a CA bundle it can read: verify = "/path/to/ca.pem" (or correct SSL_CERT_FILE)'
        return Check("community", False, inert(str(result)), fix), not_checked
    if isinstance(result, AuthError):
        refused = f"the API refused it ({result.status}): expired, or of another community?"
        fix = f"set {ENV_TOKEN} or the profile's token to a valid access token of {url}"
        return _community(settings, answered, took), Check("token", False, refused, fix)
    if isinstance(result, TransportError):
        message = inert(result.message, limit=160)
        if any(word in message.lower() for word in ("certificate", "ssl", "tls")):
            fix = 'give the profile the CA bundle: verify = "/path/to/ca.pem"'
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

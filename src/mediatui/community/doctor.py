"""`mediatui doctor` and the palette's "Diagnose": one report, a line per thing that can be wrong.

Why one command: when something looks wrong, a moderator (or whoever helps them) needs the terminal, tmux,
the config, the community, the token and the local folders looked at together, each saying OK or what is
wrong and how to fix it. It never changes anything (no config saved, no journal or catalogue made: the
journal is counted read-only), never prints the token (only where it came from), and answers within BUDGET
seconds even when the server hangs: the one request runs on a thread of its own, given what is left of the
budget, and aborted when that is spent. The machine's own checks are in doctor_local, the folders' in
doctor_folders, the community's and the token's in doctor_network. No Textual.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

from mediatui.community import doctor_folders as folders
from mediatui.community import doctor_local as local
from mediatui.community import doctor_network as network
from mediatui.community.doctor_local import Check
from mediatui.sanitize import inert
from mediatui.settings.config import ENV_TOKEN, Settings
from mediatui.settings.profiles import ConfigError, ConfigFile

BUDGET = 15.0  # seconds: the whole report, even when the server or a token_command hangs
TOKEN_BUDGET = 5.0  # seconds a profile's token_command may take here (it has 20 when mediatui starts)
CONFIG_BUDGET = TOKEN_BUDGET + 2.0  # seconds for reading the config file and running its token_command
FOLDER_BUDGET = 5.0  # seconds for each folder's check (its room, the journal, the trash): a mount may hang
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
    request = network.Request(settings, deadline)  # first: the machine's checks run while it travels
    state, data = _Later(folders.state_folder, settings), _Later(folders.data_folder, settings)  # on a hung mount?
    colors = local.color_system(env) if colors is None else colors
    size = local.terminal_size(env) if size is None else size
    preview = settings.preview if preview is None else preview
    no_color = bool(env.get("NO_COLOR")) if no_color is None else no_color
    from mediatui.pictures.graphics_kitty import is_kitty_terminal

    checks = [
        local.terminal(env, size, colors),
        local.multiplexer(env, kitty_wanted=preview == "kitty" or is_kitty_terminal(env)),
        local.pictures(preview, env, colors, no_color),
        config_check(config, settings.profile),
    ]
    community, token = request.outcome()
    source = token_source(settings, config, env)
    said = token.said if source == "none" else f"{source}; {token.said}"
    token = Check("token", token.ok, said, token.fix)
    if isinstance(config, ConfigError) and settings.problem() is not None:  # its URL or token is in that file
        if ": no profile " in str(config):
            unread, first = "not checked (no such profile)", "see the config line"
        else:
            unread, first = "not checked (the config file could not be read)", "correct the config file first"
        community = Check("community", False, unread, first)
        token = Check("token", False, unread)
    checks += [community, token]
    checks += [_folder(state, "state folder", deadline), _folder(data, "data folder", deadline), local.versions()]
    return Report(tuple(_blanked(checks, settings)))


def _blanked(checks: list[Check], settings: Settings) -> list[Check]:
    """The report with the token as *** wherever it got in (a URL pasted with the token in it, a message)."""
    blank = network.blanker(settings)
    if blank is None:
        return checks
    return [replace(c, said=blank.text(c.said), fix=blank.text(c.fix) if c.fix else c.fix) for c in checks]


def config_check(config: ConfigFile | ConfigError, checked: str = "") -> Check:
    """Found or not, broken or not, readable by others while it holds a token, its profiles and the default,
    and the profile this report is on when it is not the default (`checked`)."""
    if isinstance(config, ConfigError):
        return Check("config", False, inert(str(config)), _config_fix(str(config)))
    if not config.exists:
        return Check("config", True, inert(f"none at {config.path} (the flags and MEDIATUI_* variables only)"))
    for warning in config.warnings:  # profiles.load's own words: "… (mode 644): chmod 600 PATH"
        said, _, chmod = warning.removeprefix("warning: ").rpartition(": chmod ")
        return Check("config", False, inert(said), inert(f"chmod {chmod}"))
    names = ", ".join(sorted(config.profiles)) or "none"
    default = config.default_profile or (next(iter(config.profiles)) if len(config.profiles) == 1 else "none")
    mode = _mode(config)
    this = f"; this report: {checked}" if checked and checked in config.profiles and checked != default else ""
    return Check("config", True, inert(f"{config.path}{mode}, profiles: {names}; default: {default}{this}", limit=300))


def _config_fix(error: str) -> str:
    """What fixes a config file that cannot be used, by what is wrong with it: a line, a profile, the file."""
    from mediatui.settings.config import ENV_PROFILE
    from mediatui.settings.profiles import ENV_CONFIG

    elsewhere = f"set {ENV_CONFIG} to the config file, or unset it" if os.environ.get(ENV_CONFIG) else "move it away"
    if ": no profile " in error:
        if os.environ.get(ENV_PROFILE):
            return f"use one of its profiles, or unset {ENV_PROFILE}"
        return "name one of its profiles with --profile NAME"
    if "not a regular file" in error or "larger than 1 MB" in error or "not UTF-8 text" in error:
        return elsewhere
    if "cannot be read" in error:
        return f"let its owner read it (chmod 600), or {elsewhere}"
    if "no answer within" in error:
        return f"is its folder on a mount that hangs? {elsewhere}"
    return "correct the line it names (mediatui reads nothing else)"


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

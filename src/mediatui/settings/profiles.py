"""The config file: profiles for several communities, the theme and the log, read and written.

No Textual here. Read with `tomllib` (`tomli` on 3.10; strict, with the line of a syntax error);
written with `tomlkit`, which keeps the user's comments and layout. Every
problem is a ConfigError whose message names the file and says what is wrong,
so that the CLI can print it and exit 2 rather than show a traceback.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from mediatui.api.credentials import Secret, without_userinfo
from mediatui.localdb import make_private
from mediatui.sanitize import inert
from mediatui.settings.config_errors import ConfigError, TokenSourceError
from mediatui.settings.token_command import TOKEN_COMMAND_TIMEOUT, run_token_command, split_command

ENV_CONFIG = "MEDIATUI_CONFIG"

_TOP_KEYS: dict[str, tuple[type, ...]] = {
    "default_profile": (str,),
    "theme": (str,),
    "log": (str,),
    "profiles": (dict,),
}
_PROFILE_KEYS: dict[str, tuple[type, ...]] = {
    "url": (str,),
    "token": (str,),
    "token_env": (str,),
    "token_command": (str,),
    "read_only": (bool,),
    "jobs": (int,),
    "verify": (bool, str),
    "timeout": (int, float),
    "preview": (str,),
    "preview_hosts": (list,),
    "history_days": (int,),
    "trash_mb": (int,),
    "trash_days": (int,),
}
PREVIEW_MODES = ("auto", "halfblock", "off", "kitty")
_TYPE_NAMES = {
    str: "a string in quotes",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    dict: "a table",
}


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    url: str = ""
    token: Secret = field(default_factory=lambda: Secret(""))
    token_env: str = ""
    token_command: str = ""
    read_only: bool = False
    jobs: int | None = None
    verify: bool | str = True
    timeout: float | None = None
    preview: str = "auto"  # pictures: "auto", "kitty", "halfblock" or "off" (nothing fetched); see PREVIEW_MODES
    preview_hosts: tuple[str, ...] = ()  # hosts pictures may come from though their address is private
    history_days: int = 90  # how long the history keeps its records (media/history.py)
    trash_mb: int = 0  # the local trash's size in MB; 0 keeps nothing (community/trash.py)
    trash_days: int = 30  # how long the trash keeps a file

    def resolve_token(
        self, environ: os._Environ[str] | dict[str, str] | None = None, timeout: float = TOKEN_COMMAND_TIMEOUT
    ) -> Secret:
        """The token this profile names: given, from a variable, or printed by a command (run now, within
        `timeout` seconds: `mediatui doctor` gives it less, to answer within its own bound)."""
        env = os.environ if environ is None else environ
        if self.token:
            return self.token
        if self.token_env:
            value = env.get(self.token_env, "").strip()
            if not value:
                raise TokenSourceError(
                    f"profile {inert(self.name)!r}: the variable {inert(self.token_env)} "
                    "named by token_env is not set or empty"
                )
            return Secret(value)
        if self.token_command:
            return run_token_command(self.name, self.token_command, timeout)
        return Secret("")


@dataclass(frozen=True, slots=True)
class ConfigFile:
    path: Path
    exists: bool = False
    default_profile: str | None = None
    theme: str | None = None
    log: str | None = None
    profiles: dict[str, Profile] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def profile(self, name: str) -> Profile:
        if name in self.profiles:
            return self.profiles[name]
        known = ", ".join(sorted(self.profiles)) or "none"
        where = str(self.path) if self.exists else f"{self.path} (which does not exist)"
        raise ConfigError(f"{where}: no profile {inert(name)!r} (profiles: {inert(known)})")


def config_path() -> Path:
    """`MEDIATUI_CONFIG`, or `mediatui/config.toml` in the user's config folder."""
    override = os.environ.get(ENV_CONFIG)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir("mediatui", appauthor=False)) / "config.toml"


MAX_TIMEOUT = 3600  # seconds a profile's `timeout` may give a request
MAX_CONFIG = 1_000_000  # bytes: a config is a few lines; more is a wrong path (/dev/zero hung and ate memory)


def _read_small(path: Path) -> bytes:
    """The file's bytes if it is a regular file of at most MAX_CONFIG; ConfigError otherwise, at once (a FIFO
    or a device is never read: opened without waiting, then looked at)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{path}: not a regular file (a config is a TOML file)")
        if info.st_size > MAX_CONFIG:
            raise ConfigError(f"{path}: larger than 1 MB: is this the config file?")
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read(MAX_CONFIG + 1)
    finally:
        os.close(fd)
    if len(raw) > MAX_CONFIG:
        raise ConfigError(f"{path}: larger than 1 MB: is this the config file?")
    return raw


def load(path: Path | None = None) -> ConfigFile:
    """The config file, checked; a missing file is an empty config, a broken one a ConfigError."""
    path = path or config_path()
    try:
        raw = _read_small(path)
    except FileNotFoundError:
        return ConfigFile(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    # here: most starts have no config file, and every start waits for what loads first
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib  # the same parser, published for 3.10 (a dependency there)

    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {inert(str(exc))}") from None
    except RecursionError:  # the parser nests by recursion: arrays or tables thousands deep
        raise ConfigError(f"{path}: not valid TOML: arrays or tables nested too deeply") from None
    _check_keys(path, text, data, _TOP_KEYS, "")
    profiles = {}
    for name, table in data.get("profiles", {}).items():
        if not isinstance(table, dict):
            raise ConfigError(
                f"{path}{_line_of(text, name)}: profiles.{inert(name)} must be a table ([profiles.{inert(name)}])"
            )
        _check_keys(path, text, table, _PROFILE_KEYS, f"profiles.{name}.")
        profiles[name] = _profile(path, text, name, table)
    config = ConfigFile(path, True, data.get("default_profile"), data.get("theme"), data.get("log"), profiles)
    if config.default_profile is not None and config.default_profile not in profiles:
        raise ConfigError(
            f"{path}{_line_of(text, 'default_profile')}: default_profile names "
            f"{inert(config.default_profile)!r}, which is not under [profiles]"
        )
    return ConfigFile(
        path,
        True,
        config.default_profile,
        config.theme,
        config.log,
        profiles,
        tuple(_readable_token_warning(path, profiles)),
    )


def _check_keys(
    path: Path, text: str, table: dict[str, Any], allowed: dict[str, tuple[type, ...]], prefix: str
) -> None:
    for key, value in table.items():
        if key not in allowed:
            import difflib

            close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
            hint = f" (did you mean `{close[0]}`?)" if close else f" (known: {', '.join(allowed)})"
            raise ConfigError(f"{path}{_line_of(text, key)}: unknown key `{inert(prefix + key)}`{hint}")
        types = allowed[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            wanted = "a number" if float in types else " or ".join(_TYPE_NAMES[t] for t in types)
            found = _kind_of(value) if key in _UNQUOTED else inert(repr(value), limit=40)
            raise ConfigError(f"{path}{_line_of(text, key)}: `{inert(prefix + key)}` must be {wanted}, not {found}")


#: Keys whose wrong value a message never quotes: a token (quotes forgotten), a URL with user:password@ in it.
_UNQUOTED = ("token", "url")


def _kind_of(value: Any) -> str:
    """What a TOML value is, said without it: "a whole number", "a list"."""
    names = {**_TYPE_NAMES, list: "a list"}
    return next((name for kind, name in names.items() if type(value) is kind), "a date or a time")


def _profile(path: Path, text: str, name: str, table: dict[str, Any]) -> Profile:
    sources = [k for k in ("token", "token_env", "token_command") if k in table]
    if len(sources) > 1:
        raise ConfigError(f"{path}: profile {inert(name)!r} has {' and '.join(sources)}: keep one of them")
    jobs = table.get("jobs")
    if jobs is not None and not 1 <= jobs <= 16:
        raise ConfigError(f"{path}{_line_of(text, 'jobs')}: profiles.{inert(name)}.jobs must be from 1 to 16")
    timeout = table.get("timeout")
    if timeout is not None and not 0 < timeout <= MAX_TIMEOUT:  # also nan (TOML has it) and inf: no socket takes them
        raise ConfigError(
            f"{path}{_line_of(text, 'timeout')}: profiles.{inert(name)}.timeout must be above 0 "
            f"and at most {MAX_TIMEOUT:g} seconds"
        )
    if "token_command" in table and not split_command(table["token_command"]):
        raise ConfigError(f"{path}: profiles.{inert(name)}.token_command is empty or not a valid command line")
    preview = table.get("preview", "auto")
    if preview not in PREVIEW_MODES:
        raise ConfigError(
            f"{path}{_line_of(text, 'preview')}: profiles.{inert(name)}.preview must be "
            f"one of {', '.join(PREVIEW_MODES)}, not {inert(preview, limit=40)!r}"
        )
    hosts = table.get("preview_hosts", [])
    if not all(isinstance(host, str) and host.strip() for host in hosts):
        raise ConfigError(
            f"{path}{_line_of(text, 'preview_hosts')}: profiles.{inert(name)}.preview_hosts lists host names"
        )
    days = table.get("history_days", 90)
    if not 1 <= days <= 3650:
        raise ConfigError(
            f"{path}{_line_of(text, 'history_days')}: profiles.{inert(name)}.history_days must be from 1 to 3650"
        )
    trash = table.get("trash_mb", 0)
    keep_days = table.get("trash_days", 30)
    if not 0 <= trash <= 1_000_000 or not 1 <= keep_days <= 3650:
        key = "trash_mb" if not 0 <= trash <= 1_000_000 else "trash_days"
        raise ConfigError(
            f"{path}{_line_of(text, key)}: profiles.{inert(name)}.trash_mb goes from 0 (off) to 1000000, "
            "trash_days from 1 to 3650"
        )
    verify = table.get("verify", True)
    if isinstance(verify, str):
        verify = str(Path(verify).expanduser())
    return Profile(
        name,
        without_userinfo(table.get("url", "").strip()),
        Secret(table.get("token", "").strip()),
        table.get("token_env", ""),
        table.get("token_command", ""),
        table.get("read_only", False),
        jobs,
        verify,
        float(timeout) if timeout is not None else None,
        preview,
        tuple(host.strip() for host in hosts),
        days,
        trash,
        keep_days,
    )


def _line_of(text: str, key: str) -> str:
    """`:LINE` of the first line that sets `key`, for a message that points at it (or nothing)."""
    pattern = re.compile(rf"^\s*(\[\s*profiles\.)?[\"']?{re.escape(key)}[\"']?\s*(=|\])", re.MULTILINE)
    match = pattern.search(text)
    return f":{text.count(chr(10), 0, match.start()) + 1}" if match else ""


def _readable_token_warning(path: Path, profiles: dict[str, Profile]) -> list[str]:
    if not any(p.token for p in profiles.values()):
        return []
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return []
    if mode & 0o077:
        return [f"warning: {path} holds a token and others can read it (mode {mode:o}): chmod 600 {path}"]
    return []


# -- writing -------------------------------------------------------------------------


def save_profile(path: Path, name: str, values: dict[str, Any], *, make_default: bool = False) -> None:
    """Add or change `[profiles.NAME]`, keeping every other line and comment of the file."""
    import tomlkit

    doc = _read_doc(path)
    if "profiles" not in doc:
        doc["profiles"] = tomlkit.table(is_super_table=True)
    profiles = doc["profiles"]
    if name not in profiles:
        profiles[name] = tomlkit.table()
    table = profiles[name]
    for key, value in values.items():
        if key not in _PROFILE_KEYS:
            raise ConfigError(f"not a profile key: {key}")
        if value is None or value == "":
            table.pop(key, None)
        else:
            table[key] = value
    if make_default or "default_profile" not in doc:
        doc["default_profile"] = name
    _write(path, tomlkit.dumps(doc))


def save_theme(path: Path, theme: str) -> None:
    """Set the top-level `theme`, keeping the rest of the file."""
    doc = _read_doc(path)
    doc["theme"] = theme
    import tomlkit

    _write(path, tomlkit.dumps(doc))


def _read_doc(path: Path) -> Any:
    import tomlkit

    try:
        return tomlkit.parse(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return tomlkit.document()
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError) as exc:
        raise ConfigError(f"{path}: cannot be updated: {inert(str(exc))}") from None


def _write(path: Path, text: str) -> None:
    """Write the whole file at once (a crash leaves the old or the new one), 0600 in a 0700 folder."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        make_private(path.parent, 0o700)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
        make_private(path, 0o600)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be written: {exc.strerror or exc}") from None

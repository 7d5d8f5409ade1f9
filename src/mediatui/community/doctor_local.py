"""The checks of `mediatui doctor` that ask this machine only: the terminal, tmux or screen, the pictures, the
versions.

Apart from the community's (doctor_network) and the folders' (doctor_folders) so that each reads as what a
moderator sees: a line that says OK, or what is wrong and the command that fixes it. Nothing here writes.
No Textual: the CLI and the palette's "Diagnose" print the same lines.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass

from mediatui.sanitize import inert

MIN_SIZE = (80, 24)  # the screens are laid out for 80x24 at least (the snapshots' smallest)
TMUX_TIMEOUT = 2.0  # seconds for each `tmux show-options`: a tmux server that hangs must not hold the report
LINE_LIMIT = 600  # characters of a line of the report, and of a JSON field: a value of a megabyte is cut
TMUX_OUTPUT = 8192  # bytes of `tmux show-options` read at most: an option's value is a word
FORCED_COLORS = ("truecolor", "256", "standard", "windows")  # what TEXTUAL_COLOR_SYSTEM may name
COLOURS = {"truecolor": "truecolor", "256": "256 colours"}  # what the terminal's line calls each


@dataclass(frozen=True, slots=True)
class Check:
    """One line of the report: `said` is what was found; `fix`, when not OK, what to run or change."""

    name: str
    ok: bool
    said: str
    fix: str | None = None

    def line(self) -> str:
        """`OK  terminal: …` or `!!  tmux: set-clipboard is off: tmux set -g set-clipboard on` (inert)."""
        fix = f": {self.fix}" if self.fix and not self.ok else ""
        return inert(f"{'OK' if self.ok else '!!'}  {self.name}: {self.said}{fix}", limit=LINE_LIMIT)


def color_system(environ: Mapping[str, str]) -> str | None:
    """What the app will draw with, as Textual makes it at start: TEXTUAL_COLOR_SYSTEM when it names one, else
    Rich's guess from TERM and COLORTERM ("truecolor", "256", "standard"; None where TERM names no colours, for
    which Textual draws in 24-bit colour), whether or not stdout is a terminal now."""
    import io

    from rich.console import Console

    forced = environ.get("TEXTUAL_COLOR_SYSTEM", "auto")
    if forced in FORCED_COLORS:
        return forced
    # A size given: Rich would read COLUMNS and LINES with int(), which raises on a value of 4301 digits or more.
    console = Console(file=io.StringIO(), force_terminal=True, width=80, height=24, _environ=dict(environ))
    return console.color_system


def python_found_c_locale() -> bool:
    """Whether this Python found the C locale at its start (the variables name C or POSIX, or nothing, or a
    locale that is not installed here). It then turns on its UTF-8 mode (PEP 540) and, unless LC_ALL is set,
    puts LC_CTYPE=C.UTF-8 into its own environment (PEP 538): the terminal's other programs still get C."""
    import sys

    if sys.version_info >= (3, 15):  # UTF-8 mode is on by default there (PEP 686): it no longer tells
        return False
    return bool(sys.flags.utf8_mode) and not os.environ.get("PYTHONUTF8") and "utf8" not in sys._xoptions


def variables_at_start() -> dict[str, str] | None:
    """The locale's variables as this process was given them, from Linux's /proc/self/environ (Python's own
    LC_CTYPE=C.UTF-8 is not in it); None where that cannot be read (another system)."""
    try:
        with open("/proc/self/environ", "rb") as given:
            raw = given.read(1_000_000)
    except OSError:
        return None
    found = {}
    for item in raw.split(b"\0"):
        key, sep, value = item.partition(b"=")
        if sep and key in (b"LC_ALL", b"LC_CTYPE", b"LANG"):
            found[key.decode()] = value.decode("utf-8", "replace")
    return found


def locale_said(environ: Mapping[str, str], c_at_start: bool) -> tuple[str, str | None]:
    """The locale's part of the terminal's line, and its fix (None when it is UTF-8). The fix names the variable
    that wins (LC_ALL, else LC_CTYPE, else LANG): setting LANG under an LC_ALL=C changes nothing. When Python
    found C at its start, the variables it was given say which (its own environment has its LC_CTYPE)."""
    given = variables_at_start() if c_at_start else None
    source = environ if given is None else given
    coerced = c_at_start and given is None and not environ.get("LC_ALL")  # an LC_CTYPE of C.UTF-8 is Python's
    winner = next(
        (k for k in ("LC_ALL", "LC_CTYPE", "LANG") if source.get(k) and not (k == "LC_CTYPE" and coerced)), None
    )
    name = inert(source[winner], limit=40) if winner else "C"
    variable = winner or "LANG"
    unset = "" if variable == "LANG" else f" (or unset {variable})"
    utf8 = "utf-8" in name.lower() or "utf8" in name.lower()
    if utf8 and not c_at_start:
        return "UTF-8", None
    if utf8:
        said = f"locale {name} is not installed here (programs fall back to C)"
        if "_" not in name:  # not a locale's name at all (a Mac's LC_CTYPE=UTF-8): nothing to install
            return said, f"export {variable}=C.UTF-8{unset}"
        return said, f"export {variable}=C.UTF-8, or install it: sudo locale-gen {name}"
    return f"locale {name} is not UTF-8 (lines and pictures come out as ?)", f"export {variable}=C.UTF-8{unset}"


def terminal_size(environ: Mapping[str, str]) -> tuple[int, int] | None:
    """COLUMNS and LINES when set (as shutil reads them), else the size of whichever of stdin, stdout or stderr
    is a terminal; None when none is (`mediatui doctor --json | jq` from a script)."""
    try:
        columns, lines = int(environ.get("COLUMNS", "0")), int(environ.get("LINES", "0"))
    except ValueError:
        columns = lines = 0
    if columns > 0 and lines > 0:
        return columns, lines
    for fd in (1, 0, 2):
        try:
            size = os.get_terminal_size(fd)
        except OSError:
            continue
        return size.columns, size.lines
    return None


def terminal(environ: Mapping[str, str], size: tuple[int, int] | None, colors: str | None) -> Check:
    """TERM, colours, a UTF-8 locale and the size, on one line; each wrong part with its fix. Without a
    terminal (a script, cron, ssh without -t) there is nothing to check: said, and not a fault."""
    if size is None and not (environ.get("COLUMNS") or environ.get("LINES")):
        return Check("terminal", True, "none (not run in a terminal): run doctor in the terminal to check it")
    said: list[str] = []
    fixes: list[str] = []
    term = environ.get("TERM", "")
    forced = environ.get("TEXTUAL_COLOR_SYSTEM", "") if environ.get("TEXTUAL_COLOR_SYSTEM") in FORCED_COLORS else ""
    unknown = environ.get("TEXTUAL_COLOR_SYSTEM", "auto") not in (*FORCED_COLORS, "auto")
    if unknown:  # Textual stops at start on it
        said.append(f"TEXTUAL_COLOR_SYSTEM={inert(environ['TEXTUAL_COLOR_SYSTEM'], limit=20)} is none Textual knows")
        fixes.append("unset TEXTUAL_COLOR_SYSTEM (or set it to truecolor, 256 or standard)")
    if not term or term.lower() in ("dumb", "unknown"):
        named = f"TERM={inert(term, limit=40)} names no terminal" if term else "TERM is not set"
        drawn = f"{COLOURS.get(forced, '16 colours')} (TEXTUAL_COLOR_SYSTEM={forced})" if forced else "24-bit colour"
        said.append(f"{named}: mediatui draws in {drawn} anyway, other programs (tmux, less, vim) draw nothing")
        fixes.append("export TERM=xterm-256color (or your terminal's own name)")
    else:
        said.append(inert(term, limit=40))
        if colors in COLOURS:
            said.append(COLOURS[colors] + (f" (TEXTUAL_COLOR_SYSTEM={forced})" if forced else ""))
        elif forced:
            said.append(f"16 colours only (TEXTUAL_COLOR_SYSTEM={forced})")
            fixes.append("unset TEXTUAL_COLOR_SYSTEM")
        else:
            said.append("16 colours only")
            fixes.append("export COLORTERM=truecolor if the terminal has it, else TERM=xterm-256color")
    locale, locale_fix = locale_said(environ, python_found_c_locale())
    said.append(locale)
    fixes += [locale_fix] if locale_fix else []
    if size is None:
        said.append("size unknown")
    elif size[0] < MIN_SIZE[0] or size[1] < MIN_SIZE[1]:
        said.append(f"{size[0]}x{size[1]}, smaller than {MIN_SIZE[0]}x{MIN_SIZE[1]}")
        fixes.append(f"make the window at least {MIN_SIZE[0]}x{MIN_SIZE[1]}")
    else:
        said.append(f"{size[0]}x{size[1]}")
    return Check("terminal", not fixes, ", ".join(said), "; ".join(fixes) or None)


def tmux_option(name: str, environ: Mapping[str, str]) -> str:
    """A tmux option's global value, as the tmux on PATH says it; OSError or subprocess errors when it cannot.
    At most TMUX_OUTPUT bytes are read (a `tmux` that floods its output once filled 2 GB in its 2 s)."""
    from mediatui.settings.token_command import end_group, read_output

    proc = subprocess.Popen(
        ["tmux", "show-options", "-gv", name],
        env=dict(environ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # what it starts ends with it
    )
    deadline = time.monotonic() + TMUX_TIMEOUT
    try:
        output = read_output(proc, deadline, TMUX_OUTPUT)
        code = proc.wait(max(0.0, deadline - time.monotonic())) if output is not None else None
    except BaseException:
        end_group(proc)
        raise
    if output is None:
        end_group(proc)
        raise subprocess.SubprocessError(f"tmux printed more than {TMUX_OUTPUT // 1024} KB")
    if code != 0:
        raise subprocess.SubprocessError(f"tmux exited with status {code}")
    return output.decode("utf-8", "replace").strip()


def multiplexer(environ: Mapping[str, str], kitty_wanted: bool) -> Check:
    """Inside tmux: set-clipboard must be on for the copy keys (OSC 52), allow-passthrough for Kitty pictures
    (`kitty_wanted`: the profile asks for them, or the terminal outside draws them). Inside screen: neither
    passes, and screen has no option for it. TERM naming tmux without $TMUX: ssh from inside tmux, whose
    options are the other machine's."""
    if environ.get("TMUX"):
        return _tmux(environ, kitty_wanted)
    if environ.get("STY"):
        return Check(
            "screen",
            False,
            "GNU screen passes neither the clipboard (OSC 52) nor Kitty pictures",
            "run mediatui outside screen, or in tmux with set-clipboard on",
        )
    if environ.get("ZELLIJ"):
        return Check("tmux", True, "inside zellij, which doctor cannot ask (it passes no Kitty pictures)")
    term = environ.get("TERM", "")
    if term.startswith(("tmux", "screen")):
        which = "tmux" if term.startswith("tmux") else "tmux or screen"
        said = (
            f"TERM says {which}, on the machine you came from (no $TMUX here): there, y, Y and ctrl+y need "
            "set-clipboard on, and Kitty pictures allow-passthrough on"
        )
        return Check("tmux", True, said)
    return Check("tmux", True, "not inside tmux or screen")


def _tmux(environ: Mapping[str, str], kitty_wanted: bool) -> Check:
    try:
        clipboard = tmux_option("set-clipboard", environ)
        try:
            passthrough: str | None = tmux_option("allow-passthrough", environ)
        except subprocess.SubprocessError as exc:  # it answered set-clipboard: it lacks this option (before 3.3)
            if not str(exc).startswith("tmux exited"):
                raise
            passthrough = None
    except (OSError, subprocess.SubprocessError) as exc:
        reason = str(exc) if type(exc) is subprocess.SubprocessError else type(exc).__name__
        if isinstance(exc, FileNotFoundError):
            reason = "tmux is not on PATH"
        if isinstance(exc, subprocess.TimeoutExpired):
            reason = f"tmux did not answer within {TMUX_TIMEOUT:g} s"
        return Check(
            "tmux",
            False,
            f"inside tmux, but its options could not be read ({reason})",
            "run `tmux show-options -g set-clipboard` and `tmux show-options -g allow-passthrough` there",
        )
    said = [f"set-clipboard {inert(clipboard, limit=20)}", f"allow-passthrough {inert(passthrough or '', limit=20)}"]
    wrong = []
    if clipboard != "on":
        said[0] = f"set-clipboard is {inert(clipboard, limit=20) or 'off'} (y, Y and ctrl+y copy nothing)"
        wrong.append("set-clipboard")
    if passthrough is None:
        said[1] = "no allow-passthrough (a tmux before 3.3 passes Kitty pictures through)"
    elif passthrough not in ("on", "all"):
        if kitty_wanted:
            said[1] = f"allow-passthrough is {inert(passthrough, limit=20) or 'off'} (no Kitty pictures)"
            wrong.append("allow-passthrough")
        else:
            said[1] += " (only Kitty pictures need it)"
    return Check("tmux", not wrong, ", ".join(said), _tmux_fix(wrong))


def _tmux_fix(options: list[str]) -> str | None:
    """`tmux set -g` now, and the same in ~/.tmux.conf, which a restarted tmux server reads (the other not)."""
    if not options:
        return None
    now = "; ".join(f"tmux set -g {option} on" for option in options)
    if len(options) == 1:
        return f"{now} (and set -g {options[0]} on in ~/.tmux.conf, to keep it)"
    return f"{now} (and the same lines, without `tmux`, in ~/.tmux.conf, to keep them)"


def pictures(setting: str, environ: Mapping[str, str], colors: str | None, no_color: bool) -> Check:
    """Which way pictures are drawn (pictures.preview.resolve_mode decides it, as the app does) and why."""
    from mediatui.pictures.graphics_kitty import in_multiplexer, is_kitty_terminal
    from mediatui.pictures.preview import resolve_mode

    mode = resolve_mode(setting, environ, colors)
    if mode == "kitty" and no_color:
        return Check("pictures", True, "half blocks: NO_COLOR greys the cells that name a Kitty picture")
    if setting in ("off", "halfblock"):
        words = "off: nothing is fetched" if setting == "off" else "half blocks"
        return Check("pictures", True, f'{words} (the profile\'s preview = "{setting}")')
    if mode == "halfblock" and colors not in ("truecolor", "256"):
        return Check("pictures", True, "half blocks: Kitty pictures need 256 colours or more")
    if setting == "kitty":
        return Check("pictures", True, 'Kitty graphics (the profile\'s preview = "kitty")')
    if mode == "kitty":
        return Check("pictures", True, "Kitty graphics: this terminal draws them (kitty or Ghostty)")
    if in_multiplexer(environ):
        why = "inside tmux or zellij, which auto never trusts with them"
        if is_kitty_terminal(environ):
            why += ' (preview = "kitty" in the profile, with allow-passthrough on, draws them)'
        return Check("pictures", True, f"half blocks: {why}")
    return Check("pictures", True, "half blocks: the terminal is not one known to draw Kitty pictures")


def versions() -> Check:
    """mediatui's, Python's and Textual's (from its installed metadata: no Textual imported here)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    from mediatui import __version__

    try:
        textual = version("textual")
    except PackageNotFoundError:
        textual = "not installed"
    return Check("versions", True, f"mediatui {__version__}, Python {platform.python_version()}, Textual {textual}")

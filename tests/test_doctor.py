"""`mediatui doctor`: a test for each check, OK and wrong, against the sandbox and a faked environment (TERM,
COLORTERM, the locale, a fake `tmux` on PATH, folders that cannot be used, a refused token, a hung server)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from conftest import OTHER_TOKEN
from hostile_server import HostileServer
from mediatui import cli
from mediatui.community import doctor, doctor_folders, doctor_local

NAMES = ["terminal", "tmux", "pictures", "config", "community", "token", "state folder", "data folder", "versions"]


def run(capsys, *args: str) -> tuple[int, dict[str, str], str]:
    """The exit code, each line by its check's name, and everything printed (stdout and stderr)."""
    code = cli.main(["doctor", *args])
    out = capsys.readouterr()
    lines = {line[4:].split(":", 1)[0]: line for line in out.out.splitlines()}
    return code, lines, out.out + out.err


def fake_tmux(tmp_path, monkeypatch, clipboard: str, passthrough: str, *, wait: float = 0) -> None:
    """A `tmux` first on PATH that answers `show-options -gv NAME` as a tmux server set so would, inside tmux."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    script = folder / "tmux"
    script.write_text(
        "#!/bin/sh\n"
        + (f"sleep {wait}\n" if wait else "")
        + f'case "$3" in set-clipboard) echo {clipboard};; allow-passthrough) echo {passthrough};; esac\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1234,0")


def tree(*folders: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file and folder under `folders`: mode, mtime and bytes, to see that nothing changed."""
    found = {}
    for top in folders:
        for path in [top, *top.rglob("*")] if top.exists() else []:
            info = path.stat()
            found[str(path)] = (info.st_mode, info.st_mtime_ns, path.read_bytes() if path.is_file() else b"")
    return found


# -- everything OK, and the report's shapes ----------------------------------------------------------


@pytest.mark.smoke
def test_everything_ok_against_the_sandbox(env, capsys):
    code, lines, printed = run(capsys)
    assert code == 0
    assert list(lines) == NAMES and all(line.startswith("OK  ") for line in lines.values())
    assert lines["terminal"] == "OK  terminal: xterm-256color, truecolor, UTF-8, 120x40"
    assert lines["tmux"] == "OK  tmux: not inside tmux or screen"
    assert lines["community"].startswith(f"OK  community: {env.url} answered in ")
    assert lines["community"].endswith(" ms, no TLS")
    assert lines["token"] == "OK  token: from MEDIATUI_TOKEN; the API accepts it (40 media)"
    assert env.token not in printed


def test_json_says_the_same_with_the_same_exit_code(env, capsys, monkeypatch):
    code = cli.main(["doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["ok"] is True
    assert [c["name"] for c in report["checks"]] == NAMES
    assert all(set(c) == {"name", "ok", "said", "fix"} and c["ok"] and c["fix"] is None for c in report["checks"])

    monkeypatch.setenv("TERM", "dumb")
    code = cli.main(["doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    terminal = report["checks"][0]
    assert code == 1 and report["ok"] is False
    assert terminal["ok"] is False and terminal["said"].startswith("TERM=dumb") and "xterm-256color" in terminal["fix"]


def test_versions(env, capsys):
    import platform
    from importlib.metadata import version

    _, lines, _ = run(capsys)
    assert lines["versions"] == (
        f"OK  versions: mediatui 0.1.0, Python {platform.python_version()}, Textual {version('textual')}"
    )


# -- the terminal ---------------------------------------------------------------------------------------------


def test_term_dumb_or_unset(env, capsys, monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    code, lines, _ = run(capsys)
    assert code == 1
    assert lines["terminal"].startswith("!!  terminal: TERM=dumb names no terminal: mediatui draws in 24-bit")
    monkeypatch.delenv("TERM")
    code, lines, _ = run(capsys)
    assert code == 1 and lines["terminal"].startswith("!!  terminal: TERM is not set: mediatui draws in 24-bit")


def test_sixteen_colours(env, capsys, monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("COLORTERM")
    code, lines, _ = run(capsys)
    assert code == 1
    assert lines["terminal"] == (
        "!!  terminal: xterm, 16 colours only, UTF-8, 120x40: "
        "export COLORTERM=truecolor if the terminal has it, else TERM=xterm-256color"
    )
    assert lines["pictures"] == "OK  pictures: half blocks: Kitty pictures need 256 colours or more"
    monkeypatch.setenv("TERM", "screen-256color")  # 256 colours from TERM alone
    code, lines, _ = run(capsys)
    assert code == 0 and lines["terminal"] == "OK  terminal: screen-256color, 256 colours, UTF-8, 120x40"


def test_a_locale_that_is_not_utf8(env, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "C")
    code, lines, _ = run(capsys)
    assert code == 1
    assert lines["terminal"] == (
        "!!  terminal: xterm-256color, truecolor, locale C is not UTF-8 (lines and pictures come out as ?), "
        "120x40: export LANG=C.UTF-8"
    )
    monkeypatch.delenv("LANG")  # no locale at all is C too
    assert run(capsys)[0] == 1
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_ALL", "POSIX")  # LC_ALL wins over LANG
    code, lines, _ = run(capsys)
    assert code == 1 and "locale POSIX is not UTF-8" in lines["terminal"]
    monkeypatch.setenv("LC_ALL", "de_DE.utf8")
    assert run(capsys)[0] == 0


def test_a_terminal_smaller_than_80x24(env, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "70")
    code, lines, _ = run(capsys)
    assert code == 1
    assert lines["terminal"] == (
        "!!  terminal: xterm-256color, truecolor, UTF-8, 70x40, smaller than 80x24: make the window at least 80x24"
    )


# -- tmux and screen ---------------------------------------------------------------------------------------


def test_tmux_with_set_clipboard_and_passthrough_off(env, capsys, tmp_path, monkeypatch):
    fake_tmux(tmp_path, monkeypatch, "off", "off")
    code, lines, _ = run(capsys)
    assert code == 1
    assert lines["tmux"] == (
        "!!  tmux: set-clipboard is off (y, Y and ctrl+y copy nothing), "
        "allow-passthrough off (only Kitty pictures need it): tmux set -g set-clipboard on "
        "(and set -g set-clipboard on in ~/.tmux.conf, to keep it)"
    )
    assert lines["pictures"] == "OK  pictures: half blocks: inside tmux or zellij, which auto never trusts with them"

    monkeypatch.setenv("KITTY_WINDOW_ID", "3")  # kitty outside: its pictures would need the passthrough
    code, lines, _ = run(capsys)
    assert lines["tmux"].endswith(
        "allow-passthrough is off (no Kitty pictures): tmux set -g set-clipboard on; tmux set -g allow-passthrough on "
        "(and the same lines, without `tmux`, in ~/.tmux.conf, to keep them)"
    )


def test_tmux_set_right(env, capsys, tmp_path, monkeypatch):
    fake_tmux(tmp_path, monkeypatch, "on", "on")
    code, lines, _ = run(capsys)
    assert code == 0 and lines["tmux"] == "OK  tmux: set-clipboard on, allow-passthrough on"
    fake_tmux(tmp_path, monkeypatch, "external", "all")  # tmux's default: applications' copies are ignored
    code, lines, _ = run(capsys)
    assert code == 1 and lines["tmux"].startswith("!!  tmux: set-clipboard is external (y, Y and ctrl+y")


def test_tmux_that_cannot_be_asked(env, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1234,0")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    code, lines, _ = run(capsys)
    assert code == 1 and lines["tmux"].startswith(
        "!!  tmux: inside tmux, but its options could not be read (tmux is not on PATH): run `tmux show-options"
    )


def test_a_tmux_that_hangs_is_not_waited_for(env, capsys, tmp_path, monkeypatch):
    fake_tmux(tmp_path, monkeypatch, "on", "on", wait=30)
    start = time.monotonic()
    code, lines, _ = run(capsys)
    assert time.monotonic() - start < 2 * doctor_local.TMUX_TIMEOUT + 2
    assert code == 1 and "(tmux did not answer within 2 s)" in lines["tmux"]


def test_gnu_screen(env, capsys, monkeypatch):
    monkeypatch.setenv("STY", "1234.pts-0.host")
    code, lines, _ = run(capsys)
    assert code == 1 and lines["screen"] == (
        "!!  screen: GNU screen passes neither the clipboard (OSC 52) nor Kitty pictures: "
        "run mediatui outside screen, or in tmux with set-clipboard on"
    )


# -- the pictures ------------------------------------------------------------------------------------------------


def test_which_pictures_and_why(env, capsys, monkeypatch, tmp_path):
    assert run(capsys)[1]["pictures"] == (
        "OK  pictures: half blocks: the terminal is not one known to draw Kitty pictures"
    )
    monkeypatch.setenv("TERM", "xterm-kitty")
    assert run(capsys)[1]["pictures"] == "OK  pictures: Kitty graphics: this terminal draws them (kitty or Ghostty)"
    monkeypatch.setenv("NO_COLOR", "1")
    assert "NO_COLOR greys the cells" in run(capsys)[1]["pictures"]
    monkeypatch.delenv("NO_COLOR")
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text(f'[profiles.quiet]\nurl = "{env.url}"\npreview = "off"\n')
    assert run(capsys)[1]["pictures"] == 'OK  pictures: off: nothing is fetched (the profile\'s preview = "off")'


# -- the config file -------------------------------------------------------------------------------------------


def write_config(tmp_path, text: str, mode: int = 0o600) -> Path:
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(exist_ok=True)
    config.write_text(text)
    config.chmod(mode)
    return config


def test_no_config_file(env, capsys, tmp_path):
    lines = run(capsys)[1]
    assert lines["config"] == (
        f"OK  config: none at {tmp_path}/config/config.toml (the flags and MEDIATUI_* variables only)"
    )


def test_a_config_with_profiles_and_its_default(env, capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("MEDIATUI_URL")
    monkeypatch.delenv("MEDIATUI_TOKEN")
    monkeypatch.setenv("SANDBOX_TOKEN", env.token)
    path = write_config(
        tmp_path,
        f'default_profile = "team"\n[profiles.other]\nurl = "https://other.invalid"\n'
        f'[profiles.team]\nurl = "{env.url}"\ntoken_env = "SANDBOX_TOKEN"\n',
    )
    code, lines, _ = run(capsys)
    assert code == 0
    assert lines["config"] == f"OK  config: {path} (mode 600), profiles: other, team; default: team"
    assert lines["token"] == (
        "OK  token: from $SANDBOX_TOKEN (the token_env of profile 'team'); the API accepts it (40 media)"
    )


def test_a_config_others_can_read_while_it_holds_a_token(env, capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("MEDIATUI_TOKEN")
    path = write_config(tmp_path, f'[profiles.team]\nurl = "{env.url}"\ntoken = "{env.token}"\n', 0o644)
    code, lines, printed = run(capsys)
    assert code == 1
    assert lines["config"] == f"!!  config: {path} holds a token and others can read it (mode 644): chmod 600 {path}"
    assert lines["token"] == (
        "OK  token: from the token of profile 'team' in the config file; the API accepts it (40 media)"
    )
    assert env.token not in printed


def test_a_broken_config_is_a_line_not_the_end(env, capsys, tmp_path):
    path = write_config(tmp_path, "[profiles.team]\nurll = 'x'\n")
    code, lines, _ = run(capsys)
    assert code == 1  # not 2: the report is still made
    assert lines["config"] == (
        f"!!  config: {path}:2: unknown key `profiles.team.urll` (did you mean `url`?): "
        "correct the line it names (mediatui reads nothing else)"
    )
    assert list(lines) == NAMES and lines["community"].startswith("OK  community")


def test_an_unknown_profile(env, capsys, tmp_path, monkeypatch):
    write_config(tmp_path, f'[profiles.team]\nurl = "{env.url}"\n')
    monkeypatch.setenv("MEDIATUI_PROFILE", "nope")
    code, lines, _ = run(capsys)
    assert code == 1 and "no profile 'nope' (profiles: team)" in lines["config"]
    assert lines["token"].startswith("OK  token: from MEDIATUI_TOKEN")


# -- the community and the token ----------------------------------------------------------------------


def test_a_refused_token(env, capsys, monkeypatch):
    monkeypatch.setenv("MEDIATUI_TOKEN", "a-wrong-token-of-some-length")
    code, lines, printed = run(capsys)
    assert code == 1
    assert lines["community"].startswith("OK  community: ")  # it answered
    assert lines["token"] == (
        "!!  token: from MEDIATUI_TOKEN; the API refused it (401): expired, or of another community?: "
        f"set MEDIATUI_TOKEN or the profile's token to a valid access token of {env.url}"
    )
    assert "a-wrong-token-of-some-length" not in printed
    code, _, printed = run(capsys, "--json")
    assert code == 1 and "a-wrong-token-of-some-length" not in printed


def test_another_moderators_token_works(env, capsys, monkeypatch):
    monkeypatch.setenv("MEDIATUI_TOKEN", OTHER_TOKEN)
    assert run(capsys)[0] == 0


def test_no_url_and_no_token(healthy, capsys):
    code, lines, _ = run(capsys)
    assert code == 1
    assert lines["community"] == (
        "!!  community: no URL: "
        "pass --url https://your.community, set MEDIATUI_URL, or pick a profile with --profile NAME"
    )
    assert lines["token"] == (
        "!!  token: none: set MEDIATUI_TOKEN, or give the profile a token, token_env or token_command"
    )


def test_a_token_command_that_fails(env, capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("MEDIATUI_TOKEN")
    write_config(tmp_path, f'[profiles.team]\nurl = "{env.url}"\ntoken_command = "false"\n')
    code, lines, _ = run(capsys)
    assert code == 1
    assert lines["token"].startswith("!!  token: profile 'team': token_command `false` ")
    assert lines["community"] == f"!!  community: {env.url}: not asked (no usable token): see the token"


def test_a_community_that_cannot_be_reached(healthy, capsys):
    with HostileServer() as server:
        url = server.url
    healthy.setenv("MEDIATUI_URL", url)  # nothing listens there any more
    healthy.setenv("MEDIATUI_TOKEN", "sandbox-token")
    code, lines, _ = run(capsys)
    assert code == 1
    assert lines["community"].startswith(f"!!  community: {url}: unreachable: ")
    assert lines["token"] == "!!  token: from MEDIATUI_TOKEN; not checked (the community did not answer)"


def test_tls_that_fails(healthy, capsys):
    with HostileServer() as server:  # plain HTTP: a TLS handshake with it fails
        url = server.url.replace("http://", "https://")
        healthy.setenv("MEDIATUI_URL", url)
        healthy.setenv("MEDIATUI_TOKEN", "sandbox-token")
        code, lines, _ = run(capsys)
    assert code == 1
    assert lines["community"].startswith(f"!!  community: {url}: TLS error: ")
    assert lines["community"].endswith(
        ": this port answers without TLS: use the http:// URL, or the port that speaks https"
    )


def test_a_hung_server_is_answered_within_15_s(healthy, capsys):
    with HostileServer() as server:
        server.route("GET", "/api/v2/media/", server.hang())
        healthy.setenv("MEDIATUI_URL", server.url)
        healthy.setenv("MEDIATUI_TOKEN", "sandbox-token")
        start = time.monotonic()
        code, lines, _ = run(capsys)
        took = time.monotonic() - start
    assert took < doctor.BUDGET + 0.5
    assert code == 1 and list(lines) == NAMES
    assert lines["community"] == (
        f"!!  community: {server.url}: no answer within 8 s: "
        "the server or a proxy on the way hangs: try again later, or check the URL"
    )
    assert lines["token"] == "!!  token: from MEDIATUI_TOKEN; not checked (the community did not answer)"


# -- the folders -------------------------------------------------------------------------------------------------


def test_folders_not_made_yet(env, capsys, tmp_path):
    lines = run(capsys)[1]
    assert lines["state folder"].startswith(f"OK  state folder: {tmp_path}/state (made at first use), writable, ")
    assert lines["state folder"].endswith(" free, no unfinished uploads")
    assert lines["data folder"].endswith(" free, the trash is off")


def test_a_state_folder_that_cannot_be_used(env, capsys, tmp_path, monkeypatch):
    (tmp_path / "in-the-way").write_text("a file")
    monkeypatch.setenv("MEDIATUI_STATE_DIR", str(tmp_path / "in-the-way"))
    code, lines, _ = run(capsys)
    assert code == 1 and lines["state folder"] == (
        f"!!  state folder: {tmp_path}/in-the-way is a file, not a folder: "
        "move it away, or set MEDIATUI_STATE_DIR to another folder"
    )
    monkeypatch.setenv("MEDIATUI_STATE_DIR", str(tmp_path / "in-the-way" / "state"))
    code, lines, _ = run(capsys)
    assert (
        code == 1
        and f"{tmp_path}/in-the-way/state cannot be made: {tmp_path}/in-the-way is a file" in lines["state folder"]
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a folder of mode 500")
def test_a_state_folder_that_is_not_writable(env, capsys, tmp_path):
    (tmp_path / "state").mkdir(mode=0o500)
    try:
        code, lines, _ = run(capsys)
    finally:
        (tmp_path / "state").chmod(0o700)
    assert code == 1 and lines["state folder"] == (
        f"!!  state folder: {tmp_path}/state is not writable: "
        f"chmod u+rwx {tmp_path}/state, or set MEDIATUI_STATE_DIR to another folder"
    )


def test_a_folder_nearly_full(env, capsys, monkeypatch):
    monkeypatch.setattr(doctor_folders, "room", lambda folder: 50_000_000)  # the fault: a nearly full disk
    code, lines, _ = run(capsys)
    assert code == 1 and lines["data folder"].endswith(
        "50.0 MB free, the trash is off: free some space there, or set MEDIATUI_DATA_DIR to another folder"
    )


def test_unfinished_uploads_and_the_trash(env, capsys, tmp_path, monkeypatch):
    from mediatui.api import Media
    from mediatui.api.client import normalize_base_url
    from mediatui.community.trash import Trash
    from mediatui.upload.journal import COMPLETED, FAILED, QUEUED, Journal, new_entry
    from mediatui.upload.preflight import UploadItem

    server = normalize_base_url(env.url)
    with Journal.for_server(server) as journal:
        for state in (QUEUED, FAILED, COMPLETED):
            entry = new_entry(UploadItem(tmp_path / "a.png", 10, 1, "image"))  # type: ignore[arg-type]
            entry.state = state
            journal.save(entry)
    Trash.for_server(server, 10).keep(Media.from_json({"id": 7, "type": "image"}), b"x" * 1500, "a.png")
    monkeypatch.setenv("MEDIATUI_TRASH_MB", "10")
    before = tree(tmp_path / "state", tmp_path / "data")
    code, lines, _ = run(capsys)
    assert code == 0
    assert lines["state folder"].endswith(" free, 2 unfinished uploads (mediatui upload --resume takes them up)")
    assert lines["data folder"].endswith(" free, the trash holds 1 file, 1.5 kB of 10 MB")
    assert tree(tmp_path / "state", tmp_path / "data") == before


def test_doctor_changes_nothing(env, capsys, tmp_path, monkeypatch):
    """Not a folder made, not a file written, whatever it finds: missing folders stay missing."""
    write_config(tmp_path, f'[profiles.team]\nurl = "{env.url}"\n', 0o644)
    watched = [tmp_path / "state", tmp_path / "data", tmp_path / "config"]
    before = tree(*watched)
    assert run(capsys)[0] == 0
    assert tree(*watched) == before and not (tmp_path / "state").exists() and not (tmp_path / "data").exists()
    monkeypatch.setenv("MEDIATUI_TOKEN", "a-wrong-token-of-some-length")
    monkeypatch.setenv("MEDIATUI_TRASH_MB", "10")
    assert run(capsys)[0] == 1
    assert tree(*watched) == before


def test_a_token_command_that_hangs_is_given_5_s(env, capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("MEDIATUI_TOKEN")
    write_config(tmp_path, f'[profiles.team]\nurl = "{env.url}"\ntoken_command = "sleep 60"\n')
    start = time.monotonic()
    code, lines, _ = run(capsys)
    took = time.monotonic() - start
    assert doctor.TOKEN_BUDGET <= took < doctor.BUDGET
    assert code == 1 and lines["token"].startswith("!!  token: profile 'team': token_command `sleep 60` ")


def test_flags_after_the_verb(env, capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("MEDIATUI_URL")
    code, lines, printed = run(capsys, "--url", env.url, "--log", str(tmp_path / "doctor.log"))
    assert code == 0 and lines["community"].startswith(f"OK  community: {env.url} answered")
    assert "doctor writes no log" in printed and not (tmp_path / "doctor.log").exists()


def test_a_trash_size_that_is_not_a_number_is_a_line_not_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("MEDIATUI_TRASH_MB", "lots")
    monkeypatch.delenv("MEDIATUI_URL", raising=False)
    from mediatui import cli

    assert cli.main(["doctor"]) == 1
    assert "MEDIATUI_TRASH_MB is a whole number" in capsys.readouterr().out

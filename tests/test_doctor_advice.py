"""`mediatui doctor`: each line true where a moderator runs it, and each fix one that fixes it when followed
literally (found by the trial and the review of issue 28: Ubuntu 22.04's tmux, ssh from inside tmux, a
locale that LC_ALL overrides or that is not installed, TERM=dumb, a broken config, TLS on the wrong port)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from hostile_server import HostileServer
from mediatui.community import doctor, doctor_local
from test_doctor import fake_tmux, run, write_config

# -- the community's URL ----------------------------------------------------------------------------------


def test_a_url_that_cannot_be_parsed_is_a_line_not_a_traceback(healthy, capsys):
    healthy.setenv("MEDIATUI_URL", "http://[::1")
    healthy.setenv("MEDIATUI_TOKEN", "sandbox-token")
    code, lines, _ = run(capsys)
    assert code == 1
    assert lines["community"].startswith("!!  community: not a valid URL: http://[::1")
    assert lines["community"].endswith(": correct the URL (--url, MEDIATUI_URL)")


def test_tls_on_a_port_that_speaks_plain_http_says_so(healthy, capsys):
    with HostileServer() as server:
        url = server.url.replace("http://", "https://")
        healthy.setenv("MEDIATUI_URL", url)
        healthy.setenv("MEDIATUI_TOKEN", "sandbox-token")
        code, lines, _ = run(capsys)
    assert code == 1
    assert lines["community"].startswith(f"!!  community: {url}: TLS error: ")
    assert lines["community"].endswith(
        ": this port answers without TLS: use the http:// URL, or the port that speaks https"
    )


# -- tmux -------------------------------------------------------------------------------------------------


def test_tmux_before_3_3_has_no_allow_passthrough_and_passes_pictures_anyway(env, capsys, tmp_path, monkeypatch):
    """Ubuntu 22.04's tmux 3.2a: `show-options -gv allow-passthrough` exits 1, "invalid option"."""
    fake_tmux(tmp_path, monkeypatch, "on", "on")
    (tmp_path / "bin" / "tmux").write_text(
        "#!/bin/sh\n"
        'case "$3" in set-clipboard) echo on;;\n'
        "  allow-passthrough) echo 'invalid option: allow-passthrough' >&2; exit 1;; esac\n"
    )
    code, lines, _ = run(capsys)
    assert lines["tmux"] == (
        "OK  tmux: set-clipboard on, no allow-passthrough (a tmux before 3.3 passes Kitty pictures through)"
    )
    assert code == 0


def test_tmux_fixes_say_where_they_last(env, capsys, tmp_path, monkeypatch):
    fake_tmux(tmp_path, monkeypatch, "off", "on")
    code, lines, _ = run(capsys)
    assert code == 1 and lines["tmux"].endswith(
        ": tmux set -g set-clipboard on (and set -g set-clipboard on in ~/.tmux.conf, to keep it)"
    )


def test_tmux_on_the_machine_ssh_came_from_is_not_said_absent(env, capsys, monkeypatch):
    """ssh from inside tmux: TERM says tmux, but $TMUX is not set here: its options are the other machine's."""
    monkeypatch.setenv("TERM", "tmux-256color")
    code, lines, _ = run(capsys)
    assert lines["tmux"] == (
        "OK  tmux: TERM says tmux, on the machine you came from (no $TMUX here): there, y, Y and ctrl+y need "
        "set-clipboard on, and Kitty pictures allow-passthrough on"
    )
    assert lines["pictures"] == "OK  pictures: half blocks: inside tmux or zellij, which auto never trusts with them"
    assert code == 0


# -- the terminal -----------------------------------------------------------------------------------------


def test_a_locale_fix_names_the_variable_that_wins(env, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LC_ALL", "C")
    code, lines, _ = run(capsys)
    assert code == 1 and lines["terminal"].endswith(": export LC_ALL=C.UTF-8 (or unset LC_ALL)")
    monkeypatch.delenv("LC_ALL")
    monkeypatch.setenv("LC_CTYPE", "POSIX")
    assert run(capsys)[1]["terminal"].endswith(": export LC_CTYPE=C.UTF-8 (or unset LC_CTYPE)")
    monkeypatch.delenv("LC_CTYPE")
    monkeypatch.setenv("LANG", "C")
    assert run(capsys)[1]["terminal"].endswith(": export LANG=C.UTF-8")


def test_a_locale_python_found_to_be_c_is_c_whatever_the_variables_now_say(env, capsys, monkeypatch):
    """Python replaces a C locale's LC_CTYPE with C.UTF-8 in its own environment (PEP 538), and a locale
    that is not installed is C too: what it found at start is what the terminal's other programs get."""
    monkeypatch.setattr(doctor_local, "python_found_c_locale", lambda: True)
    monkeypatch.setenv("LANG", "C")
    monkeypatch.setenv("LC_CTYPE", "C.UTF-8")  # put there by Python
    code, lines, _ = run(capsys)
    assert code == 1 and "locale C is not UTF-8" in lines["terminal"]
    assert lines["terminal"].endswith(": export LANG=C.UTF-8")
    monkeypatch.setenv("LANG", "en_US.UTF-8")  # not installed: the C library falls back to C
    code, lines, _ = run(capsys)
    assert code == 1 and "locale en_US.UTF-8 is not installed here (programs fall back to C)" in lines["terminal"]
    assert lines["terminal"].endswith(": export LANG=C.UTF-8, or install it: sudo locale-gen en_US.UTF-8")


def test_term_dumb_is_drawn_in_24_bit_colour_and_said_so(env, capsys, monkeypatch):
    """Textual draws in 24-bit colour where TERM names no colours: doctor says what the app will do."""
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("COLORTERM")
    code, lines, _ = run(capsys)
    assert code == 1
    assert lines["terminal"].startswith(
        "!!  terminal: TERM=dumb names no terminal: mediatui draws in 24-bit colour anyway, other programs "
        "(tmux, less, vim) draw nothing, UTF-8, 120x40: export TERM=xterm-256color"
    )


def test_textual_color_system_is_what_the_app_takes(env, capsys, monkeypatch):
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "standard")
    code, lines, _ = run(capsys)
    assert code == 1 and "16 colours only (TEXTUAL_COLOR_SYSTEM=standard)" in lines["terminal"]
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "256")
    code, lines, _ = run(capsys)
    assert code == 0 and lines["terminal"] == (
        "OK  terminal: xterm-256color, 256 colours (TEXTUAL_COLOR_SYSTEM=256), UTF-8, 120x40"
    )


def test_no_terminal_at_all_is_not_a_fault_for_a_script(env):
    """Under cron or `ssh host mediatui doctor --json`: no terminal, no TERM, no locale. Only the community
    and the folders are a script's business: the terminal's checks say they were skipped."""
    keep = ("PATH", "HOME", "MEDIATUI_URL", "MEDIATUI_TOKEN", "MEDIATUI_STATE_DIR", "MEDIATUI_DATA_DIR")
    environ = {k: v for k, v in os.environ.items() if k in keep or k.startswith("MEDIATUI_CONFIG")}
    done = subprocess.run(
        [sys.executable, "-m", "mediatui", "doctor"],
        env=environ,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = {line[4:].split(":", 1)[0]: line for line in done.stdout.splitlines()}
    assert lines["terminal"] == "OK  terminal: none (not run in a terminal): run doctor in the terminal to check it"
    assert done.returncode == 0, done.stdout


# -- the config -------------------------------------------------------------------------------------------


def test_a_config_error_with_no_line_to_correct_says_what_to_do(env, capsys, tmp_path, monkeypatch):
    write_config(tmp_path, f'[profiles.team]\nurl = "{env.url}"\n')
    monkeypatch.setenv("MEDIATUI_PROFILE", "nope")
    code, lines, _ = run(capsys)
    assert code == 1 and lines["config"].endswith(": use one of its profiles, or unset MEDIATUI_PROFILE")
    monkeypatch.delenv("MEDIATUI_PROFILE")
    monkeypatch.setenv("MEDIATUI_CONFIG", str(tmp_path))
    code, lines, _ = run(capsys)
    assert code == 1 and lines["config"].endswith(": set MEDIATUI_CONFIG to the config file, or unset it")


def test_a_broken_config_leaves_the_community_unchecked_not_without_a_url(healthy, capsys, tmp_path):
    write_config(tmp_path, '[profiles.team]\nurl = "https://community.example"\ntoken = "t"\njobs = "3"\n')
    code, lines, _ = run(capsys)
    assert code == 1
    assert lines["community"] == (
        "!!  community: not checked (the config file could not be read): correct the config file first"
    )
    assert lines["token"] == "!!  token: not checked (the config file could not be read)"


# -- the folders ------------------------------------------------------------------------------------------


def test_a_folder_that_cannot_be_made_names_the_parent_to_change(env, capsys, tmp_path, monkeypatch):
    parent = tmp_path / "locked"
    parent.mkdir()
    monkeypatch.setenv("MEDIATUI_STATE_DIR", str(parent / "mediatui"))
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(parent) else real_access(p, mode))
    code, lines, _ = run(capsys)
    assert code == 1
    assert lines["state folder"] == (
        f"!!  state folder: {parent}/mediatui cannot be made: {parent} is not writable: "
        f"chmod u+rwx {parent}, or set MEDIATUI_STATE_DIR to another folder"
    )


def test_the_config_line_names_the_profile_reported_on_and_a_slow_token_command_is_not_called_wrong(
    env,
    capsys,
    tmp_path,
    monkeypatch,
):
    write_config(
        tmp_path,
        f'default_profile = "main"\n[profiles.main]\nurl = "{env.url}"\ntoken = "{env.token}"\n'
        f'[profiles.slow]\nurl = "{env.url}"\ntoken_command = "sleep 30"\n',
    )
    monkeypatch.delenv("MEDIATUI_TOKEN")
    monkeypatch.delenv("MEDIATUI_URL")
    monkeypatch.setenv("MEDIATUI_PROFILE", "slow")
    monkeypatch.setattr(doctor, "TOKEN_BUDGET", 0.5)  # the clock of the fault: a command that takes its time
    code, lines, _ = run(capsys)
    assert code == 1 and lines["config"].endswith("profiles: main, slow; default: main; this report: slow")
    assert lines["token"].endswith(
        ": it may be waiting for a passphrase: unlock it first (mediatui itself gives it 20 s, doctor 5 s)"
    )


def _as_nobody(call, *args):
    """`call(*args)` in a forked child that runs as nobody when the tests run as root (CI does), for whom a
    folder of mode 500 is writable: what it returned, through a pipe (a repr, read back with eval)."""
    if os.geteuid() != 0:
        return call(*args)
    import warnings

    read, write = os.pipe()
    with warnings.catch_warnings():  # 3.12 warns of fork() beside threads (the sandbox's): the child only
        warnings.simplefilter("ignore", DeprecationWarning)  # calls os functions and writes to a pipe, no locks
        pid = os.fork()
    if pid == 0:  # the child: only code already imported runs, so nobody needs no access to the interpreter
        try:
            os.setgid(65534)
            os.setuid(65534)
            os.write(write, repr(call(*args)).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        said = pipe.read().decode()
    os.waitpid(pid, 0)
    return eval(said)  # noqa: S307 - our own child's repr of a tuple of strings


def test_a_folder_its_user_cannot_write_is_said_with_its_chmod(tmp_path):
    import tempfile

    from mediatui.community import doctor_folders

    top = Path(tempfile.mkdtemp(prefix="mediatui-test-", dir="/tmp"))  # one nobody can enter (tmp_path is 0700)
    try:
        top.chmod(0o755)
        (top / "state").mkdir(mode=0o555)
        (top / "state").chmod(0o555)
        assert _as_nobody(doctor_folders.writable, top / "state") == (f"{top}/state is not writable", f"{top}/state")
        assert _as_nobody(doctor_folders.writable, top / "state" / "mediatui") == (
            f"{top}/state/mediatui cannot be made: {top}/state is not writable",
            f"{top}/state",
        )
        (top / "mine").mkdir()
        if os.geteuid() == 0:
            os.chown(top / "mine", 65534, 65534)
        assert _as_nobody(doctor_folders.writable, top / "mine" / "mediatui") is None  # made at first use
    finally:
        (top / "state").chmod(0o700)
        shutil.rmtree(top)

"""`mediatui doctor`: each line true where a moderator runs it, and each fix one that fixes it when followed
literally (found by the trial and the review of issue 28: Ubuntu 22.04's tmux, ssh from inside tmux, a
locale that LC_ALL overrides or that is not installed, TERM=dumb, a broken config, TLS on the wrong port)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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
    monkeypatch.setattr(doctor_local, "variables_at_start", lambda: None)  # where they cannot be read
    monkeypatch.setenv("LANG", "C")
    monkeypatch.setenv("LC_CTYPE", "C.UTF-8")  # put there by Python
    code, lines, _ = run(capsys)
    assert code == 1 and "locale C is not UTF-8" in lines["terminal"]
    assert lines["terminal"].endswith(": export LANG=C.UTF-8")
    monkeypatch.setenv("LANG", "en_US.UTF-8")  # not installed: the C library falls back to C
    code, lines, _ = run(capsys)
    assert code == 1 and "locale en_US.UTF-8 is not installed here (programs fall back to C)" in lines["terminal"]
    assert lines["terminal"].endswith(": export LANG=C.UTF-8, or install it: sudo locale-gen en_US.UTF-8")


def test_the_locale_variables_this_process_was_given_name_the_one_to_change(env, capsys, monkeypatch):
    """Found by the second trial: LANG=C.UTF-8 with LC_CTYPE=UTF-8 (a Mac's, over ssh), which Python had
    replaced with C.UTF-8, was told to install C.UTF-8. The variables as given (Linux keeps them in
    /proc/self/environ) name LC_CTYPE."""
    monkeypatch.setattr(doctor_local, "python_found_c_locale", lambda: True)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LC_CTYPE", "C.UTF-8")  # Python's
    given = {"LANG": "C.UTF-8", "LC_CTYPE": "UTF-8"}
    monkeypatch.setattr(doctor_local, "variables_at_start", lambda: given)
    code, lines, _ = run(capsys)
    assert code == 1 and "locale UTF-8 is not installed here (programs fall back to C)" in lines["terminal"]
    assert lines["terminal"].endswith(": export LC_CTYPE=C.UTF-8 (or unset LC_CTYPE)")
    given["LC_CTYPE"] = "C"
    assert run(capsys)[1]["terminal"].endswith(": export LC_CTYPE=C.UTF-8 (or unset LC_CTYPE)")
    given["LC_CTYPE"] = "de_DE.UTF-8"
    assert run(capsys)[1]["terminal"].endswith(": export LC_CTYPE=C.UTF-8, or install it: sudo locale-gen de_DE.UTF-8")


def test_the_variables_at_start_are_read_from_proc_where_python_changed_its_own():
    """A real process started with LANG=C: Python puts LC_CTYPE=C.UTF-8 into its environment, /proc keeps
    what it was given."""
    code = (
        "from mediatui.community import doctor_local as d; import os; "
        "print(d.variables_at_start(), os.environ.get('LC_CTYPE'))"
    )
    environ = {"PATH": os.environ["PATH"], "LANG": "C"}
    done = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["{'LANG':", "'C'}", "C.UTF-8"], done.stderr


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
        ": it may be waiting for a passphrase: unlock it first (mediatui itself waits longer than doctor)"
    )


def _as_nobody(call, *args):
    """`call(*args)` in a forked child that runs as nobody when the tests run as root (CI does), for whom a
    folder of mode 500 is writable: what it returned, through a pipe (a repr of strings, read back with
    literal_eval), or the child's error raised here."""
    import ast
    import select
    import warnings

    if os.geteuid() != 0:
        return call(*args)
    read, write = os.pipe()
    with warnings.catch_warnings():  # 3.12 warns of fork() beside threads (the sandbox's): the child only
        warnings.simplefilter("ignore", DeprecationWarning)  # calls os functions and writes to a pipe, no locks
        pid = os.fork()
    if pid == 0:  # the child: only code already imported runs, so nobody needs no access to the interpreter
        code = 1
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            os.write(write, repr(("returned", call(*args))).encode())
            code = 0
        except BaseException as exc:  # noqa: BLE001 - said to the parent
            os.write(write, repr(("raised", f"{type(exc).__name__}: {exc}")).encode())
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        assert select.select([pipe], [], [], 30)[0], "the child said nothing within 30 s"
        said = pipe.read().decode()
    os.waitpid(pid, 0)
    how, what = ast.literal_eval(said)
    assert how == "returned", what
    return what


def test_a_folder_its_user_cannot_write_is_said_with_its_chmod(tmp_path):
    import tempfile

    from mediatui.community import doctor_folders

    top = Path(tempfile.mkdtemp(prefix="mediatui-test-", dir="/tmp"))  # one nobody can enter (tmp_path is 0700)
    try:
        top.chmod(0o755)
        (top / "state").mkdir(mode=0o555)
        (top / "state").chmod(0o555)
        if os.geteuid() == 0:
            os.chown(top / "state", 65534, 65534)  # nobody's own: a chmod of theirs opens it
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


def test_term_dumb_with_a_forced_colour_system_says_the_forced_one(env, capsys, monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "256")
    code, lines, _ = run(capsys)
    assert "mediatui draws in 256 colours (TEXTUAL_COLOR_SYSTEM=256) anyway, other programs" in lines["terminal"]


def test_an_unknown_profile_leaves_the_community_unchecked_for_that_reason(healthy, capsys, tmp_path):
    write_config(tmp_path, '[profiles.main]\nurl = "https://community.example"\ntoken = "t"\n')
    healthy.setenv("MEDIATUI_PROFILE", "nope")
    code, lines, _ = run(capsys)
    assert lines["community"] == "!!  community: not checked (no such profile): see the config line"
    assert lines["token"] == "!!  token: not checked (no such profile)"


def test_a_url_that_cannot_be_parsed_sends_nothing_and_says_so(healthy, capsys):
    healthy.setenv("MEDIATUI_URL", "http://[::1")
    healthy.setenv("MEDIATUI_TOKEN", "sandbox-token")
    assert run(capsys)[1]["token"] == "!!  token: from MEDIATUI_TOKEN; not checked (nothing was sent)"


def test_a_folder_of_another_user_is_for_its_owner_to_open(tmp_path):
    import tempfile

    from mediatui.community import doctor_folders

    top = Path(tempfile.mkdtemp(prefix="mediatui-test-", dir="/tmp"))
    try:
        top.chmod(0o755)
        (top / "theirs").mkdir(mode=0o555)
        (top / "theirs").chmod(0o555)
        if os.geteuid() != 0:
            return  # (a folder of another user cannot be made here without root)
        assert _as_nobody(doctor_folders.writable, top / "theirs" / "state") == (
            f"{top}/theirs/state cannot be made: {top}/theirs is not writable (it is root's)",
            None,
        )
        import humanize  # noqa: F401 - imported here: the child, as nobody, may not read the venv

        def line() -> str:
            return doctor_folders.folder("state folder", top / "theirs" / "state", "MEDIATUI_STATE_DIR", []).line()

        assert _as_nobody(line).endswith(
            ": ask its owner or an administrator to open it to you, or set MEDIATUI_STATE_DIR to another folder"
        )
    finally:
        (top / "theirs").chmod(0o700)
        shutil.rmtree(top)


def test_a_folder_under_one_that_cannot_be_entered_is_said_not_a_traceback(tmp_path):
    """Found by the second review: Path.exists() raises PermissionError under a folder of mode 700 that is
    another user's, which made a traceback of the state folder's line and of the journal's count."""
    import tempfile

    from mediatui.community import doctor_folders
    from mediatui.localdb import LocalDataError
    from mediatui.upload.journal import count_resumable

    if os.geteuid() != 0:
        return  # (another user's folder cannot be made here without root)
    top = Path(tempfile.mkdtemp(prefix="mediatui-test-", dir="/tmp"))
    try:
        top.chmod(0o755)
        (top / "private").mkdir(mode=0o700)
        assert _as_nobody(doctor_folders.writable, top / "private" / "state") == (
            f"{top}/private/state cannot be reached: {top}/private cannot be entered",
            None,
        )

        def counted() -> str:
            try:
                return str(count_resumable(top / "private" / "state" / "uploads.sqlite"))
            except LocalDataError as exc:
                return str(exc)

        assert "Permission denied" in _as_nobody(counted) or "cannot" in _as_nobody(counted)
    finally:
        shutil.rmtree(top)


def test_tls_fixes_by_what_openssl_said():
    from mediatui.community.doctor_network import _tls_fix

    assert _tls_fix(
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate is not yet valid", True
    ) == ("the certificate is not valid yet: is this machine's clock right? (date)")
    self_signed = "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"
    assert _tls_fix(self_signed, True).startswith('a private CA: give the profile verify = "/path/to/ca.pem"')
    assert _tls_fix(self_signed, "/etc/ours.pem") == (
        "the CA bundle /etc/ours.pem does not sign this certificate: give the profile the right one"
    )
    assert _tls_fix("[SSL: TLSV13_ALERT_CERTIFICATE_REQUIRED] tlsv13 alert certificate required", True) == (
        "the server asks for a client certificate, which mediatui does not send"
    )
    assert _tls_fix("[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol", True) == (
        "the TLS handshake failed: check the port, and any proxy on the way (HTTPS_PROXY)"
    )

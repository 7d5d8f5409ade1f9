"""The config file: precedence, every error message, file modes, token_command (real subprocesses)."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from mediatui.settings import profiles
from mediatui.settings.config import Settings
from mediatui.settings.profiles import ConfigError, load, run_token_command, save_profile, save_theme

SAMPLE = """\
# my communities
default_profile = "main"
theme = "textual-dark"

[profiles.main]
url = "https://main.example.com"
token = "main-token"   # keep this comment
read_only = false
jobs = 3
verify = true
timeout = 30

[profiles.other]
url = "https://other.example.com"
token_env = "OTHER_TOKEN"
read_only = true
verify = "/etc/ssl/ca.pem"
timeout = 5
"""


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir(mode=0o700)
    path.write_text(SAMPLE)
    path.chmod(0o600)
    return path


def resolve(path: Path, env: dict[str, str] | None = None, **flags) -> Settings:
    return Settings.resolve(load(path), environ=env or {}, **flags)


def test_the_sample_loads(cfg):
    config = load(cfg)
    assert config.default_profile == "main" and config.theme == "textual-dark"
    main, other = config.profiles["main"], config.profiles["other"]
    assert main.token.reveal() == "main-token" and main.jobs == 3 and main.timeout == 30.0
    assert other.read_only and other.verify == "/etc/ssl/ca.pem" and other.token_env == "OTHER_TOKEN"
    assert "main-token" not in repr(config)


def test_precedence_flags_env_profile_defaults(cfg):
    s = resolve(cfg)  # the default profile
    assert (s.url, s.token.reveal(), s.profile, s.read_only, s.verify, s.timeout, s.jobs) == (
        "https://main.example.com",
        "main-token",
        "main",
        False,
        True,
        30.0,
        3,
    )
    s = resolve(cfg, {"MEDIATUI_PROFILE": "other", "OTHER_TOKEN": "o-tok"})
    assert (s.url, s.token.reveal(), s.read_only, s.verify, s.timeout) == (
        "https://other.example.com",
        "o-tok",
        True,
        "/etc/ssl/ca.pem",
        5.0,
    )
    s = resolve(cfg, {"MEDIATUI_PROFILE": "other", "OTHER_TOKEN": "o"}, profile="main")  # the flag wins
    assert s.profile == "main"
    s = resolve(cfg, {"MEDIATUI_URL": "https://env.example", "MEDIATUI_TOKEN": "env-tok"})
    assert (s.url, s.token.reveal()) == ("https://env.example", "env-tok")  # environment over profile
    s = resolve(cfg, {"MEDIATUI_URL": "https://env.example"}, url="https://flag.example", insecure=True, read_only=True)
    assert (s.url, s.verify, s.read_only) == ("https://flag.example", False, True)  # flags over everything
    assert resolve(cfg, {"MEDIATUI_INSECURE": "1"}).verify is False
    empty = Settings.resolve(load(cfg.parent / "none.toml"), environ={})
    assert (empty.url, empty.profile, empty.verify, empty.timeout, empty.read_only) == ("", "", True, 30.0, False)


def test_unknown_profile_names_the_file_and_the_known_ones(cfg):
    with pytest.raises(ConfigError, match=r"config.toml: no profile 'typo' \(profiles: main, other\)"):
        resolve(cfg, profile="typo")
    with pytest.raises(ConfigError, match="does not exist"):
        Settings.resolve(load(cfg.parent / "none.toml"), profile="main", environ={})


@pytest.mark.parametrize(
    "text, message",
    [
        ('theme = "a"\n[profiles.x]\nurl = \n', r"config.toml: not valid TOML: Invalid value \(at line 3, column 7\)"),
        (
            '[profiles.x]\nurl = "u"\ntoken_comand = "pass x"\n',
            r"config.toml:3: unknown key `profiles.x.token_comand` \(did you mean `token_command`\?\)",
        ),
        ('themes = "x"\n', r"config.toml:1: unknown key `themes` \(did you mean `theme`\?\)"),
        (
            '[profiles.x]\nread_only = "yes"\n',
            r"config.toml:2: `profiles.x.read_only` must be true or false, not 'yes'",
        ),
        ("[profiles.x]\njobs = 2.5\n", r"`profiles.x.jobs` must be a whole number"),
        ("[profiles.x]\njobs = true\n", r"`profiles.x.jobs` must be a whole number"),
        ("[profiles.x]\njobs = 40\n", r"jobs must be from 1 to 16"),
        ("[profiles.x]\ntimeout = 0\n", r"timeout must be above 0"),
        ("[profiles.x]\nverify = 1\n", r"`profiles.x.verify` must be true or false or a string in quotes"),
        ('[profiles.x]\ntoken = "a"\ntoken_env = "B"\n', r"has token and token_env: keep one of them"),
        ('default_profile = "nope"\n[profiles.x]\n', r"config.toml:1: default_profile names 'nope'"),
        ("profiles = 3\n", r"`profiles` must be a table"),
        ("[profiles]\nx = 1\n", r"profiles.x must be a table"),
    ],
)
def test_each_broken_file_says_what_and_where(tmp_path, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load(path)


def test_a_readable_file_with_a_token_is_warned_about(cfg):
    assert load(cfg).warnings == ()
    cfg.chmod(0o644)
    (warning,) = load(cfg).warnings
    assert str(cfg) in warning and f"chmod 600 {cfg}" in warning and "main-token" not in warning
    cfg.write_text('[profiles.x]\ntoken_command = "pass x"\n')  # no token in it: nothing to warn about
    assert load(cfg).warnings == ()


def test_saving_keeps_comments_and_writes_private_files(tmp_path):
    path = tmp_path / "new" / "deeper" / "config.toml"
    save_profile(path, "main", {"url": "https://a.example", "token_command": "pass a", "read_only": True})
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    config = load(path)
    assert config.default_profile == "main" and config.profiles["main"].token_command == "pass a"

    path.write_text(SAMPLE)
    path.chmod(0o644)
    save_profile(path, "second", {"url": "https://b.example", "token": "b-tok", "verify": False})
    save_theme(path, "nord")
    text = path.read_text()
    assert "# my communities" in text and "# keep this comment" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    config = load(path)
    assert config.theme == "nord" and config.default_profile == "main"
    assert config.profiles["second"].verify is False and config.profiles["main"].url == "https://main.example.com"
    save_profile(path, "main", {"token": None, "token_env": "MAIN"})  # switching the source drops the old one
    assert load(path).profiles["main"].token_env == "MAIN" and not load(path).profiles["main"].token


def script(tmp_path: Path, body: str) -> str:
    path = tmp_path / "tok.py"
    path.write_text(body)
    return f"{sys.executable} {path}"


def test_token_command_runs_without_a_shell_and_is_trimmed(tmp_path):
    command = script(tmp_path, "import sys; print('  tok-' + '|'.join(sys.argv[1:]) + '  ')\n") + " 'a b' ';' '$HOME'"
    assert run_token_command("main", command).reveal() == "tok-a b|;|$HOME"  # no shell: the arguments as written


def test_token_command_failure_names_profile_and_command_never_output(tmp_path):
    command = script(tmp_path, "import sys; print('LEAKED-SECRET'); sys.stderr.write('LEAKED-ERR'); sys.exit(3)\n")
    with pytest.raises(profiles.TokenSourceError) as caught:
        run_token_command("main", command)
    message = str(caught.value)
    assert "profile 'main'" in message and "tok.py" in message and "exit status 3" in message
    assert "LEAKED" not in message
    with pytest.raises(profiles.TokenSourceError, match="was not found"):
        run_token_command("main", "/nonexistent/pass show x")
    with pytest.raises(profiles.TokenSourceError, match="printed nothing"):
        run_token_command("main", script(tmp_path, "print('   ')\n"))


def test_token_command_timeout(tmp_path):
    command = script(tmp_path, "import time; print('LEAKED', flush=True); time.sleep(30)\n")
    with pytest.raises(
        profiles.TokenSourceError, match=r"profile 'slow': token_command .* did not finish within 0.5 s"
    ):
        run_token_command("slow", command, timeout=0.5)


def test_a_failing_token_source_becomes_the_problem_to_show(tmp_path):
    path = tmp_path / "config.toml"
    failing = script(tmp_path, "raise SystemExit(1)")
    path.write_text(
        f'[profiles.p]\nurl = "https://p.example"\ntoken_command = "{failing}"\n'
        '[profiles.q]\nurl = "https://q.example"\ntoken_env = "Q_TOKEN"\n'
    )
    s = resolve(path, profile="p")
    assert not s.token and "profile 'p': token_command" in s.problem()
    assert "Q_TOKEN" in resolve(path, profile="q").problem()
    assert resolve(path, {"Q_TOKEN": " q-tok \n"}, profile="q").token.reveal() == "q-tok"


def test_a_profile_sets_previews_and_a_wrong_mode_is_named(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[profiles.slow]\nurl = "https://x.example"\ntoken = "t"\npreview = "off"\n')
    path.chmod(0o600)
    assert resolve(path).preview == "off"
    path.write_text('[profiles.slow]\nurl = "https://x.example"\ntoken = "t"\npreview = "sixel"\n')
    with pytest.raises(ConfigError, match=r"config.toml:4: profiles.slow.preview must be one of auto, halfblock, off"):
        load(path)


@pytest.mark.parametrize("what", ["/dev/zero", "a folder", "too large"])
def test_a_config_that_is_no_small_regular_file_stops_at_once_with_exit_2(tmp_path, monkeypatch, capsys, what):
    """MEDIATUI_CONFIG=/dev/zero used to hang and eat gigabytes: at most 1 MB, a regular file, or exit 2."""
    from mediatui import cli

    path = {"/dev/zero": Path("/dev/zero"), "a folder": tmp_path, "too large": tmp_path / "big.toml"}[what]
    if what == "too large":
        path.write_text("# " + "x" * 1_100_000 + "\n")
    monkeypatch.setenv("MEDIATUI_CONFIG", str(path))
    assert cli.main(["get", "1"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and ("regular file" in err or "1 MB" in err), err


def test_token_command_that_leaves_a_child_holding_its_output_is_done_when_it_exits(tmp_path):
    """A password manager that starts an agent in the background: its output pipe stays open after the command
    exits. The token is what the command printed; nobody waits for the agent (it used to wait the 20 s out)."""
    import time

    body = (
        "import subprocess, sys\n"
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)'])  # inherits stdout\n"
        "print('tok-from-the-command')\n"
    )
    started = time.monotonic()
    assert run_token_command("agent", script(tmp_path, body), timeout=10).reveal() == "tok-from-the-command"
    assert time.monotonic() - started < 3


def test_token_command_output_over_8_kb_is_refused(tmp_path):
    with pytest.raises(profiles.TokenSourceError, match="more than 8 KB") as caught:
        run_token_command("big", script(tmp_path, "print('x' * 9000)\n"))
    assert "xxxx" not in str(caught.value)


def test_token_command_timeout_ends_its_whole_process_group(tmp_path):
    import os
    import time

    marker = tmp_path / "child.pid"
    body = (
        "import os, subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(marker)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(60)\n"
    )
    with pytest.raises(profiles.TokenSourceError, match="did not finish within 1 s"):
        run_token_command("slow", script(tmp_path, body), timeout=1)
    child = int(marker.read_text())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the command's child outlived the timeout")


def test_token_command_that_closes_its_output_and_goes_on_still_has_its_deadline(tmp_path):
    import time

    body = "import os, sys, time\nprint('tok-1234567890', flush=True)\nos.close(1)\ntime.sleep(8)\n"
    started = time.monotonic()
    with pytest.raises(profiles.TokenSourceError, match="did not finish within 1 s"):
        run_token_command("slow", script(tmp_path, body), timeout=1)
    assert time.monotonic() - started < 3

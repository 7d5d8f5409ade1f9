"""The CLI with a config file, read-only profiles, the debug log and a proxy, over real loopback HTTP."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from mediatui import cli


@pytest.fixture
def config(tmp_path, monkeypatch):
    """Write the config file that MEDIATUI_CONFIG names (set by conftest for every test)."""
    path = tmp_path / "config" / "config.toml"
    monkeypatch.delenv("MEDIATUI_URL", raising=False)
    monkeypatch.delenv("MEDIATUI_TOKEN", raising=False)

    def write(text: str) -> Path:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        path.write_text(text)
        path.chmod(0o600)
        return path

    return write


def token_script(tmp_path: Path, token: str) -> str:
    script = tmp_path / "token.py"
    script.write_text(f"print({token!r})\n")
    return f"{sys.executable} {script}"


def test_a_profile_with_a_token_command_reaches_the_sandbox(sandbox, config, tmp_path, capsys):
    config(f'[profiles.work]\nurl = "{sandbox.url}"\ntoken_command = "{token_script(tmp_path, sandbox.token)}"\n')
    assert cli.main(["-P", "work", "get", "1"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == 1
    assert cli.main(["get", "--profile", "work", "2"]) == 0  # after the verb too


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[profiles.x\n", "not valid TOML"),
        ('[profiles.x]\ntoken_comand = "a"\n', "did you mean `token_command`?"),
        ('[profiles.x]\ntimeout = "soon"\n', "must be a number"),
    ],
)
def test_a_broken_config_is_a_message_and_exit_2(config, capsys, text, expected):
    path = config(text)
    assert cli.main(["list"]) == 2
    err = capsys.readouterr().err
    assert expected in err and str(path) in err and "Traceback" not in err


def test_an_unknown_profile_is_exit_2_without_a_traceback(config, tmp_path):
    config('[profiles.main]\nurl = "https://x.example"\n')
    done = subprocess.run(
        [sys.executable, "-m", "mediatui", "-P", "mian", "get", "1"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "no profile 'mian' (profiles: main)" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_failing_token_command_is_exit_2_naming_it(config, tmp_path, capsys):
    script = tmp_path / "fail.py"
    script.write_text("print('LEAKED'); raise SystemExit(4)\n")
    config(f'[profiles.main]\nurl = "https://x.example"\ntoken_command = "{sys.executable} {script}"\n')
    assert cli.main(["get", "1"]) == 2
    err = capsys.readouterr().err
    assert "profile 'main': token_command" in err and "fail.py" in err and "exit status 4" in err
    assert "LEAKED" not in err


@pytest.mark.parametrize("how", ["flag", "profile"])
@pytest.mark.parametrize(
    "argv",
    [
        ["delete", "1"],
        ["create", "url", "--media-url", "https://e.example/x"],
        ["update", "1", "--set", "title=x"],
        ["upload", "--resume"],
    ],
)
def test_read_only_refuses_every_change_and_sends_nothing(sandbox, config, capsys, how, argv, monkeypatch):
    read_only = "true" if how == "profile" else "false"
    config(f'[profiles.look]\nurl = "{sandbox.url}"\ntoken = "{sandbox.token}"\nread_only = {read_only}\n')
    flags = ["--read-only"] if how == "flag" else []
    before = len(sandbox.sandbox.request_log)
    assert cli.main([*flags, *argv]) == 2
    assert "read-only profile" in capsys.readouterr().err
    assert len(sandbox.sandbox.request_log) == before
    assert cli.main([*flags, "get", "1"]) == 0  # reading still works, and media 1 is still there


def test_the_log_holds_requests_and_no_secret(sandbox, config, tmp_path, capsys):
    log = tmp_path / "logs" / "debug.log"
    config(
        f'log = "{log}"\n[profiles.main]\nurl = "http://user:PASSWORD123@{sandbox.url.split("://")[1]}"\n'
        f'token = "{sandbox.token}"\n'
    )
    assert cli.main(["get", "1"]) == 0
    assert cli.main(["list", "--limit", "2"]) == 0
    assert cli.main(["get", "99999"]) == 1  # an error, with its traceback
    assert oct(log.stat().st_mode & 0o777) == "0o600"
    text = log.read_text()
    assert "GET /api/v2/media/1/ -> 200 in" in text and "GET /api/v2/media/99999/ -> 404" in text
    assert "Traceback" in text and "get failed" in text
    for secret in (sandbox.token, "Authorization", "Bearer", "PASSWORD123"):
        assert secret not in text, secret


def test_the_log_records_retry_decisions_and_redacts_a_token_that_slips_in(tmp_path):
    import logging

    from mediatui.api.retry import RetryPolicy
    from mediatui.settings.logsetup import start_log, stop_log

    path = tmp_path / "x.log"
    handler = start_log(path, secrets=["tok-SECRET"])
    try:
        RetryPolicy(base=0.1).delay(2)
        logging.getLogger("mediatui.test").error("oops tok-SECRET Authorization: Bearer abc https://u:pw@h/x")
    finally:
        stop_log(handler)
    text = path.read_text()
    assert "retry 2 in" in text
    assert "tok-SECRET" not in text and "abc" not in text and "pw@" not in text


class _Proxy(BaseHTTPRequestHandler):
    """A forward proxy for plain HTTP: takes `GET http://host/path`, asks the host, hands back the answer."""

    seen: list[str] = []

    def _forward(self) -> None:
        self.seen.append(f"{self.command} {self.path}")
        target = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")}
        upstream.request(self.command, target.path + (f"?{target.query}" if target.query else ""), body, headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = do_PATCH = do_PUT = _forward

    def log_message(self, *args) -> None:
        pass


def test_httpx_goes_through_the_proxy_of_the_environment(sandbox, monkeypatch, capsys):
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    _Proxy.seen = []
    try:
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "http_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.server_port}")
        monkeypatch.setenv("MEDIATUI_URL", sandbox.url)
        monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
        assert cli.main(["get", "3"]) == 0
        assert json.loads(capsys.readouterr().out)["id"] == 3
        assert _Proxy.seen == [f"GET {sandbox.url}/api/v2/media/3/"]
    finally:
        proxy.shutdown()
        proxy.server_close()

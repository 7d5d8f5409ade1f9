"""The connect screen's test request, against real loopback servers: each outcome it can say."""

from __future__ import annotations

import socket
import ssl
import subprocess
import sys
import threading

import pytest

from mediatui.settings.config import Secret, Settings
from mediatui.settings.connect_check import Fields, check, settings_from
from mediatui.settings.profiles import load

BASE = Settings("", Secret(""))


def empty_config(tmp_path):
    return load(tmp_path / "none.toml")


def test_good_token_says_ok_with_the_count(sandbox, tmp_path):
    outcome = check(Fields("", sandbox.url, token=sandbox.token), BASE, empty_config(tmp_path))
    assert outcome.ok and outcome.text == "OK: 40 media"


def test_bad_token_says_401(sandbox, tmp_path):
    outcome = check(Fields("", sandbox.url, token="wrong-token"), BASE, empty_config(tmp_path))
    assert not outcome.ok and outcome.text.startswith("401") and "wrong-token" not in outcome.text


def test_closed_port_says_unreachable(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: refused
        outcome = check(Fields("", f"http://127.0.0.1:{port}", token="t"), BASE, empty_config(tmp_path))
    assert not outcome.ok and outcome.text.startswith("unreachable: could not connect")


def test_no_list_endpoint_says_catalogue_mode(make_sandbox, tmp_path):
    server = make_sandbox(listing=False)
    outcome = check(Fields("", server.url, token=server.token), BASE, empty_config(tmp_path))
    assert outcome.ok and "no list endpoint" in outcome.text and "local catalogue" in outcome.text


def test_a_self_signed_server_says_tls_error(tmp_path):
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        for _ in range(2):
            conn, _ = listener.accept()
            try:
                tls = context.wrap_socket(conn, server_side=True)  # the handshake
                tls.settimeout(5)
                tls.recv(65536)  # the request read, so that hanging up is a close, never a reset (3.13 saw one)
                tls.close()
            except (ssl.SSLError, OSError):
                conn.close()

    threading.Thread(target=serve, daemon=True).start()
    fields = Fields("", f"https://127.0.0.1:{port}", token="t")
    try:
        outcome = check(fields, BASE, empty_config(tmp_path))
        trusted = check(fields, Settings("", Secret(""), verify=str(cert)), empty_config(tmp_path))
    finally:
        listener.close()
    assert not outcome.ok and outcome.text.startswith("TLS error") and "CERTIFICATE_VERIFY_FAILED" in outcome.text
    assert trusted.text.startswith("unreachable: the server closed")  # verify = "CA path": the handshake passed


def test_the_profile_supplies_what_the_fields_leave_empty(sandbox, tmp_path):
    script = tmp_path / "tok.py"
    script.write_text(f"print({sandbox.token!r})\n")
    path = tmp_path / "config.toml"
    path.write_text(
        f'[profiles.p]\nurl = "{sandbox.url}"\ntoken_command = "{sys.executable} {script}"\n'
        "read_only = true\njobs = 2\n"
    )
    config = load(path)
    settings = settings_from(Fields("p", sandbox.url), BASE, config)
    assert settings.token.reveal() == sandbox.token and settings.read_only and settings.jobs == 2
    assert check(Fields("p", sandbox.url), BASE, config).text == "OK: 40 media"
    failing = Fields("p", sandbox.url, token_command=f"{sys.executable} -c 'print(1/0)'")
    outcome = check(failing, BASE, config)
    assert not outcome.ok and "token_command" in outcome.text and "ZeroDivision" not in outcome.text


@pytest.mark.parametrize("url", ["", "javascript:alert(1)"])
def test_a_missing_or_bad_url_is_said_before_sending(url, tmp_path):
    outcome = check(Fields("", url, token="t"), BASE, empty_config(tmp_path))
    assert not outcome.ok and ("No community URL" in outcome.text or "not a valid URL" in outcome.text)


def test_verify_may_name_a_ca_bundle(tmp_path):
    from mediatui.api import InvalidInput, MediaClient

    with pytest.raises(InvalidInput, match="the CA bundle .*missing.pem cannot be used"):
        MediaClient("https://x.example", "t", verify=str(tmp_path / "missing.pem"))


def test_a_profiles_choices_end_with_it_and_only_flags_carry_over(tmp_path):
    """Read-only, no TLS check, jobs and previews belong to a profile: switching to another drops them;
    only what the command line forced (--read-only, --insecure) holds for every community of the session."""
    path = tmp_path / "config.toml"
    path.write_text(
        '[profiles.looker]\nurl = "https://a.example"\ntoken = "t"\nread_only = true\nverify = false\n'
        'jobs = 1\npreview = "off"\n[profiles.alpha]\nurl = "https://a.example"\ntoken = "t"\n'
    )
    config = load(path)
    looker = settings_from(Fields("looker", "https://a.example"), BASE, config)
    assert looker.read_only and looker.insecure and looker.jobs == 1 and looker.preview == "off"
    alpha = settings_from(Fields("alpha", "https://a.example"), looker, config)
    assert not alpha.read_only and not alpha.insecure and alpha.jobs is None and alpha.preview == "auto"
    typed = settings_from(Fields("", "https://b.example", token="t"), looker, config)  # a community typed in
    assert not typed.read_only and not typed.insecure and typed.preview == "auto"
    forced = Settings.resolve(config, profile="looker", read_only=True, insecure=True, environ={})
    for name in ("alpha", ""):
        after = settings_from(Fields(name, "https://a.example", token="t"), forced, config)
        assert after.read_only and after.insecure  # the flags hold for every community


def test_the_demos_words_end_with_its_sandbox(tmp_path):
    """The header's "demo" and F1's words are about the demo's sandbox: another community switched to drops them."""
    demo = Settings("http://127.0.0.1:4000", Secret("t"), demo="mediatui demo: a sandbox …")
    other = settings_from(Fields("", "https://b.example", token="t"), demo, empty_config(tmp_path))
    same = settings_from(Fields("", "http://127.0.0.1:4000", token="t"), demo, empty_config(tmp_path))
    assert other.demo == "" and same.demo == demo.demo

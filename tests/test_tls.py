"""The TLS context: made once per trust setting, verifying, and read again when a CA bundle file changes."""

from __future__ import annotations

import os
import ssl
import subprocess

import pytest

from mediatui.api.tls import trust


def make_ca(tmp_path, name: str) -> bytes:
    """A self-signed certificate (PEM) named `name`."""
    key, cert = tmp_path / f"{name}.key", tmp_path / f"{name}.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + ["-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", f"/CN={name}"],
        check=True,
        capture_output=True,
    )
    return cert.read_bytes()


def subjects(context: ssl.SSLContext) -> list[str]:
    return [dict(part[0] for part in ca["subject"])["commonName"] for ca in context.get_ca_certs()]


def test_the_system_trust_is_one_shared_verifying_context():
    first, second = trust(True), trust(True)
    assert isinstance(first, ssl.SSLContext) and first is second
    assert first.verify_mode is ssl.CERT_REQUIRED and first.check_hostname
    assert trust(False) is False


def test_a_bundle_is_shared_until_the_file_changes(tmp_path):
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(make_ca(tmp_path, "first-ca"))
    first = trust(str(bundle))
    assert isinstance(first, ssl.SSLContext) and trust(str(bundle)) is first
    assert subjects(first) == ["first-ca"] and first.verify_mode is ssl.CERT_REQUIRED

    bundle.write_bytes(make_ca(tmp_path, "second-ca") + b"\n")
    stat = bundle.stat()
    os.utime(bundle, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a new time even on a coarse clock
    second = trust(str(bundle))
    assert second is not first and subjects(second) == ["second-ca"]


def test_a_missing_bundle_fails_every_time(tmp_path):
    for _ in range(2):
        with pytest.raises(OSError):
            trust(str(tmp_path / "missing.pem"))


def test_a_bundle_copied_over_with_its_old_size_and_time_is_read_again(tmp_path):
    """`cp -p`, `rsync -t` and `tar x` keep size and time: the CA trusted must still be the new one."""
    first, second = tmp_path / "first.pem", tmp_path / "second.pem"
    old, new = make_ca(tmp_path, "old-ca"), make_ca(tmp_path, "new-ca")
    longest = max(len(old), len(new))
    first.write_bytes(old + b"\n" * (longest - len(old)))  # the same size (text after a PEM block is ignored)
    second.write_bytes(new + b"\n" * (longest - len(new)))
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(first.read_bytes())
    assert subjects(trust(str(bundle))) == ["old-ca"]
    stat = bundle.stat()
    replacement = tmp_path / "replacement.pem"
    replacement.write_bytes(second.read_bytes())
    os.utime(replacement, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(replacement, bundle)  # as `cp -p` to a temporary name and a rename do
    assert bundle.stat().st_size == stat.st_size and bundle.stat().st_mtime_ns == stat.st_mtime_ns
    assert subjects(trust(str(bundle))) == ["new-ca"]


def test_a_bundle_that_is_not_a_regular_file_fails_at_once(tmp_path):
    fifo = tmp_path / "bundle.pem"
    os.mkfifo(fifo)  # reading it would block for ever
    with pytest.raises(OSError, match="not a regular file"):
        trust(str(fifo))


def test_a_bad_ssl_cert_file_is_said_naming_it(tmp_path, monkeypatch):
    from mediatui.api import InvalidInput, MediaClient

    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "nowhere.pem"))
    with pytest.raises(InvalidInput, match=r"SSL_CERT_FILE names a CA bundle that cannot be used \(.*nowhere.pem\)"):
        MediaClient("https://x.example", "t")


def test_threads_asking_at_once_share_one_context(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(make_ca(tmp_path, "shared-ca"))
    with ThreadPoolExecutor(20) as pool:
        made = list(pool.map(lambda _: trust(str(bundle)), range(20)))
    assert len({id(context) for context in made}) == 1

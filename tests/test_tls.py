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

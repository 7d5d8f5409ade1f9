"""A preview's connection goes to the address that was checked, not to a second answer of the DNS (issue 22).

The fault under test is DNS rebinding: a name answers a public address when the fetcher checks it, and a private
one when the connection is made. Tests may bind loopback only, so two loopback addresses play the parts:
CHECKED (127.0.0.2) stands for the public address, and counts as public for these tests only; SECRET
(127.0.0.3) stands for a service of the moderator's network, listening on the same port. The DNS is the fault
hook: each name of `rebinding` answers CHECKED the first time it is asked, SECRET every time after.
"""

from __future__ import annotations

import io
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from mediatui.pictures import fetch
from mediatui.pictures.fetch import Fetcher, PreviewError

CHECKED, SECRET = "127.0.0.2", "127.0.0.3"
SILENT = "127.0.0.4"  # public for these tests too; nothing listens there
FIRST_ANSWERS = {"two.test": (SILENT, CHECKED), "mixed.test": (CHECKED, SECRET)}  # else (CHECKED,)


def png(size: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), "red").save(buf, "PNG")
    return buf.getvalue()


class Server:
    """A file server on one loopback address: /a.png is a picture, /hop?to=URL redirects. It keeps the Host
    header of every request, and for TLS the name each client asked for (SNI)."""

    def __init__(self, address: str, port: int, picture: bytes, tls: tuple[Path, Path] | None = None) -> None:
        self.hosts: list[str] = []
        self.sni: list[str | None] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                server.hosts.append(self.headers.get("Host", ""))
                if self.path.startswith("/hop?to="):
                    self.send_response(302)
                    self.send_header("Location", self.path.removeprefix("/hop?to="))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(picture)))
                self.end_headers()
                self.wfile.write(picture)

        self._http = ThreadingHTTPServer((address, port), Handler)
        self._http.daemon_threads = True
        if tls is not None:  # a certificate and its key
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            context.sni_callback = lambda sock, name, context: self.sni.append(name)
            self._http.socket = context.wrap_socket(self._http.socket, server_side=True)
        self.port = self._http.server_address[1]
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()


@contextmanager
def two_servers(tls: tuple[Path, Path] | None = None) -> Iterator[tuple[Server, Server]]:
    """The checked server and the secret one, on one port of two loopback addresses."""
    for _ in range(20):
        checked = Server(CHECKED, 0, png(2), tls)
        try:
            secret = Server(SECRET, checked.port, png(3), tls)
        except OSError:  # that port is taken on the other address: try another
            checked.close()
            continue
        try:
            yield checked, secret
        finally:
            checked.close()
            secret.close()
        return
    pytest.skip("no port free on both 127.0.0.2 and 127.0.0.3")


@pytest.fixture
def rebinding(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """The fault: names ending in `.test` answer CHECKED (or their FIRST_ANSWERS) once, then SECRET; how often
    each was asked."""
    asked: dict[str, int] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else str(host)
        if not name.endswith(".test"):
            return real(host, port, *args, **kwargs)
        asked[name] = asked.get(name, 0) + 1
        answers = FIRST_ANSWERS.get(name, (CHECKED,)) if asked[name] == 1 else (SECRET,)
        return [info for address in answers for info in real(address, port, *args, **kwargs)]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    private = fetch._private
    monkeypatch.setattr(fetch, "_private", lambda address: address not in (CHECKED, SILENT) and private(address))
    return asked


def test_a_name_that_answers_otherwise_when_connecting_is_fetched_from_the_checked_address(rebinding):
    with two_servers() as (checked, secret):
        fetcher = Fetcher(timeout=2.0)
        try:
            assert fetcher.fetch(f"http://rebind.test:{checked.port}/a.png") == png(2)
        finally:
            fetcher.close()
        assert secret.hosts == []  # the second answer was never used
        assert checked.hosts == [f"rebind.test:{checked.port}"]  # the name, not the address, in the Host header
        assert rebinding == {"rebind.test": 1}  # resolved once


def test_each_redirect_hop_is_resolved_once_and_pinned_to_its_own_checked_address(rebinding):
    with two_servers() as (checked, secret):
        port = checked.port
        fetcher = Fetcher(timeout=2.0)
        try:
            url = f"http://first.test:{port}/hop?to=http://second.test:{port}/a.png"
            assert fetcher.fetch(url) == png(2)
        finally:
            fetcher.close()
        assert secret.hosts == []
        assert checked.hosts == [f"first.test:{port}", f"second.test:{port}"]
        assert rebinding == {"first.test": 1, "second.test": 1}


def test_a_hop_whose_check_answers_a_private_address_is_refused_before_any_connection(rebinding):
    with two_servers() as (checked, secret):
        port = checked.port
        rebinding["late.test"] = 1  # asked before: it answers SECRET now
        fetcher = Fetcher(timeout=2.0)
        try:
            with pytest.raises(PreviewError, match="a private address"):
                fetcher.fetch(f"http://early.test:{port}/hop?to=http://late.test:{port}/a.png")
        finally:
            fetcher.close()
        assert checked.hosts == [f"early.test:{port}"] and secret.hosts == []


def test_a_name_with_several_addresses_is_tried_at_each_checked_one_and_refused_if_any_is_private(rebinding):
    with two_servers() as (checked, secret):
        port = checked.port
        fetcher = Fetcher(timeout=2.0)
        try:
            assert fetcher.fetch(f"http://two.test:{port}/a.png") == png(2)  # SILENT refuses; then CHECKED
            with pytest.raises(PreviewError, match="a private address"):
                fetcher.fetch(f"http://mixed.test:{port}/a.png")
        finally:
            fetcher.close()
        assert checked.hosts == [f"two.test:{port}"] and secret.hosts == []
        assert rebinding == {"two.test": 1, "mixed.test": 1}


def certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for the DNS name `name` only (no IP address in it), and its key."""
    key, cert = folder / f"{name}.key", folder / f"{name}.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        + ["-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", f"/CN={name}"]
        + ["-addext", f"subjectAltName=DNS:{name}"],
        check=True,
        capture_output=True,
    )
    return cert, key


def test_https_is_pinned_too_and_still_verified_against_the_host_name(rebinding, tmp_path, monkeypatch):
    """The certificate names rebind.test and no address: it verifies only if SNI and the check use the name."""
    cert, key = certificate(tmp_path, "rebind.test")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the system's trust, as the fetcher uses it
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with two_servers((cert, key)) as (checked, secret):
        port = checked.port
        fetcher = Fetcher(timeout=2.0)
        try:
            assert fetcher.fetch(f"https://rebind.test:{port}/a.png") == png(2)
            with pytest.raises(PreviewError, match="could not fetch it"):
                fetcher.fetch(f"https://other.test:{port}/a.png")  # the same server, a name its certificate lacks
        finally:
            fetcher.close()
        assert secret.hosts == [] and secret.sni == []
        assert checked.hosts == [f"rebind.test:{port}"]
        assert checked.sni == ["rebind.test", "other.test"]

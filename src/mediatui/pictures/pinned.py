"""Connections for previews go to the addresses that were checked, not to a second answer of the DNS.

Why: the fetcher resolves a file's host and refuses private addresses (README "Security"). If httpx then
resolved the name again to connect, a name whose answer changes in between (DNS rebinding) would reach the
moderator's network after all. So the fetcher resolves each hop once, checks every address, and pins them
here for that host and port; this network backend connects to those addresses and nowhere else.

The URL is not rewritten: httpx still sends the host name in the Host header, and for https httpcore still
gives it as SNI and verifies the certificate against it. (Rewriting the URL to the address would also key the
connection pool by the address, so a connection verified for one name could carry a request for another.)

Through a proxy the proxy makes the connection and resolves the name itself: the backend is then asked for
the proxy's host, which is not pinned.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpcore

from mediatui.api.deadline import DeadlineBackend

_local = threading.local()


@contextmanager
def pinned(host: str, port: int, addresses: Sequence[str]) -> Iterator[None]:
    """Until the block ends, this thread's new connections to `host`:`port` go to `addresses`, in order.

    `host` as httpcore gives it to the backend: the URL's ASCII host (IDNA), an IPv6 address without brackets.
    Per thread: a sync request connects in the thread that sends it, and each fetch checks its own answer."""
    previous = getattr(_local, "pin", None)
    _local.pin = (host.lower(), port, tuple(addresses))
    try:
        yield
    finally:
        _local.pin = previous


def _addresses_for(host: str, port: int) -> tuple[str, ...] | None:
    pin = getattr(_local, "pin", None)
    if pin is None or pin[0] != host.lower() or pin[1] != port:
        return None
    addresses: tuple[str, ...] = pin[2]
    return addresses


class PinnedBackend(DeadlineBackend):
    """The deadline backend, connecting a pinned host and port to its checked addresses only.

    Each address gets its own try, as `socket.create_connection` gives each address of a name; every try
    gets what is left of the request's deadline, and an abort ends them all."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _addresses_for(host, port)
        if addresses is None:  # an allowed host (preview_hosts, the API's own), or a proxy
            return super().connect_tcp(host, port, timeout, local_address, socket_options)
        failure: Exception = httpcore.ConnectError("no checked address to connect to")
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

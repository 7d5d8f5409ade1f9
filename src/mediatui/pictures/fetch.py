"""Media files fetched for previews: without the token, within a deadline and a size cap, never from a private
address of the moderator's network unless allowed.

Why apart from the pictures: this is the part that reaches the network, and what it may reach is a security
rule (README "Security"): a member sets a media's image URL, and the moderator's machine requests it. Each hop
is resolved once, and the connection goes to the addresses checked (`pinned`), not to a later DNS answer.
"""

from __future__ import annotations

from collections.abc import Collection
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

from mediatui.sanitize import inert

if TYPE_CHECKING:
    import httpx

MAX_BYTES = 10_000_000  # an image or document larger than this is not fetched whole
TIMEOUT = 15.0  # seconds for one whole fetch
MAX_REDIRECTS = 5


class PreviewError(Exception):
    """Why there is no picture, in words for the placeholder."""


def _addresses(host: str, port: int) -> tuple[str, ...]:
    """Every address `host` names (itself, when it is one), once each in the resolver's order; none when it
    cannot be resolved (the fetch then fails as it would)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return ()
    return tuple(dict.fromkeys(str(info[4][0]) for info in infos))


def _host_key(host: str) -> str:
    """A host, or host and port, as allowed entries are compared: lower case, no trailing dot, an IPv6 literal
    in brackets (`api.example`, `api.example:8443`, `[::1]:8000`, `::1`)."""
    host = host.lower().strip()
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif host.count(":") == 1:
        name, _, port = host.partition(":")
    else:
        name, port = host, ""
    name = name.rstrip(".")
    name = f"[{name}]" if ":" in name else name
    return f"{name}:{port}" if port else name


def host_and_port(host: str, port: int) -> str:
    """`host:port` as an allowed entry writes it (an IPv6 literal in brackets)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _private(address: str) -> bool:
    """Loopback, private, link-local, unique-local, unspecified, multicast or reserved; an IPv6 address that
    carries an IPv4 one (mapped, NAT64, 6to4, compatible) is judged by that one; old site-local is private."""
    import ipaddress

    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in ipaddress.ip_network("fec0::/10"):
            return True
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and (ip in ipaddress.ip_network("64:ff9b::/96") or ip in ipaddress.ip_network("::/96")):
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    return not ip.is_global or ip.is_multicast


class Fetcher:
    """GETs public media files: never with the community's token, always within a deadline and a cap."""

    def __init__(
        self,
        *,
        verify: bool = True,
        timeout: float = TIMEOUT,
        max_bytes: int = MAX_BYTES,
        transport: httpx.BaseTransport | None = None,
        allowed_hosts: Collection[str] = (),
    ) -> None:
        """`verify` uses the system's CAs, not a community's own bundle: files are often on a public CDN.

        `allowed_hosts` (the API's own host, and the profile's `preview_hosts`) may be at private addresses;
        no other host may (a member who sets a media's image must not make the moderator's machine reach into
        the moderator's network)."""
        import httpx

        from mediatui.api.tls import trust
        from mediatui.pictures.pinned import PinnedBackend

        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allowed_hosts = {_host_key(host) for host in allowed_hosts}
        self._backend = PinnedBackend()
        # No fixed transport: httpx then honours the proxy variables, as the community's client does.
        self._http = httpx.Client(
            verify=trust(verify),
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            transport=transport,
            follow_redirects=False,
            headers={"Accept": "image/*, application/pdf"},
        )
        if transport is None:
            from mediatui.api.client import _use_backend

            _use_backend(self._http, self._backend)

    def close(self) -> None:
        self._http.close()

    def _check_reach(self, target: httpx.URL, port: int) -> AbstractContextManager[None]:
        """Refuse a host that is, or resolves to, a private address (each hop of a redirect is asked again);
        else the pin that makes the connection go to the addresses checked, for the block that sends the hop.

        An allowed entry is a host (any port: the profile's preview_hosts) or a host and port (the API's own):
        it may be at any address, so it is neither resolved nor pinned. A name that does not resolve is refused
        (a proxy would resolve it, inside the network). The name resolved is the URL's ASCII (IDNA) host, the
        one httpx sends and verifies the certificate against."""
        from mediatui.pictures.pinned import pinned

        host = target.host
        if _host_key(host) in self.allowed_hosts or _host_key(host_and_port(host, port)) in self.allowed_hosts:
            return nullcontext()
        name = target.raw_host.decode("ascii")
        addresses = _addresses(name, port)
        if not addresses:
            raise PreviewError(f"{inert(host, limit=60)} cannot be resolved (preview_hosts allows a name as it is)")
        if any(_private(address) for address in addresses):
            raise PreviewError("a private address: add it to preview_hosts to allow it")
        return pinned(name, port, addresses)

    def abort(self) -> None:
        """From any thread: fetches in flight fail at once (for quitting)."""
        self._backend.abort()

    def fetch(self, url: str) -> bytes:
        """The file's bytes, or PreviewError saying why not (too large, timed out, 404, not http(s))."""
        import httpx

        from mediatui.api.deadline import deadline

        current = url
        try:
            with deadline(self.timeout):
                for _ in range(MAX_REDIRECTS + 1):
                    target = httpx.URL(current)
                    if target.scheme not in ("http", "https"):
                        raise PreviewError(f"not an http(s) address ({target.scheme or 'no scheme'})")
                    pin = self._check_reach(target, target.port or (443 if target.scheme == "https" else 80))
                    with pin, self._http.stream("GET", target) as response:
                        if response.is_redirect:
                            current = str(target.join(response.headers.get("Location", "")))
                            continue
                        if response.status_code == 404:
                            raise PreviewError("the file is not there (404)")
                        if response.status_code >= 400:
                            raise PreviewError(f"the file server answered {response.status_code}")
                        declared = response.headers.get("Content-Length", "")
                        if declared.isdigit() and int(declared) > self.max_bytes:
                            raise PreviewError(
                                f"too large to preview ({_size(int(declared))}; at most {_size(self.max_bytes)})"
                            )
                        return self._read(response)
                raise PreviewError("too many redirects")
        except httpx.TimeoutException:
            raise PreviewError(f"timed out after {self.timeout:g} s") from None
        except httpx.InvalidURL:  # not an HTTPError nor a ValueError in httpx 0.28
            raise PreviewError("not a valid address") from None
        except (httpx.HTTPError, ValueError) as exc:
            raise PreviewError(f"could not fetch it ({type(exc).__name__})") from None

    def _read(self, response: httpx.Response) -> bytes:
        parts, size = [], 0
        for part in response.iter_bytes():
            size += len(part)
            if size > self.max_bytes:
                raise PreviewError(f"too large to preview (over {_size(self.max_bytes)})")
            parts.append(part)
        return b"".join(parts)


def _size(size: int) -> str:
    import humanize

    return str(humanize.naturalsize(size))

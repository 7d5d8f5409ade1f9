"""One verifying TLS context per trust setting, shared by every client the process makes.

Why: a verifying context reads and parses the whole CA bundle, ~20-25 ms of CPU
on a 2-core server; httpx builds a fresh one for every client made with
`verify=True`, and mediatui makes several (the community's, the pictures', each
connect check, each CLI verb). So it is made once and shared: httpx and
httpcore only read it, except that each new connection sets its ALPN list,
always to the same value (no client of ours asks for HTTP/2), as they already
did for the connections of one client from several threads. A CA bundle named by a profile is read
again when the file changes (its size and time key the cache). No Textual.
"""

from __future__ import annotations

import os
import ssl
from functools import lru_cache


def trust(verify: bool | str) -> ssl.SSLContext | bool:
    """What to give httpx's `verify=`: the shared context for True or a bundle path; False stays False.

    True trusts what httpx would: the bundle or folder in SSL_CERT_FILE / SSL_CERT_DIR, else certifi's.
    Raises OSError or ssl.SSLError for a bundle that cannot be read, as building the context would.
    """
    if verify is False:
        return False
    if isinstance(verify, str):
        return _context("file", verify, _signature(verify))
    if os.environ.get("SSL_CERT_FILE"):
        path = os.environ["SSL_CERT_FILE"]
        return _context("file", path, _signature(path))
    if os.environ.get("SSL_CERT_DIR"):
        return _context("dir", os.environ["SSL_CERT_DIR"], None)
    import certifi

    return _context("file", certifi.where(), None)


def _signature(path: str) -> tuple[int, int] | None:
    """Size and time of the file: a changed bundle is a new key (a missing one fails when it is loaded)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


@lru_cache(maxsize=8)
def _context(kind: str, where: str, signature: tuple[int, int] | None) -> ssl.SSLContext:
    if kind == "dir":
        return ssl.create_default_context(capath=where)
    return ssl.create_default_context(cafile=where)


__all__ = ["trust"]

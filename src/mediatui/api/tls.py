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
import stat
import threading
from functools import lru_cache


def trust(verify: bool | str) -> ssl.SSLContext | bool:
    """What to give httpx's `verify=`: the shared context for True or a bundle path; False stays False.

    True trusts what httpx would: the bundle or folder in SSL_CERT_FILE / SSL_CERT_DIR, else certifi's.
    Raises OSError or ssl.SSLError for a bundle that cannot be read, as building the context would, and
    OSError for one that is not a regular file (a FIFO would block the read for ever).
    """
    if verify is False:
        return False
    if isinstance(verify, str):
        return _context("file", verify, _signature(verify))
    if os.environ.get("SSL_CERT_FILE"):
        path = os.environ["SSL_CERT_FILE"]
        try:
            return _context("file", path, _signature(path))
        except (OSError, ssl.SSLError) as exc:
            raise OSError(f"SSL_CERT_FILE names a CA bundle that cannot be used ({path}): {_why(exc)}") from None
    if os.environ.get("SSL_CERT_DIR"):
        return _context("dir", os.environ["SSL_CERT_DIR"], None)
    import certifi

    return _context("file", certifi.where(), None)


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _signature(path: str) -> tuple[int, ...]:
    """Which file is there now: a bundle replaced or rewritten is a new key, even with the old size and time
    (`cp -p`, `rsync -t` and `tar x` keep those; the inode and the change time, which no tool sets, differ)."""
    try:
        info = os.stat(path)
    except OSError:
        return ()  # missing: fails when it is loaded, and a failure is never kept
    if not stat.S_ISREG(info.st_mode):
        raise OSError(f"{path} is not a regular file")
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


_making = threading.Lock()


def _context(kind: str, where: str, signature: tuple[int, ...] | None) -> ssl.SSLContext:
    with _making:  # twenty threads asking at once make one, not twenty
        return _made(kind, where, signature)


@lru_cache(maxsize=8)
def _made(kind: str, where: str, signature: tuple[int, ...] | None) -> ssl.SSLContext:
    if kind == "dir":
        return ssl.create_default_context(capath=where)
    return ssl.create_default_context(cafile=where)


__all__ = ["trust"]

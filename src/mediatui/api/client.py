"""A synchronous client for every media endpoint (it runs in worker threads)."""

from __future__ import annotations

import logging
import re
import ssl
import sys
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

# httpx imports its command line (click, pygments, rich.syntax) when they are installed: ~20-40 ms of
# the first request's path, which competes with the TUI's first paint for the GIL. It is never used here;
# a None entry makes that optional import fail, and httpx then leaves its `main` a stub.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
import httpx  # noqa: E402

from mediatui import __version__
from mediatui.api.credentials import TokenBlanker, redact_url, token_problem
from mediatui.api.deadline import DeadlineBackend, deadline
from mediatui.api.enums import CREATE_TYPES, UPLOAD_TYPES, MediaType
from mediatui.api.errors import (
    ApiError,
    InvalidInput,
    ListingUnsupported,
    NotFound,
    TransportError,
    UnusableAnswer,
    error_from_response,
    error_from_transport,
    not_the_api,
)
from mediatui.api.models import MAX_MEDIA_ID, ChunkStatus, Media, Page, UnusableData, load_json
from mediatui.api.tls import trust
from mediatui.api.urls import normalize_base_url
from mediatui.sanitize import inert

T = TypeVar("T")
log = logging.getLogger("mediatui.http")
MEDIA_PATH = "/api/v2/media/"
PROBE_ID = 2**31 - 1  # a media id no community reaches: its 404 says the URL and the token are right
MAX_BODY = 8_000_000  # a page of 50 media is far smaller; a larger answer is not the media API
MAX_ERROR_BODY = 1_000_000  # an error's message needs its first lines, never a whole 1.5 GB page
_MD5 = re.compile(r"[0-9a-f]{32}")
UNUSABLE = "the server sent data mediatui cannot use"
_DECODED_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}  # true of the wire, not of the body


class _Bearer(httpx.Auth):
    """Adds the token to requests to the community's own origin only; its repr never shows it.

    Media files are public URLs, often on another host: a request there (or anywhere but the API's
    scheme, host and port) goes without the token.
    """

    def __init__(self, token: str, origin: httpx.URL) -> None:
        self._header = f"Bearer {token}"
        self._origin = (origin.scheme, origin.host, origin.port)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if (request.url.scheme, request.url.host, request.url.port) == self._origin:
            request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "<Bearer ***>"


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """What a probe of the server found."""

    listing: bool  # the server offers GET /api/v2/media/
    count: int | None  # media on the server, when it lists them


def _use_backend(http: httpx.Client, backend: DeadlineBackend) -> None:
    """Give every transport of the client (the proxies' too) the deadline backend.

    httpx has no public hook for the network backend of its pools: this sets httpcore's
    attribute, and fails loudly if a new httpx moved it (httpx is pinned below 0.29).
    """
    transports = [http._transport, *(t for t in http._mounts.values() if t is not None)]
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if pool is None or not hasattr(pool, "_network_backend"):
            raise RuntimeError("httpx's transport has no httpcore pool: per-request deadlines cannot be set")
        pool._network_backend = backend


def _tls(verify: bool | str) -> bool | ssl.SSLContext:
    """False, or the process's shared context for the system's CAs or for the CA bundle at the path `verify` names."""
    try:
        return trust(verify)
    except (OSError, ssl.SSLError) as exc:
        if not isinstance(verify, str):  # SSL_CERT_FILE's bundle: the message names it
            raise InvalidInput(inert(str(exc), limit=300)) from None
        raise InvalidInput(f"the CA bundle {inert(verify)} cannot be used: {exc.strerror or exc}") from None


def _read_capped(response: httpx.Response, cap: int) -> tuple[bytes, bool]:
    """Up to `cap` bytes of the (decoded) body, and whether there was more."""
    parts, size = [], 0
    for part in response.iter_bytes():
        parts.append(part)
        size += len(part)
        if size > cap:
            return b"".join(parts)[:cap], True
    return b"".join(parts), False


class MediaClient:
    """One method per media operation; every failure raises an ApiError subclass."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 30.0,
        verify: bool | str = True,
        transport: httpx.BaseTransport | None = None,
        max_body: int = MAX_BODY,
    ) -> None:
        problem = token_problem(token)
        if problem:
            raise InvalidInput(problem)
        if timeout <= 0:
            raise InvalidInput("the timeout must be more than 0 seconds")
        self.base_url = normalize_base_url(base_url)
        self.timeout = timeout  # the whole request: connect, send, and the entire answer
        self.max_body = max_body
        self._backend = DeadlineBackend()
        self._blank = TokenBlanker(token)  # where a server quotes the token back, it becomes *** (_request)
        # No transport of our own by default: httpx then mounts one per proxy of HTTPS_PROXY,
        # HTTP_PROXY, ALL_PROXY and NO_PROXY (trust_env), each verifying TLS like the default one.
        self._http = httpx.Client(
            base_url=self.base_url,
            auth=_Bearer(token, httpx.URL(self.base_url)),
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            verify=_tls(verify),
            transport=transport,
            headers={"User-Agent": f"mediatui/{__version__}", "Accept": "application/json"},
            follow_redirects=False,
        )
        if transport is None:
            _use_backend(self._http, self._backend)

    def __repr__(self) -> str:
        return f"MediaClient(base_url={self.base_url!r})"

    def __enter__(self) -> MediaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def abort(self) -> None:
        """From any thread: requests in flight fail at once (TransportError) and no new one starts.

        For quitting while a request hangs; the client cannot be used afterwards.
        """
        self._backend.abort()

    # -- reading --------------------------------------------------------

    def get(self, media_id: int) -> Media:
        """NotFound: no such media. NotTheApi: a web page answered where the API always answers JSON."""
        try:
            return self._parse(Media.from_json, "GET", _media_path(media_id))
        except NotFound as exc:
            if exc.not_json:
                raise not_the_api(self.base_url, "GET", _media_path(media_id)) from exc
            raise

    def list(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        type: MediaType | str | None = None,
        search: str | None = None,
    ) -> Page:
        """One page of media, newest first. Raises ListingUnsupported on a server without a list."""
        if limit < 1 or offset < 0:
            raise InvalidInput("limit must be at least 1 and offset not negative")
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if type:
            params["type"] = str(type)
        if search:
            params["search"] = search
        try:
            return self._parse(Page.from_json, "GET", MEDIA_PATH, params=params)
        except ApiError as exc:
            if exc.status not in (404, 405):
                raise
            try:  # a community without a list, or no API at all (a wrong URL)? A media's address tells: its
                self.get(PROBE_ID)  # 404 is the API's JSON, and the token is checked before the lookup
            except NotFound:
                pass
            raise ListingUnsupported(exc.status, "this server has no media list (GET /api/v2/media/)") from exc

    def probe(self) -> ServerStatus:
        """Check the URL and the token with a real request, and whether the server lists media."""
        try:
            page = self.list(limit=1)  # on a server without a list, it has checked the token (a media's 404)
        except ListingUnsupported:
            return ServerStatus(listing=False, count=None)
        return ServerStatus(listing=True, count=page.count)

    # -- writing --------------------------------------------------------

    def create(
        self,
        type: MediaType | str,
        *,
        url: str | None = None,
        embed_type: str | None = None,
        embed_id: str | None = None,
        **fields: Any,
    ) -> Media:
        """Create a url, vimeo or embed media (POST /api/v2/media/)."""
        kind = str(type)
        if kind not in CREATE_TYPES:
            raise InvalidInput(f"type must be one of {', '.join(CREATE_TYPES)}, not {kind!r}")
        body: dict[str, Any] = {"type": kind, **fields}
        if kind in (MediaType.URL, MediaType.VIMEO):
            if not url or "://" not in url:
                raise InvalidInput(f"a {kind} media needs a full URL (https://...)")
            body["url"] = url
        else:
            if not embed_type or not embed_id:
                raise InvalidInput("an embed media needs embed_type and embed_id")
            body.update(embed_type=embed_type, embed_id=embed_id)
        return self._parse(Media.from_json, "POST", MEDIA_PATH, json=body)

    def update(self, media_id: int, fields: Mapping[str, Any]) -> Media:
        """Replace a media (PUT); the API requires `image`."""
        if not fields.get("image"):
            raise InvalidInput("PUT needs an image URL; use patch to change some fields only")
        return self._parse(Media.from_json, "PUT", _media_path(media_id), json=dict(fields))

    def patch(self, media_id: int, fields: Mapping[str, Any]) -> Media:
        """Change some fields of a media (PATCH)."""
        if not fields:
            raise InvalidInput("nothing to change")
        return self._parse(Media.from_json, "PATCH", _media_path(media_id), json=dict(fields))

    def delete(self, media_id: int) -> None:
        """NotFound: no such media (gone already). NotTheApi: no JSON 404 or a web page's success: a wrong URL,
        never taken for "deleted" or "already gone"."""
        path = _media_path(media_id)
        try:
            answer = self._request("DELETE", path)
        except NotFound as exc:
            if exc.not_json:
                raise not_the_api(self.base_url, "DELETE", path) from exc
            raise
        if answer.content.strip():  # the API answers 204, no body; a page of a site is not a deletion
            try:
                load_json(answer.content)
            except ValueError:
                raise not_the_api(self.base_url, "DELETE", path) from None

    # -- chunked upload -------------------------------------------------

    def upload_chunk(
        self,
        data: bytes,
        *,
        start: int,
        total: int,
        filename: str,
        upload_id: str | None = None,
        field: Literal["image", "document"] = "image",
    ) -> ChunkStatus:
        """Send bytes [start, start+len) of a `total`-byte file (Content-Range END is inclusive)."""
        if not data:
            raise InvalidInput("a chunk must hold at least one byte")
        if start < 0 or start + len(data) > total:
            raise InvalidInput(f"chunk {start}+{len(data)} does not fit a {total}-byte file")
        if field not in ("image", "document"):
            raise InvalidInput("the file field is 'image' or 'document'")
        if start > 0 and not upload_id:
            raise InvalidInput("chunks after the first need the upload_id")
        headers = {"Content-Range": f"bytes {start}-{start + len(data) - 1}/{total}"}
        form = {"upload_id": upload_id} if upload_id else {}
        files = {field: (filename or "upload", data, "application/octet-stream")}
        return self._parse(
            ChunkStatus.from_json, "POST", MEDIA_PATH + "upload/chunk/", data=form, files=files, headers=headers
        )

    def complete_upload(self, upload_id: str, md5: str, type: MediaType | str | None = None) -> Media:
        """Finish a chunked upload. Not idempotent: never resend blindly."""
        if not upload_id:
            raise InvalidInput("no upload_id")
        md5 = md5.lower()
        if not _MD5.fullmatch(md5):
            raise InvalidInput("md5 must be 32 hex digits")
        form = {"upload_id": upload_id, "md5": md5}
        if type is not None:
            if str(type) not in UPLOAD_TYPES:
                raise InvalidInput(f"upload type must be one of {', '.join(UPLOAD_TYPES)}")
            form["type"] = str(type)
        return self._parse(Media.from_json, "POST", MEDIA_PATH + "upload/complete/", data=form)

    # -- plumbing -------------------------------------------------------

    def _request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        """Send one request within the client's deadline; the answer is read up to a size cap."""
        start = time.monotonic()
        try:
            with deadline(self.timeout):
                request = self._http.build_request(method, path, **kw)
                response = self._http.send(request, stream=True)
                try:
                    cap = self.max_body if response.status_code < 400 else MAX_ERROR_BODY
                    body, cut = _read_capped(response, cap)
                    body = self._blank(body)  # a server may quote the request: never the token
                finally:
                    response.close()
        except httpx.TransportError as exc:
            log.info("%s %s failed after %.3f s: %s", method, path, time.monotonic() - start, type(exc).__name__)
            error = error_from_transport(exc)
            if isinstance(exc, httpx.TimeoutException) and time.monotonic() - start >= self.timeout * 0.9:
                error = TransportError(
                    f"no complete answer within {self.timeout:g} s (the request's deadline)",
                    never_sent=error.never_sent,
                    timed_out=True,
                )
            raise error from None
        except httpx.HTTPError as exc:  # e.g. a redirect loop or a malformed header from the server
            raise ApiError(None, f"the request failed: {type(exc).__name__}") from None
        log.info(
            "%s %s -> %d in %.3f s",
            method,
            request.url.raw_path.decode("ascii", "replace"),
            response.status_code,
            time.monotonic() - start,
        )
        if response.is_redirect:
            where = response.headers.get("Location", "?")
            where = self._blank(where.encode()).decode("utf-8", "replace")
            raise ApiError(response.status_code, f"the server redirected to {redact_url(where)}: check the URL")
        # The body was read decoded (gzip, deflate): its headers must no longer say it is encoded, or httpx would
        # decode it a second time and fail on every answer a proxy compressed.
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _DECODED_HEADERS]
        answer = httpx.Response(response.status_code, headers=headers, content=body, request=request)
        if response.status_code >= 400:
            raise error_from_response(answer, self._blank.decoded)
        if cut:
            raise ApiError(
                response.status_code, f"the answer is larger than {cap // 1_000_000} MB: is this the community's API?"
            )
        return answer

    def _json(self, method: str, path: str, **kw: Any) -> Any:
        response = self._request(method, path, **kw)
        try:
            return self._blank.decoded(load_json(response.content))  # escapes hid it from the raw pass
        except UnusableData as exc:
            raise UnusableAnswer(response.status_code, f"{UNUSABLE}: {exc}") from None
        except ValueError:
            page = (
                " (a web page: check the community URL)" if "html" in response.headers.get("content-type", "") else ""
            )
            raise UnusableAnswer(
                response.status_code, f"the server answered with something that is not JSON{page}"
            ) from None

    def _parse(self, parse: Callable[[Any], T], method: str, path: str, **kw: Any) -> T:
        """A typed answer, or an ApiError when the JSON is not of the expected shape."""
        body = self._json(method, path, **kw)
        try:
            return parse(body)
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            raise UnusableAnswer(None, f"{UNUSABLE}: the answer is not of the expected shape ({exc})") from None


def _media_path(media_id: int) -> str:
    if isinstance(media_id, bool) or not isinstance(media_id, int) or not 1 <= media_id <= MAX_MEDIA_ID:
        raise InvalidInput(f"a media id is a whole number from 1 to {MAX_MEDIA_ID}, not {media_id!r}")
    return f"{MEDIA_PATH}{media_id}/"

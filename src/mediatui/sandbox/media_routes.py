"""Media endpoints: list, create, retrieve, update (PUT/PATCH), delete, and stored files."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from mediatui.sandbox import choices
from mediatui.sandbox.state import DJANGO_404, HttpError, Sandbox, base_url, public
from mediatui.sandbox.store import new_media
from mediatui.sandbox.validation import clean_create, clean_fields

MAX_LIMIT = 200


def sandbox_of(request: Request) -> Sandbox:
    return request.app.state.sandbox


async def list_media(request: Request) -> Response:
    sandbox = sandbox_of(request)
    sandbox.user(request)
    if not sandbox.config.listing:
        raise HttpError(405, {"detail": 'Method "GET" not allowed.'})
    query = request.query_params
    limit = min(_query_int(query.get("limit"), 20), MAX_LIMIT) or 20
    offset = _query_int(query.get("offset"), 0)
    count, rows = sandbox.store.list_media(limit, offset, query.get("type") or None, query.get("search") or None)
    base = base_url(request)

    def link(at: int) -> str:
        params = {**query, "limit": limit, "offset": at}
        return f"{base.rstrip('/')}{request.url.path}?{urlencode(params)}"

    return JSONResponse(
        {
            "count": count,
            "next": link(offset + limit) if offset + limit < count else None,
            "previous": link(max(0, offset - limit)) if offset > 0 else None,
            "results": [public(r, base) for r in rows],
        }
    )


async def create_media(request: Request) -> Response:
    sandbox = sandbox_of(request)
    user = sandbox.user(request)
    body = await read_body(request)
    sandbox.log(request, body)
    fields = clean_create(body)
    data = _new_media(sandbox, fields)
    row = sandbox.store.insert_media(user, data)
    return JSONResponse(public(row, base_url(request)), status_code=201)


async def retrieve_media(request: Request) -> Response:
    sandbox = sandbox_of(request)
    sandbox.user(request)
    _, data = _find(sandbox, request)
    return JSONResponse(public(data, base_url(request)))


async def update_media(request: Request) -> Response:
    sandbox = sandbox_of(request)
    user = sandbox.user(request)
    owner, data = _find(sandbox, request)
    partial = request.method == "PATCH"
    body = await read_body(request)
    sandbox.log(request, body)
    if owner != user:  # DRF checks object permissions before it validates the body
        raise HttpError(403, {"detail": "You do not have permission to perform this action."})
    fields = clean_fields(body, required=() if partial else ("image",), types=choices.SETTABLE_TYPES)
    if "image" in fields and fields["image"] != data.get("image"):  # what was known of the old file is not of this
        data.update(image_thumbnail=None, image_mimetype=None, size=None, mimetype=None)
    data.update(fields)
    sandbox.store.update_media(data["id"], owner, data)
    return JSONResponse(public(data, base_url(request)))


async def destroy_media(request: Request) -> Response:
    sandbox = sandbox_of(request)
    user = sandbox.user(request)
    owner, data = _find(sandbox, request)
    if owner != user:
        raise HttpError(403, {"detail": "You do not have permission to perform this action."})
    sandbox.store.delete_media(data["id"])
    return Response(status_code=204)


async def serve_file(request: Request) -> Response:
    """Stored files under /media/...; nothing outside the files folder is reachable."""
    root = sandbox_of(request).files_dir.resolve()
    path = (root / request.path_params["path"]).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise HttpError(404, html=DJANGO_404)
    return FileResponse(path)


async def read_body(request: Request) -> Any:
    """A JSON or form body, as DRF's parsers would take it."""
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        async with request.form() as form:
            return {k: v for k, v in form.items() if isinstance(v, str)}
    raw = await request.body()
    if len(raw) > MAX_BODY:  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE: a larger body is refused before parsing
        raise HttpError(400, html=BAD_REQUEST_HTML)
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:  # nested past the parser's stack is a parse error too
        raise HttpError(400, {"detail": f"JSON parse error - {type(exc).__name__}"}) from None


def _find(sandbox: Sandbox, request: Request) -> tuple[str, dict[str, Any]]:
    raw = request.path_params["media_id"]
    found = sandbox.store.get_media(int(raw)) if raw.isdigit() and len(raw) < 19 else None
    if found is None:
        raise HttpError(404, {"detail": "No Media matches the given query."})
    return found


def _new_media(sandbox: Sandbox, fields: dict[str, Any]) -> dict[str, Any]:
    """What the real server derives for a new url/vimeo/embed media (its oEmbed fetch, faked)."""
    kind = fields["type"]
    url = fields.get("url")
    host = urlsplit(url).hostname if url else None
    data = new_media(sandbox.new_hash(), sandbox.now_iso(), kind, url=url)
    if kind == choices.URL:
        data.update(title=host, oembed_type=choices.LINK, oembed_url=url, oembed_available=True)
    elif kind == choices.VIMEO:
        data.update(
            title=f"Video on {host}",
            oembed_type=choices.VIDEO,
            oembed_url=url,
            oembed_width=640,
            oembed_height=360,
            oembed_available=True,
            oembed_preview_ready=True,
            oembed_html=f'<iframe src="{url}" width="640" height="360"></iframe>',
        )
    data.update(fields)
    return data


MAX_BODY = 2_621_440  # bytes: Django's DATA_UPLOAD_MAX_MEMORY_SIZE
BAD_REQUEST_HTML = (
    "<!doctype html><html><head><title>Bad Request (400)</title></head><body><h1>Bad Request (400)</h1></body></html>"
)


def _query_int(value: str | None, default: int) -> int:
    try:
        return max(0, int(value)) if value is not None else default
    except ValueError:
        return default

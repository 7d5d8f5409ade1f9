"""The sandbox's ASGI application: routes, error rendering, fault injection."""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from mediatui.sandbox import media_routes as media
from mediatui.sandbox import upload_routes as uploads
from mediatui.sandbox.config import SandboxConfig
from mediatui.sandbox.faults import FaultInjector
from mediatui.sandbox.seed import seed_store
from mediatui.sandbox.state import DJANGO_404, HttpError, Sandbox
from mediatui.sandbox.store import Store
from mediatui.sandbox.validation import ValidationError


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HttpError)
    if exc.html is not None:
        return HTMLResponse(exc.html, status_code=exc.status, headers=exc.headers)
    return JSONResponse(exc.body or {}, status_code=exc.status, headers=exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ValidationError)
    return JSONResponse(exc.body, status_code=400)


async def _not_found(request: Request, exc: Exception) -> Response:
    return HTMLResponse(DJANGO_404, status_code=404)  # a route it does not have: Django's page


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return JSONResponse({"detail": f'Method "{request.method}" not allowed.'}, status_code=405)


def create_app(config: SandboxConfig) -> Any:
    """Build the sandbox; seeds `config.seed` media into an empty store."""
    store = Store(config.data_dir / "sandbox.db")
    sandbox = Sandbox(config, store)
    if config.seed and store.count_media() == 0:
        seed_store(sandbox, config.seed)
    routes = [
        Route("/api/v2/media/", media.list_media, methods=["GET"]),
        Route("/api/v2/media/", media.create_media, methods=["POST"]),
        Route("/api/v2/media/upload/chunk/", uploads.upload_chunk, methods=["POST"]),
        Route("/api/v2/media/upload/complete/", uploads.complete_upload, methods=["POST"]),
        Route("/api/v2/media/{media_id}/", media.retrieve_media, methods=["GET"]),
        Route("/api/v2/media/{media_id}/", media.update_media, methods=["PUT", "PATCH"]),
        Route("/api/v2/media/{media_id}/", media.destroy_media, methods=["DELETE"]),
        Route("/media/{path:path}", media.serve_file, methods=["GET", "HEAD"]),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            HttpError: _http_error,
            ValidationError: _validation_error,
            404: _not_found,
            405: _not_allowed,
        },
    )
    app.state.sandbox = sandbox
    app.router.redirect_slashes = False
    return FaultInjector(app, config.faults)

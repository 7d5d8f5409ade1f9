"""ASGI middleware that injects the faults a real network and server produce.

It wraps the whole app (outside Starlette's error handling) so that a drop
really closes the connection: the response is started with a promised
length, then the app raises, and uvicorn closes the socket.
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

from mediatui.sandbox.config import Faults

_HTML_503 = (
    b"<html><head><title>503 Service Unavailable</title></head><body><h1>503 Service Unavailable</h1></body></html>"
)
_HTML_500 = (
    b"<!doctype html><html><head><title>Server Error (500)</title></head>"
    b"<body><h1>Server Error (500)</h1></body></html>"
)


class InjectedDrop(Exception):
    """Raised on purpose to make the server close a connection."""


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], InjectedDrop))


logging.getLogger("uvicorn.error").addFilter(_QuietDrops())


class FaultInjector:
    def __init__(self, app: Any, faults: Faults) -> None:
        self.app = app
        self.faults = faults
        self.rng = random.Random(faults.seed)

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        f = self.faults
        if (
            scope["type"] != "http"
            or (f.only_path and f.only_path not in scope["path"])
            or (f.only_method and f.only_method != scope["method"])
        ):
            await self.app(scope, receive, send)
            return
        f.matched += 1
        if not scope["path"].startswith("/api/"):  # a file: a laggy link holds it too, nothing else happens to it
            if f.latency_ms > 0 and f.latency_files:
                await _hold(f)
            await self.app(scope, receive, send)
            return
        if f.fail_next > 0:
            f.fail_next -= 1
            await _answer(send, 503, _HTML_503)
            return
        if f.latency_ms > 0:
            await _hold(f)
        roll = self.rng.random()
        if roll < f.fail_rate:
            status, body = (503, _HTML_503) if self.rng.random() < 0.5 else (500, _HTML_500)
            await _answer(send, status, body)
            return
        if roll < f.fail_rate + f.drop_rate:
            await _drop(send)
        if roll < f.fail_rate + f.drop_rate + f.throttle_rate:
            body = b'{"detail": "Request was throttled. Expected available in 1 second."}'
            await _answer(send, 429, body, [(b"retry-after", b"1")], b"application/json")
            return
        if self.rng.random() < f.lose_rate:
            await self.app(scope, receive, _swallow)
            await _drop(send)
        await self.app(scope, receive, send)


async def _hold(f: Faults) -> None:
    """The latency, cut short for every held request once a test sets `f.release`."""
    loop = asyncio.get_running_loop()
    latency = f.latency_ms
    end = loop.time() + latency / 1000
    f.held.append(latency)
    try:
        while not f.release.is_set() and (left := end - loop.time()) > 0:
            await asyncio.sleep(min(left, 0.05))  # a short latency is one sleep; a long one looks up now and then
    finally:
        f.held.remove(latency)


async def _swallow(message: dict) -> None:
    """Discards the app's answer: the request was handled, the client never hears of it."""


async def _answer(
    send: Any, status: int, body: bytes, extra: list | None = None, kind: bytes = b"text/html; charset=utf-8"
) -> None:
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _drop(send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100")]})
    raise InjectedDrop("connection dropped on purpose")

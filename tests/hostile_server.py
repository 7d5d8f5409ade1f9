"""A small real HTTP server on loopback that answers as a hostile or broken community would.

Each route is (method, path prefix) -> a function that writes the whole answer
on the raw socket file, so a test can send escape sequences, trickle bytes,
send a gigantic error page or never answer at all.
"""

from __future__ import annotations

import json
import socketserver
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

ESC = "\x1b"
#: Every kind of sequence a terminal would act on, in one string.
NASTY = (
    f"{ESC}]0;PWNED-TITLE\x07{ESC}]52;c;ZXZpbA==\x07{ESC}[2J{ESC}P+q544e{ESC}\\"
    "\x9b31m\x9d0;c1title\x9c\u202eevil\u202c\u2066x\u2069"
)

Answer = Callable[[BaseHTTPRequestHandler], None]


def send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes | str,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> None:
    data = body.encode() if isinstance(body, str) else body
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)


def send_json(handler: BaseHTTPRequestHandler, status: int, data: Any) -> None:
    send(handler, status, json.dumps(data))


def media(media_id: int, **fields: Any) -> dict[str, Any]:
    """A Media body whose text fields are hostile."""
    return {
        "id": media_id,
        "type": "image",
        "title": f"title {NASTY}",
        "url": f"https://x.invalid/{NASTY}",
        "description": NASTY,
        "added_at": "2026-11-28T12:00:00Z",
        **fields,
    }


class HostileServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Answer] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.bodies: list[tuple[str, str, bytes]] = []  # (method, path, body) of each request that had one
        self.stop_event = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    server.bodies.append((self.command, self.path, self.rfile.read(length)))
                server.requests.append((self.command, self.path, dict(self.headers)))
                for (method, prefix), answer in server.routes.items():
                    if method == self.command and self.path.startswith(prefix):
                        answer(self)
                        return
                send_json(self, 404, {"detail": "Not found."})

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def route(self, method: str, prefix: str, answer: Answer) -> None:
        self.routes[(method, prefix)] = answer

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self._server.shutdown()
        self._server.server_close()

    # -- answers a test can use ----------------------------------------------------

    def trickle(self, every: float = 1.0) -> Answer:
        """Headers, then one byte of body every `every` seconds, for as long as the client listens."""

        def answer(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", "1000000")
            handler.end_headers()
            handler.wfile.flush()
            while not self.stop_event.wait(every):
                try:
                    handler.wfile.write(b" ")
                    handler.wfile.flush()
                except OSError:
                    return

        return answer

    def hang(self) -> Answer:
        """Read the request, never answer."""

        def answer(handler: BaseHTTPRequestHandler) -> None:
            self.stop_event.wait(60)

        return answer

    def huge_error(self, size: int) -> Answer:
        """A 500 whose HTML page is `size` bytes long, streamed."""

        def answer(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(500)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", str(size))
            handler.end_headers()
            block = b"<p>" + b"x" * 65530 + b"</p>"
            sent = 0
            try:
                while sent < size and not self.stop_event.is_set():
                    part = block[: size - sent]
                    handler.wfile.write(part)
                    sent += len(part)
            except OSError:
                return

        return answer


def elapsed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.monotonic()
    try:
        result = call()
    except Exception as exc:  # noqa: BLE001 - the test looks at what was raised
        result = exc
    return time.monotonic() - start, result

"""Running the sandbox with uvicorn: in the foreground (CLI) or in a thread (tests, demo)."""

from __future__ import annotations

import socket
import threading
from typing import Any

import uvicorn

from mediatui.sandbox.app import create_app
from mediatui.sandbox.config import SandboxConfig


class SandboxServer:
    """A sandbox bound to a real loopback socket; the port is known before it serves."""

    def __init__(self, config: SandboxConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = config
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and without it
        # every small answer waits ~40 ms for a delayed ACK (Nagle).
        self._socket = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket.bind((host, port))
        # Listening from here: a client told the URL (printed by `mediatui sandbox` before uvicorn serves) waits
        # in the backlog instead of being refused.
        self._socket.listen(128)
        self.host, self.port = self._socket.getsockname()[:2]
        self.app = create_app(config)
        self._server = uvicorn.Server(
            uvicorn.Config(
                self.app,
                log_config=None,
                log_level="warning",
                access_log=False,
                lifespan="off",
                timeout_graceful_shutdown=1,
            )
        )
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def sandbox(self):  # noqa: ANN201 - the handlers' shared state, for tests that move its clock
        return self.app.app.state.sandbox

    @property
    def token(self) -> str:
        return next(iter(self.config.users))

    def serve_forever(self) -> None:
        """Serve in this thread until SIGINT/SIGTERM."""
        self._server.run(sockets=[self._socket])

    def start(self) -> SandboxServer:
        """Serve in a daemon thread; returns once the server accepts connections."""
        if self._thread is not None:
            raise RuntimeError("this sandbox is already started")
        self._thread = threading.Thread(target=self.serve_forever, name="sandbox", daemon=True)
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the sandbox failed to start")
            self._thread.join(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(5)
        self._socket.close()
        self.sandbox.store.close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

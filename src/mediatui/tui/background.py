"""Blocking calls for the UI, on daemon threads that quitting never waits for.

Textual's thread workers run on asyncio's default executor, and both
`asyncio.run` (shutdown_default_executor) and concurrent.futures' exit hook
join those threads: a request stuck in the network held `q` for up to the
client's timeout (~27 s). Here each call gets its own daemon thread and an
asyncio future; a cancelled await (an exclusive worker replaced, the app
quitting) simply stops listening, and the thread ends with its request.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")
log = logging.getLogger("mediatui.worker")  # written only with --log (see mediatui.settings.logsetup)


def start(call: Callable[..., T], *args: Any, name: str = "mediatui-io") -> Future[T]:
    """Run `call(*args)` on a new daemon thread; its result or exception lands in the future."""
    future: Future[T] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        log.debug("worker %s start: %s", name, getattr(call, "__qualname__", "?"))
        try:
            result = call(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever awaits
            log.debug("worker %s end: %s", name, type(exc).__name__, exc_info=exc)
            future.set_exception(exc)
        else:
            log.debug("worker %s end: ok", name)
            future.set_result(result)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future


async def in_thread(call: Callable[..., T], *args: Any) -> T:
    """Await `call(*args)` run on a daemon thread."""
    return await asyncio.wrap_future(start(call, *args))


def soon(loop: asyncio.AbstractEventLoop, call: Callable[..., Any], *args: Any) -> None:
    """Schedule `call` on the UI loop from any thread; nothing happens once the loop has closed."""
    try:
        loop.call_soon_threadsafe(call, *args)
    except RuntimeError:
        pass

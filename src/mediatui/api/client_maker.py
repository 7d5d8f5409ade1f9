"""The client of one community, made once, on first use, by whichever worker thread asks first.

Why: making a MediaClient loads httpx and a TLS context (~100 ms of CPU), which
must not happen on the UI thread nor before the first rows (mediatui.runtime.first_page).
One maker belongs to one community (it is given the function that makes that
community's client): a worker still running for the community the user just left
gets that community's client, never the new one's, and the new community's maker
cannot hand out a client made for the old one. No Textual.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mediatui.api.client import MediaClient


class ClientMaker:
    def __init__(self, make: Callable[[], MediaClient]) -> None:
        self._make = make
        self._client: MediaClient | None = None
        self._lock = threading.Lock()
        self._closed = False

    def __call__(self) -> MediaClient:
        """The client, made now if it was not (blocks ~100 ms then: call it off the UI thread)."""
        with self._lock:
            if self._client is None:
                if self._closed:  # the community was left: nothing new is started for it
                    raise RuntimeError("this community was left")
                self._client = self._make()
                if self._closed:  # the app left this community while it was being made
                    self._client.close()
            return self._client

    @property
    def made(self) -> MediaClient | None:
        """The client if it was made; asking here makes none."""
        return self._client

    def close(self) -> None:
        """No further use (never waits: a client being made is closed when it is done)."""
        self._closed = True
        client = self._client
        if client is not None:
            client.close()

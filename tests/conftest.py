"""Shared fixtures: a real sandbox server on a free loopback port, and clients for it."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mediatui.api import MediaClient
from mediatui.sandbox import Faults, SandboxConfig, SandboxServer

OTHER_TOKEN = "other-token"
STOPPING: list[threading.Thread] = []  # sandboxes being stopped after their test


def pytest_sessionfinish(session: pytest.Session) -> None:
    for stopping in STOPPING:
        stopping.join(10)
    stuck = [t for t in STOPPING if t.is_alive()]
    assert not stuck, f"{len(stuck)} sandbox(es) did not stop within 10 s"


DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes a journal or a catalogue into the real home folder."""
    monkeypatch.setenv("MEDIATUI_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("MEDIATUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MEDIATUI_CONFIG", str(tmp_path / "config" / "config.toml"))  # never the user's own
    monkeypatch.delenv("MEDIATUI_PROFILE", raising=False)


@pytest.fixture(params=["tricks", "plain"])
def tricks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """The test runs twice: with the start-up and latency tricks (True), and with MEDIATUI_PLAIN=1 (False)."""
    if request.param == "plain":
        monkeypatch.setenv("MEDIATUI_PLAIN", "1")
    else:
        monkeypatch.delenv("MEDIATUI_PLAIN", raising=False)
    return request.param == "tricks"


@pytest.fixture
def make_sandbox(tmp_path: Path) -> Iterator[Callable[..., SandboxServer]]:
    """Start sandboxes with any config; all are stopped after the test."""
    servers: list[SandboxServer] = []

    def start(*, data_dir: Path | None = None, faults: Faults | None = None, **config: Any) -> SandboxServer:
        config.setdefault("users", {"sandbox-token": "moderator", OTHER_TOKEN: "someone-else"})
        folder = data_dir or tmp_path / f"sandbox-{len(servers)}"
        server = SandboxServer(SandboxConfig(folder, faults=faults or Faults(), **config)).start()
        servers.append(server)
        return server

    yield start
    # Stopped side by side, and not waited for: a stop takes ~0.15 s (uvicorn's ticks), and the next test need not.
    # The session's end waits for them all (pytest_sessionfinish), so that a stop that fails is still seen.
    for server in servers:
        stopping = threading.Thread(target=server.stop, name="sandbox-stop", daemon=True)
        stopping.start()
        STOPPING.append(stopping)


@pytest.fixture
def sandbox(make_sandbox: Callable[..., SandboxServer]) -> SandboxServer:
    """A sandbox seeded with 40 media (some owned by someone else)."""
    return make_sandbox(seed=40)


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[MediaClient]:
    with MediaClient(sandbox.url, sandbox.token, timeout=10) as c:
        yield c


@pytest.fixture(scope="session")
def seed_examples() -> dict[str, Any]:
    """The example bodies of the seed document (tests/data is extracted from shared/seed)."""
    return json.loads((DATA / "seed_examples.json").read_text())


@pytest.fixture
def hung_mount(monkeypatch, tmp_path):
    """Make `tmp_path / name` a folder on a mount that hangs (an NFS server gone): every stat, statvfs, access
    and open under it waits until the test ends."""
    released = threading.Event()
    hung: list[str] = []

    def wrap(real):
        def call(path, *args, **kwargs):
            if isinstance(path, (str, os.PathLike)) and any(os.fspath(path).startswith(h) for h in hung):
                released.wait(60)
            return real(path, *args, **kwargs)

        return call

    for name in ("stat", "lstat", "statvfs", "access", "open"):
        monkeypatch.setattr(os, name, wrap(getattr(os, name)))

    def hang(name: str) -> str:
        hung.append(str(tmp_path / name))
        return hung[-1]

    yield hang
    released.set()


@pytest.fixture
def healthy(monkeypatch):
    """For `mediatui doctor`: a terminal with nothing wrong (xterm-256color in truecolor, a UTF-8 locale,
    120x40, no tmux), whatever the terminal the tests run in."""
    from mediatui.community import doctor_local

    for name in ("LC_ALL", "LC_CTYPE", "TMUX", "STY", "ZELLIJ", "NO_COLOR", "KITTY_WINDOW_ID", "TERM_PROGRAM"):
        monkeypatch.delenv(name, raising=False)
    for name in ("GHOSTTY_RESOURCES_DIR", "MEDIATUI_TRASH_MB", "MEDIATUI_INSECURE", "MEDIATUI_URL", "MEDIATUI_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LINES", "40")
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    # What this Python found at its start is the test runner's, not the case's: a case that needs it sets it.
    monkeypatch.setattr(doctor_local, "python_found_c_locale", lambda: False)
    return monkeypatch


@pytest.fixture
def env(healthy, sandbox):
    """`healthy`, and the sandbox as the community of MEDIATUI_URL and MEDIATUI_TOKEN."""
    healthy.setenv("MEDIATUI_URL", sandbox.url)
    healthy.setenv("MEDIATUI_TOKEN", sandbox.token)
    return sandbox

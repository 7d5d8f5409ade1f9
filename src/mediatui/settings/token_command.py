"""A profile's `token_command`: run without a shell, its trimmed output is the token.

Why apart: it runs a program the user named, which may hang, print too much, or leave a child behind (a
password manager starting its agent); each of those is handled here, and a failure never says what the
command printed (a password manager's error output can hold the secret, or part of it).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import time

from mediatui.api.credentials import Secret
from mediatui.sanitize import inert
from mediatui.settings.config_errors import TokenSourceError

TOKEN_COMMAND_TIMEOUT = 20.0  # seconds: `pass` may ask gpg-agent, but a hung command must not hold the start


def split_command(command: str) -> list[str]:
    """The command line as its words (quotes work; |, ; and $VAR are plain characters); [] when it cannot be."""
    import shlex

    try:
        return shlex.split(command)
    except ValueError:
        return []


def run_token_command(profile: str, command: str, timeout: float = TOKEN_COMMAND_TIMEOUT) -> Secret:
    """Run `command` without a shell and take its trimmed output as the token.

    A failure names the profile and the command, never what the command printed: a password
    manager's error output can hold the secret, or part of it.
    """
    argv = split_command(command)
    said = f"profile {inert(profile)!r}: token_command `{inert(command, limit=200)}`"
    if not argv:
        raise TokenSourceError(f"{said} is not a valid command line")
    try:
        proc = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True
        )
    except FileNotFoundError:
        raise TokenSourceError(f"{said} failed: {inert(argv[0])} was not found") from None
    except PermissionError:
        raise TokenSourceError(f"{said} failed: {inert(argv[0])} cannot be run (permission denied)") from None
    except OSError as exc:
        raise TokenSourceError(f"{said} failed: {exc.strerror or type(exc).__name__}") from None
    deadline = time.monotonic() + timeout
    try:
        output = read_output(proc, deadline)
        if output is not None:  # it may close its output and go on: the deadline holds for its exit too
            returncode = proc.wait(max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        end_group(proc)
        raise TokenSourceError(f"{said} did not finish within {timeout:g} s") from None
    except BaseException:  # Ctrl-C, a bug: the command never lingers
        end_group(proc)
        raise
    if output is None:
        end_group(proc)
        raise TokenSourceError(f"{said} printed more than 8 KB: that is no token (nothing was sent)")
    if returncode != 0:
        raise TokenSourceError(f"{said} failed with exit status {returncode}")
    token = output.decode("utf-8", "replace").strip()
    if not token:
        raise TokenSourceError(f"{said} printed nothing")
    return Secret(token)


MAX_TOKEN_OUTPUT = 8192  # bytes a token command may print: more is no token, and never goes into a header


def read_output(proc: subprocess.Popen[bytes], deadline: float, cap: int = MAX_TOKEN_OUTPUT) -> bytes | None:
    """What the command printed, read until it exits (not until every child it left has closed the pipe: an
    agent started in the background keeps it open); None past `cap` bytes; TimeoutExpired past `deadline`.
    POSIX only (select on a pipe), as the app is. Also `mediatui doctor`'s for `tmux show-options`."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    os.set_blocking(fd, False)
    output = bytearray()
    try:
        while len(output) <= cap:
            left = deadline - time.monotonic()
            if left <= 0:
                raise subprocess.TimeoutExpired(proc.args, left)
            exited = proc.poll() is not None  # asked before reading: what it wrote before exiting is read below
            ready, _, _ = select.select([fd], [], [], 0 if exited else min(left, 0.05))
            if not ready:
                if exited:  # it exited, and all it wrote has been read
                    break
                continue
            block = _read_some(fd)
            if block is None:
                continue
            if not block:  # every writer closed it
                break
            output += block
    finally:
        proc.stdout.close()
    return None if len(output) > cap else bytes(output)


def _read_some(fd: int) -> bytes | None:
    try:
        return os.read(fd, 4096)
    except BlockingIOError:
        return None


def end_group(proc: subprocess.Popen[bytes]) -> None:
    """The command and everything it started (its own session): a hung one must not linger."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(1)

"""The debug log (`--log FILE` or `log = "..."`): standard `logging`, to a private file, never a secret.

No Textual here. Requests, retry decisions, workers and errors log to loggers
under "mediatui"; only this module attaches a handler, so without --log
nothing is written anywhere. The messages never hold the token by design
(requests log their method, path, status and time only); the filter below
is a second guard: it blanks the token, any `Authorization` value and URL
passwords, should one ever reach a message or a traceback.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from mediatui.localdb import make_private
from mediatui.sanitize import inert

LOGGER = "mediatui"
_AUTH = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?)(bearer\s+)?[^\s'\",}]+")
_USERINFO = re.compile(r"(?i)([a-z][a-z0-9+.-]*://)[^/\s@]*@")


class LogError(Exception):
    """The log file cannot be opened; the message names it."""


class _Redact(logging.Filter):
    """Blanks secrets in the formatted message and in the traceback text."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        text = _AUTH.sub(r"\1***", text)
        return inert(_USERINFO.sub(r"\1***@", text), multiline=True)  # a server's text stays inert in the log

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.clean(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        record.exc_info = None if record.exc_text else record.exc_info
        return True


class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if record.exc_text and record.exc_text not in text:
            text = f"{text}\n{record.exc_text}"
        return text


def start_log(path: str | Path, *, secrets: list[str] | None = None) -> logging.Handler:
    """Log everything under "mediatui" to `path` (appended; 0600 in a folder of the user's).

    `secrets` (the token) are blanked wherever they would appear.
    """
    path = Path(path).expanduser()
    try:
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        make_private(path, 0o600)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError as exc:
        raise LogError(f"cannot write the log {path}: {exc.strerror or exc}") from None
    handler.setFormatter(_Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    handler.addFilter(_Redact(list(secrets or [])))
    logger = logging.getLogger(LOGGER)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def stop_log(handler: logging.Handler) -> None:
    logging.getLogger(LOGGER).removeHandler(handler)
    handler.close()

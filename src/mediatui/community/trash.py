"""A local trash (opt-in): the file of an image, eimage or document, kept just before mediatui deletes it.

Off by default: many deletes are of content that must not be kept (abuse,
illegal material), so keeping a copy is each community's choice, made with
`trash_mb` in its profile (or MEDIATUI_TRASH_MB for one run). With it on, a
wrongly deleted file costs one key (`U` on the delete's history record, or
`mediatui restore ID`).

The file is fetched by the rules of previews (pictures/fetch.py): never with
the token, never from a private address but the API's own host, within a
deadline and the API's own caps (5 MB for images, 50 MB for documents). One
folder per community under the data folder (0700), each file 0600 with a
small JSON beside it. The oldest go first when the trash is over its size;
expired ones (trash_days, 30 by default) go at start-up and after each delete.
No Textual: the list's delete dialog and `mediatui delete` share it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from mediatui._compat import UTC
from mediatui.api import Media
from mediatui.localdb import LocalDataError, describe_failure, make_private, per_server_file, user_folder

ENV_TRASH_MB = "MEDIATUI_TRASH_MB"
DEFAULT_DAYS = 30
CAPS = {"image": 5_000_000, "eimage": 5_000_000, "doc": 50_000_000}  # the API's own limits per type
FETCH_TIMEOUT = {"image": 20.0, "eimage": 20.0, "doc": 60.0}  # seconds for the whole file
NO_FILE = frozenset({"url", "vimeo", "embed"})  # their JSON in the history is enough to make them again


@dataclass(frozen=True, slots=True)
class Kept:
    """A file in the trash: `path` holds the bytes; the rest is what was recorded beside it."""

    path: Path
    media_id: int
    name: str
    size: int
    md5: str
    kept_at: datetime


def trash_mb(profile_mb: int, environ: os._Environ[str] | dict[str, str] | None = None) -> int:
    """The trash's size in MB for this run: MEDIATUI_TRASH_MB when set (a whole number), else the profile's."""
    text = (os.environ if environ is None else environ).get(ENV_TRASH_MB, "").strip()
    return int(text) if text.isdigit() else profile_mb


def file_of(media: Media) -> str | None:
    """The URL of the file a delete would lose (an image's picture, a document), or None for media that have
    none (url, vimeo, embed) or whose type the trash does not know."""
    kind = str(media.type)
    if kind in ("image", "eimage"):
        return media.image or media.url
    if kind == "doc":
        return media.url
    return None


class Trash:
    """One community's trash: `mb` megabytes at most, each file kept `days` days."""

    def __init__(
        self, folder: Path, mb: int, days: int = DEFAULT_DAYS, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.folder, self.limit, self.days = folder, mb * 1_000_000, days
        self.clock = clock or (lambda: datetime.now(UTC))

    @classmethod
    def for_server(cls, server_url: str, mb: int, days: int = DEFAULT_DAYS, **options: Any) -> Trash:
        base = user_folder("MEDIATUI_DATA_DIR", "data") / "trash"
        return cls(per_server_file(base, "trash", server_url).with_suffix(""), mb, days, **options)

    def keep(self, media: Media, data: bytes, name: str) -> Kept:
        """Put the file in (0600, written whole before it counts), then make room. LocalDataError when it cannot."""
        assert media.id is not None
        at = self.clock()
        stem = f"{media.id}-{at.strftime('%Y%m%dT%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}"
        path = self.folder / f"{stem}{_suffix(name)}"
        kept = Kept(path, media.id, name, len(data), hashlib.md5(data).hexdigest(), at)  # noqa: S324 - as the API
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            make_private(self.folder, 0o700)
            _write_private(path, data)
            _write_private(path.with_name(path.name + ".json"), json.dumps(_meta(kept, media)).encode())
        except OSError as exc:
            with contextlib.suppress(OSError):
                path.unlink()
            raise LocalDataError(describe_failure(path, exc, "MEDIATUI_DATA_DIR")) from None
        self.prune()
        return kept

    def entries(self) -> list[Kept]:
        """Every file kept, oldest first."""
        found = []
        for meta in self.folder.glob("*.json") if self.folder.is_dir() else ():
            kept = _read_meta(meta)
            if kept is not None and kept.path.exists():
                found.append(kept)
        return sorted(found, key=lambda k: k.kept_at)

    def find(self, media_id: int) -> Kept | None:
        """The newest file kept of that media."""
        return next((k for k in reversed(self.entries()) if k.media_id == media_id), None)

    def size(self) -> int:
        return sum(k.size for k in self.entries())

    def prune(self) -> int:
        """Expired files go, then the oldest until the trash is within its size; how many went."""
        gone = 0
        expiry = self.clock() - timedelta(days=self.days)
        entries = self.entries()
        total = sum(k.size for k in entries)
        for kept in entries:
            if kept.kept_at >= expiry and total <= self.limit:
                continue
            total -= kept.size
            gone += 1
            for path in (kept.path, kept.path.with_name(kept.path.name + ".json")):
                with contextlib.suppress(OSError):
                    path.unlink()
        return gone


def _write_private(path: Path, data: bytes) -> None:
    """Written to a temporary name, 0600 from the start, then renamed: a file in the trash is whole or absent."""
    part = path.with_name(path.name + ".part")
    descriptor = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
    os.replace(part, path)


def _suffix(name: str) -> str:
    """The file name's extension, kept (the upload's type check looks at it), and nothing else of the name."""
    match = re.search(r"\.[A-Za-z0-9]{1,8}$", name)
    return match.group().lower() if match else ""


def _meta(kept: Kept, media: Media) -> dict[str, Any]:
    return {
        "media_id": kept.media_id,
        "name": kept.name,
        "size": kept.size,
        "md5": kept.md5,
        "kept_at": kept.kept_at.astimezone(UTC).isoformat(timespec="seconds"),
        "type": str(media.type),
    }


def _read_meta(meta: Path) -> Kept | None:
    try:
        data = json.loads(meta.read_text())
        return Kept(
            meta.with_name(meta.name.removesuffix(".json")),
            int(data["media_id"]),
            str(data["name"]),
            int(data["size"]),
            str(data["md5"]),
            datetime.fromisoformat(data["kept_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None

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
import stat
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
CAPS = {"image": 5 * 1024 * 1024, "eimage": 5 * 1024 * 1024, "doc": 50 * 1024 * 1024}  # the API's, as an upload's
FETCH_TIMEOUT = {"image": 20.0, "eimage": 20.0, "doc": 60.0}  # seconds for the whole file
NO_FILE = frozenset({"url", "vimeo", "embed"})  # their JSON in the history is enough to make them again


@dataclass(frozen=True, slots=True)
class Kept:
    """A file in the trash: `path` holds the bytes (under its own name, in a folder of its own: the upload that
    restores it sends that name); the rest is what was recorded beside it."""

    path: Path
    media_id: int
    name: str
    size: int
    md5: str
    kept_at: datetime
    source: str = ""  # the URL it was fetched from: a restore takes only the file of the media its delete saw

    @property
    def meta(self) -> Path:
        return self.path.parent.with_name(self.path.parent.name + ".json")

    @property
    def whole(self) -> bool:
        """The bytes are the ones kept (not changed, not cut): a restore sends nothing else."""
        try:
            return self.path.stat().st_size == self.size and _md5(self.path) == self.md5
        except OSError:
            return False


def trash_mb(profile_mb: int, environ: os._Environ[str] | dict[str, str] | None = None) -> int:
    """The trash's size in MB for this run: MEDIATUI_TRASH_MB when set, else the profile's. ValueError says what
    is wrong with a value that is not a whole number (a typo must not turn the trash off without a word)."""
    text = (os.environ if environ is None else environ).get(ENV_TRASH_MB, "").strip()
    if not text:
        return profile_mb
    if not text.isascii() or not text.isdigit() or int(text) > 1_000_000:
        raise ValueError(f"{ENV_TRASH_MB} is a whole number of MB from 0 (off) to 1000000, not {text[:20]!r}")
    return int(text)


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

    def keep(self, media: Media, data: bytes, name: str, source: str = "") -> Kept:
        """Put the file in (0600, written whole before it counts), then make room. TrashFull when it is larger
        than the whole trash (it would push out every other file, then itself); LocalDataError when it cannot."""
        assert media.id is not None
        if len(data) > self.limit:
            raise TrashFull(
                f"larger than the whole trash ({len(data) / 1e6:.1f} MB; trash_mb is {self.limit // 10**6})"
            )
        at = self.clock()
        stem = f"{media.id}-{at.strftime('%Y%m%dT%H%M%S%f')}-{time.monotonic_ns() % 1_000_000:06d}"
        entry = self.folder / stem
        path = entry / (_safe_name(name) or f"{media.id}{_suffix(name)}")
        kept = Kept(path, media.id, name, len(data), _md5_of(data), at, source)
        try:
            for folder in (self.folder.parent, self.folder, entry):
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                make_private(folder, 0o700)
            _write_private(path, data)
            _write_private(kept.meta, json.dumps(_meta(kept, media)).encode())
        except OSError as exc:
            _remove(kept)
            raise LocalDataError(describe_failure(path, exc, "MEDIATUI_DATA_DIR")) from None
        self.prune()
        return kept

    def entries(self) -> list[Kept]:
        """Every file kept and not expired, oldest first (a damaged record beside one is skipped)."""
        expiry = self._expiry()
        return [kept for kept in self._every() if kept.kept_at >= expiry]

    def _every(self) -> list[Kept]:
        found = []
        for meta in self.folder.glob("*.json") if self.folder.is_dir() else ():
            kept = _read_meta(meta)
            if kept is not None and kept.path.exists():
                found.append(kept)
        return sorted(found, key=lambda k: (k.kept_at, k.path.parent.name))

    def _expiry(self) -> datetime:
        return self.clock() - timedelta(days=self.days)

    def find(self, media_id: int, source: str | None = None) -> Kept | None:
        """The newest file kept of that media, fetched from `source` (the file its delete saw) when given."""
        return next(
            (k for k in reversed(self.entries()) if k.media_id == media_id and source in (None, k.source)), None
        )

    def size(self) -> int:
        return sum(k.size for k in self.entries())

    def prune(self) -> int:
        """Expired files go (and what a cut-off keep left: a folder without its record, a record without its
        file, once expired), then the oldest until the trash is within its size; how many went."""
        gone = 0
        expiry = self._expiry()
        every = self._every()
        for kept in every:
            if kept.kept_at < expiry:
                _remove(kept)
                gone += 1
        entries = [kept for kept in every if kept.kept_at >= expiry]
        whole = {k.path.parent for k in every}
        for leftover in self.folder.iterdir() if self.folder.is_dir() else ():
            base = leftover.with_suffix("") if leftover.suffix == ".json" else leftover
            if base not in whole and _older(leftover, expiry):
                _remove_path(leftover)
                gone += 1
        total = sum(k.size for k in entries)
        for kept in entries:
            if total <= self.limit:
                break
            total -= kept.size
            gone += 1
            _remove(kept)
        return gone


class TrashFull(ValueError):
    """The file is larger than the whole trash: not kept (the reason, for the delete's question)."""


def _md5_of(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()  # noqa: S324 - a check of the bytes, as the upload's own


def _md5(path: Path) -> str:
    return _md5_of(path.read_bytes())


def _older(path: Path, expiry: datetime) -> bool:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC) < expiry
    except OSError:
        return False


def _remove(kept: Kept) -> None:
    _remove_path(kept.path.parent)
    _remove_path(kept.meta)


def _remove_path(path: Path) -> None:
    import shutil

    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()


def _safe_name(name: str) -> str:
    """The file's own name, as the restore's upload sends it: printable, no folder in it, at most 120 long."""
    cleaned = re.sub(r"[^\w.\- ]+", "_", name).strip(" .")[:120]
    return cleaned if cleaned and cleaned not in (".", "..") else ""


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
        "file": kept.path.name,
        "size": kept.size,
        "md5": kept.md5,
        "kept_at": kept.kept_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "type": str(media.type),
        "source": kept.source,
    }


def _read_meta(meta: Path) -> Kept | None:
    """The record beside a kept file; None when it is damaged (a time with no zone, a field missing)."""
    try:
        data = json.loads(_record_bytes(meta))
        at = datetime.fromisoformat(data["kept_at"])
        if at.tzinfo is None:
            return None
        return Kept(
            meta.with_suffix("") / str(data["file"]),
            int(data["media_id"]),
            str(data["name"]),
            int(data["size"]),
            str(data["md5"]),
            at,
            str(data.get("source", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):  # nested 100,000 deep
        return None


MAX_RECORD = 64_000  # bytes: a record is a few fields


def _record_bytes(meta: Path) -> bytes:
    """A record's bytes; ValueError unless it is a regular file of at most MAX_RECORD (a FIFO, /dev/zero or a
    gigabyte in its place is never read: opened without waiting for a FIFO's writer, then looked at)."""
    fd = os.open(meta, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RECORD:
            raise ValueError(f"{meta} is not a record of the trash")
        data = os.read(fd, MAX_RECORD + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_RECORD:
        raise ValueError(f"{meta} is not a record of the trash")
    return data

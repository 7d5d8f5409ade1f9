"""Checks made before any byte is sent: the file is there, readable, of a known type, within limits."""

from __future__ import annotations

import errno
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import Literal

from mediatui.api import MediaType

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"}
DOC_EXTENSIONS = {".pdf"}
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM", b"II*\x00", b"MM\x00*")


@dataclass(frozen=True, slots=True)
class Limits:
    """The server's limits; the real server's by default, configurable for others."""

    image: int = 5 * 1024 * 1024
    document: int = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class UploadItem:
    """One file to upload, as it was when checked: size, mtime, ctime, inode and device detect later changes
    (`touch -r` and `cp -p` put an mtime back, never a ctime). 0 for one of the last three: not known."""

    path: Path
    size: int
    mtime_ns: int
    type: MediaType
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    ctime_ns: int = 0
    ino: int = 0
    dev: int = 0

    def changed(self, stat: os.stat_result) -> bool:
        """The file is no longer as it was checked (what is not known is not compared)."""
        if (stat.st_size, stat.st_mtime_ns) != (self.size, self.mtime_ns):
            return True
        then, now = (self.ctime_ns, self.ino, self.dev), (stat.st_ctime_ns, stat.st_ino, stat.st_dev)
        return any(known and known != seen for known, seen in zip(then, now, strict=True))

    @property
    def field(self) -> Literal["image", "document"]:
        """The multipart field the server expects for this type."""
        return "document" if self.type == MediaType.DOC else "image"

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def sent_name(self) -> str:
        """The name the server is told: a byte that is not UTF-8 becomes U+FFFD (the file itself is read by its
        real name; the screen shows such a byte as `\xe9`)."""
        return os.fsencode(self.path.name).decode("utf-8", "replace")


class PreflightError(Exception):
    """Some files cannot be uploaded; `problems` says which and why, one line each."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{p}: {why}" for p, why in problems))
        self.problems = problems


def check_file(path: str | Path, type: MediaType | str | None = None, limits: Limits = Limits()) -> UploadItem:
    """An UploadItem for `path`, or ValueError with a message a person can act on."""
    p = Path(path).expanduser()
    try:
        stat = p.stat()
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except OSError as exc:  # a name too long, a folder on the way that cannot be entered, a loop of links
        if exc.errno == errno.ENAMETOOLONG:
            raise ValueError("the file name is too long") from None
        raise ValueError(f"cannot be reached ({exc.strerror or exc})") from None
    if S_ISDIR(stat.st_mode):
        raise ValueError("is a directory, not a file")
    if not S_ISREG(stat.st_mode):
        raise ValueError("is not a regular file")
    if not os.access(p, os.R_OK):
        raise ValueError("cannot be read (permission denied)")
    if stat.st_size == 0:
        raise ValueError("is empty")
    try:
        with open(p, "rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror or exc})") from None
    kind = _media_type(p, head, type)
    limit = limits.document if kind == MediaType.DOC else limits.image
    if stat.st_size > limit:
        what = "documents" if kind == MediaType.DOC else "images"
        raise ValueError(f"is {_mb(stat.st_size)}, over the {_mb(limit)} limit for {what}")
    return UploadItem(
        p.resolve(), stat.st_size, stat.st_mtime_ns, kind, ctime_ns=stat.st_ctime_ns, ino=stat.st_ino, dev=stat.st_dev
    )


def check_files(
    paths: list[str | Path], type: MediaType | str | None = None, limits: Limits = Limits()
) -> list[UploadItem]:
    """Every file checked; raises PreflightError naming all the bad ones, so that nothing is sent."""
    items, problems = [], []
    for path in paths:
        try:
            items.append(check_file(path, type, limits))
        except ValueError as exc:
            problems.append((str(path), str(exc)))
    if problems:
        raise PreflightError(problems)
    return items


def _media_type(path: Path, head: bytes, asked: MediaType | str | None) -> MediaType:
    suffix = path.suffix.lower()
    is_pdf = head.startswith(b"%PDF-")
    if asked is not None:
        try:
            asked = MediaType(asked)
        except ValueError:
            raise ValueError(f"cannot upload as {asked!r}: choose image, doc or eimage") from None
        if asked not in (MediaType.IMAGE, MediaType.EIMAGE, MediaType.DOC):
            raise ValueError(f"cannot upload as {asked.value!r}: choose image, doc or eimage")
    if asked == MediaType.DOC or (asked is None and suffix in DOC_EXTENSIONS):
        if not is_pdf:
            raise ValueError("is not a PDF (documents must be PDF files)")
        return MediaType.DOC
    if asked is None and suffix not in IMAGE_EXTENSIONS:
        known = ", ".join(sorted(IMAGE_EXTENSIONS | DOC_EXTENSIONS))
        raise ValueError(f"unknown type {suffix or '(no extension)'!r}: known are {known}")
    if is_pdf:
        raise ValueError("is a PDF: upload it as a document (.pdf or --type doc)")
    if not _looks_like_image(head):
        raise ValueError("does not look like an image (its first bytes are not PNG, JPEG, GIF, WebP, BMP or TIFF)")
    return MediaType(asked) if asked else MediaType.IMAGE


def _looks_like_image(head: bytes) -> bool:
    return head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"

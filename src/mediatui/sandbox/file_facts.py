"""What the real server tells about an uploaded file (SCMediaType of @selfcommunity/types): its size, its MIME
types, and a thumbnail with its main colour, made with Pillow and served like the file.

Why the sandbox makes a real thumbnail: the client's previews use it in place of the full image, and a test
of that must fetch real, smaller bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from PIL import Image

from mediatui.sandbox.state import MEDIA_URL_PREFIX

THUMBNAIL_BOX = (240, 240)  # the largest thumbnail, in pixels (aspect kept)
PDF = "application/pdf"


def thumbnail_bytes(picture: Image.Image) -> tuple[bytes, tuple[int, int], str]:
    """A JPEG of the picture within THUMBNAIL_BOX, its size, and the picture's mean colour as #rrggbb."""
    small = picture.convert("RGB")
    small.thumbnail(THUMBNAIL_BOX)
    red, green, blue = small.resize((1, 1)).getpixel((0, 0))  # type: ignore[misc]
    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=70)
    return buf.getvalue(), small.size, f"#{red:02x}{green:02x}{blue:02x}"


@dataclass(frozen=True, slots=True)
class Thumbnail:
    """What an image file yields: its MIME type, and its thumbnail's JPEG bytes, size and main colour."""

    mime: str
    data: bytes
    size: tuple[int, int]
    color: str


def thumbnail_of(source: Path | BinaryIO) -> Thumbnail:
    with Image.open(source) as picture:
        mime = Image.MIME.get(picture.format or "", "application/octet-stream")
        data, size, color = thumbnail_bytes(picture)
    return Thumbnail(mime, data, size, color)


def image_facts(path: Path, files_dir: Path, size: int, thumbnail: Thumbnail | None = None) -> dict[str, Any]:
    """The fields of an image stored at `path` (under `files_dir`): its thumbnail is written beside it.

    `thumbnail` when it is already made: the seed's pictures are the same in every sandbox, and making their
    thumbnails costs ~45 ms, which the tests would pay for each of the hundreds of sandboxes they start.
    """
    made = thumbnail or thumbnail_of(path)
    thumb = path.with_name(f"thumb-{path.stem}.jpg")
    if not thumb.exists():
        thumb.write_bytes(made.data)
    url = MEDIA_URL_PREFIX + thumb.relative_to(files_dir).as_posix()
    width, height = made.size
    return {
        "size": size,
        "mimetype": made.mime,
        "image_mimetype": made.mime,
        "image_thumbnail": {"url": url, "width": width, "height": height, "color": made.color},
    }


def document_facts(size: int) -> dict[str, Any]:
    return {"size": size, "mimetype": PDF}

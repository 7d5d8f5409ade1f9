"""What the real server tells about an uploaded file (SCMediaType of @selfcommunity/types): its size, its MIME
types, and a thumbnail with its main colour, made with Pillow and served like the file.

Why the sandbox makes a real thumbnail: the client's previews use it in place of the full image, and a test
of that must fetch real, smaller bytes.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

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


def image_facts(path: Path, files_dir: Path, size: int) -> dict[str, Any]:
    """The fields of an image stored at `path` (under `files_dir`): its thumbnail is written beside it."""
    with Image.open(path) as picture:
        mime = Image.MIME.get(picture.format or "", "application/octet-stream")
        data, (width, height), color = thumbnail_bytes(picture)
    thumb = path.with_name(f"thumb-{path.stem}.jpg")
    if not thumb.exists():
        thumb.write_bytes(data)
    url = MEDIA_URL_PREFIX + thumb.relative_to(files_dir).as_posix()
    return {
        "size": size,
        "mimetype": mime,
        "image_mimetype": mime,
        "image_thumbnail": {"url": url, "width": width, "height": height, "color": color},
    }


def document_facts(size: int) -> dict[str, Any]:
    return {"size": size, "mimetype": PDF}

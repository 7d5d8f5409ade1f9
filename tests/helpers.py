"""Small makers of real files for upload tests."""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image


def png_bytes(size: int, seed: int = 0) -> bytes:
    """A valid PNG of about `size` bytes (noise does not compress)."""
    side = max(8, int((size / 3) ** 0.5))
    rng = random.Random(seed)
    img = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buf = io.BytesIO()
    img.save(buf, "PNG", compress_level=0)
    return buf.getvalue()


def pdf_bytes(size: int) -> bytes:
    """A PDF-looking file of exactly `size` bytes (the sandbox checks the magic)."""
    head = b"%PDF-1.4\n"
    return head + bytes(size - len(head))


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()

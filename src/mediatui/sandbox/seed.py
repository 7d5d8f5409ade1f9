"""Deterministic sample media for the sandbox: every type, unicode, and hostile titles.

The same N always gives the same media (titles, times, hashes), so that
screenshots and snapshots are stable. Files come from a small pool drawn
with Pillow, so that seeding 100,000 media takes seconds.
"""

from __future__ import annotations

import io
import random
import uuid
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from PIL import Image, ImageDraw

from mediatui._compat import UTC
from mediatui.sandbox.config import DEFAULT_USER, OTHER_USER
from mediatui.sandbox.file_facts import Thumbnail, document_facts, image_facts, thumbnail_of
from mediatui.sandbox.state import MEDIA_URL_PREFIX, Sandbox
from mediatui.sandbox.store import new_media

#: The newest seeded media is this old; tests pin their clock near it.
SEED_EPOCH = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

#: Titles a hostile or careless member could give; must show literally everywhere.
HOSTILE_TITLES = [
    "[b]bold[/b] and [i]italic[/i]",
    "[/]",
    "[@click=app.quit]quit[/]",
    "[link=http://example.invalid]click me[/link]",
    "\x1b[2J\x1b[31mred terminal\x1b[0m",
    "x" * 5000,
    "שלום עולם — right to left",
    "Launch party 🎉🚀 with emoji",
    "line one\nline two\nline three",
]

_TITLES = [
    "Sunset over the harbour",
    "Team photo, spring meetup",
    "Assemblea dei soci — verbale",
    "Community guidelines v3",
    "東京の夜景",
    "Привет из Москвы",
    "Crème brûlée recipe card",
    "Board game night",
    "Quarterly report Q3",
    "Trail map of the northern ridge",
    "Volunteers' handbook",
    "Mañana en la playa",
    "Welcome banner",
    "Podcast episode 42",
    "How to moderate kindly",
    "Release notes 2.4",
    "Café opening hours",
    "Ünïcödé résumé",
]
_HOSTS = ["www.example.org", "blog.example.com", "news.example.net", "docs.example.io"]
_COLORS = [(214, 87, 69), (66, 135, 245), (76, 175, 80), (255, 193, 7), (156, 39, 176), (0, 150, 136)]


def seed_store(sandbox: Sandbox, count: int) -> None:
    """Insert `count` media, newest first in time order; every 7th belongs to another user (a share is ours, so
    that it can be deleted here)."""
    rng = random.Random(20261128)
    pool = _write_pool(sandbox)
    epoch = sandbox.config.seed_epoch or SEED_EPOCH
    owners, rows = [], []
    for i in range(count):
        rows.append(_media(i, rng, pool, epoch))
        owners.append(OTHER_USER if i % 7 == 3 and rows[-1]["type"] != "share" else DEFAULT_USER)
        if len(rows) >= 5000:
            sandbox.store.insert_many(owners, rows)
            owners, rows = [], []
    if rows:
        sandbox.store.insert_many(owners, rows)


def _media(i: int, rng: random.Random, pool: dict[str, Any], epoch: datetime) -> dict[str, Any]:
    added = epoch - timedelta(minutes=37 * i + rng.randrange(0, 30))
    kind = "share" if i % 25 == 24 else ["image", "url", "doc", "vimeo", "image", "embed", "eimage"][i % 7]
    if i < len(HOSTILE_TITLES) * 3 and i % 3 == 1:
        title = HOSTILE_TITLES[i // 3]
    else:
        title = f"{rng.choice(_TITLES)} #{i + 1}" if i >= 8 else rng.choice(_TITLES)
    host = rng.choice(_HOSTS)
    hash_code = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    data = new_media(hash_code, added.isoformat().replace("+00:00", "Z"), kind, title=title, order=i % 5)
    if i % 4 == 0:
        data["description"] = f"Shared by the community on {added:%d %B %Y}. [dim]not markup[/dim]"
    if kind in ("image", "eimage"):
        name, (w, h), facts = pool["images"][i % len(pool["images"])]
        data.update(image=name, image_width=w, image_height=h, **facts)
    elif kind == "doc":
        name, size = pool["pdf"]
        data.update(url=name, **document_facts(size))
    elif kind == "share":  # a post shared into the feed: the live server's type, which no API call creates
        shared = {"type": "post", "id": 5000 + i}
        data.update(embed_type="sc_shared_object", embed_id=str(shared["id"]), embed={"metadata": shared},
                    share_object={**shared, "summary": f"{title} (a shared post)"})  # fmt: skip
    elif kind == "url":
        url = f"https://{host}/posts/{1000 + i}"
        data.update(
            url=url,
            oembed_type="link",
            oembed_url=url,
            oembed_available=True,
            description=data["description"] or f"A link to {host}",
        )
    elif kind == "vimeo":
        url = f"https://vimeo.com/{76979871 + i}"
        data.update(
            url=url,
            oembed_type="video",
            oembed_url=url,
            oembed_width=640,
            oembed_height=360,
            oembed_duration=60 + (i * 17) % 900,
            oembed_available=True,
            oembed_preview_ready=True,
            oembed_html=f'<iframe src="https://player.vimeo.com/video/{76979871 + i}"></iframe>',
        )
    elif kind == "embed":
        url = f"https://www.youtube.com/watch?v=dQw4w9WgX{i % 10}"
        data.update(
            embed_type="youtube",
            embed_id=f"dQw4w9WgX{i % 10}",
            oembed_type="rich",
            url=url,
            embed={"url": url, "metadata": {"provider": "YouTube", "title": title}},
        )
    return data


_SIZES = [(640, 480), (320, 200), (1024, 768), (200, 200), (480, 640), (800, 450)]


@cache
def _drawn_pool() -> tuple[tuple[tuple[bytes, Thumbnail], ...], bytes]:
    """The pool's PNG bytes (each with its thumbnail) and PDF bytes, made once a process: drawing, encoding and
    thumbnailing them costs ~100 ms, and the tests start hundreds of sandboxes."""
    pictures = []
    for n, (w, h) in enumerate(_SIZES):
        img = Image.new("RGB", (w, h), _COLORS[n])
        draw = ImageDraw.Draw(img)
        for k in range(6):
            c = _COLORS[(n + k + 1) % len(_COLORS)]
            draw.ellipse([k * w // 8, k * h // 9, k * w // 8 + w // 3, k * h // 9 + h // 3], fill=c)
        buf = io.BytesIO()
        img.save(buf, "PNG")
        pictures.append((buf.getvalue(), thumbnail_of(io.BytesIO(buf.getvalue()))))
    pdf = io.BytesIO()
    Image.new("RGB", (595, 842), (250, 250, 245)).save(pdf, "PDF")
    return tuple(pictures), pdf.getvalue()


def _write_pool(sandbox: Sandbox) -> dict[str, Any]:
    """A few real image files and one real PDF on disk, shared by all seeded media."""
    folder = sandbox.files_dir / "seed"
    folder.mkdir(parents=True, exist_ok=True)
    pictures, pdf_bytes = _drawn_pool()
    images = []
    for n, ((w, h), (data, thumbnail)) in enumerate(zip(_SIZES, pictures, strict=True)):
        path = folder / f"sample-{n}.png"
        if not path.exists():
            path.write_bytes(data)
        size = path.stat().st_size
        facts = image_facts(path, sandbox.files_dir, size, thumbnail if size == len(data) else None)
        images.append((MEDIA_URL_PREFIX + f"seed/{path.name}", (w, h), facts))
    pdf = folder / "sample.pdf"
    if not pdf.exists():
        pdf.write_bytes(pdf_bytes)
    return {"images": images, "pdf": (MEDIA_URL_PREFIX + "seed/sample.pdf", pdf.stat().st_size)}


__all__ = ["seed_store", "SEED_EPOCH", "HOSTILE_TITLES", "DEFAULT_USER", "OTHER_USER"]

"""Pictures of media for a terminal: fetched without the token, guarded, scaled off the UI thread.

Media files are public URLs, often on another host (a CDN), so they are
fetched by a client of their own that carries no Authorization header, with
the community client's TLS and proxy settings, a deadline, a size cap and
redirects followed only to http(s). Pillow decodes and scales in the worker
that fetched; the screen only receives rows of pixels, which `HalfBlock`
draws as Unicode upper half blocks (two pixels a cell) in truecolor. Rich
turns those colours into 256 or 16 where the terminal has fewer, so it works
over plain SSH and in tmux.

Where the terminal draws pictures itself (Kitty graphics, see
graphics_kitty), the same worker also writes the scaled picture as a PNG and
base64s it, so the UI thread only hands text to the terminal.
`resolve_mode` turns the profile's `preview` into what a session draws,
from the environment alone: no terminal query, nothing that delays startup.

Why not textual-image: importing it queries the terminal (Sixel and Kitty
support, cell size) before the app may start, which costs a round trip over
SSH on every start, and its half-cell renderer scales on the UI thread.

No Textual here (rich only, for the renderable).
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.color import Color
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from mediatui.pictures.fetch import PreviewError

if TYPE_CHECKING:
    from PIL.Image import Image as PilImage

    from mediatui.api import Media
    from mediatui.pictures.graphics_kitty import KittyImage

MAX_PIXELS = 40_000_000  # more pixels than this is a decompression bomb, refused before decoding
CELL_PIXELS = (10, 20)  # a guess at a cell's size in pixels: Kitty pictures get about this much detail a cell
MAX_SIDE = 2400  # pixels a Kitty picture's longer side at most (the terminal scales it to its cells)

Pixels = list[list[tuple[int, int, int]]]


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture scaled for `cols` × `rows` cells, with what the full-screen view says about it."""

    pixels: Pixels  # 2 × rows pixel rows of `cols` pixels
    width: int  # the image's own size in pixels
    height: int
    size: int  # bytes fetched
    graphic: KittyImage | None = None  # the same picture for Kitty graphics, when asked for

    @property
    def cols(self) -> int:
        return len(self.pixels[0]) if self.pixels else 0

    @property
    def rows(self) -> int:
        return len(self.pixels) // 2


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    pages: int | None
    size: int
    note: str = ""


def fit(width: int, height: int, cols: int, rows: int) -> tuple[int, int]:
    """Half-block pixels (a column each, two a row) of a `width` × `height` picture in `cols` × `rows` cells."""
    scale = min(cols / width, rows * 2 / height, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def picture(
    data: bytes,
    cols: int,
    rows: int,
    *,
    max_pixels: int = MAX_PIXELS,
    kitty: bool = False,
    budget: int | None = None,
) -> Picture:
    """Decode and scale to fit `cols` × `rows` cells (each cell two pixels high), keeping the aspect ratio.

    With `kitty`, also a PNG of more detail for the same cells, base64'd for the terminal (see graphics_kitty),
    of at most `budget` base64 characters (graphics_kitty.BUDGET): none if it fits in no size worth sending.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only: the size is known before decoding
            width, height = image.size
            if width * height > max_pixels:
                raise PreviewError(f"{width}×{height} pixels is too many to decode (at most {max_pixels:,})")
            size = fit(width, height, cols, rows)
            fine = _kitty_size(width, height, size) if kitty else size
            image.draft("RGB", fine)  # JPEG decodes straight at a smaller scale
            rgb = image.convert("RGBA" if kitty and _has_alpha(image) else "RGB")
            small = (rgb if rgb.mode == "RGB" else rgb.convert("RGB")).resize(size, Image.Resampling.BOX)
            graphic = None
            if kitty:
                fine_image = rgb if fine == rgb.size else rgb.resize(fine, Image.Resampling.LANCZOS, reducing_gap=2.0)
                graphic = _kitty(fine_image, size, budget)
    except PreviewError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError) as exc:
        if isinstance(exc, Image.DecompressionBombError):
            raise PreviewError("too many pixels to decode (a decompression bomb?)") from None
        raise PreviewError("not an image this tool can read") from None
    w, h = small.size
    raw = small.tobytes()
    pixels = [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]
    grid = [pixels[y * w : (y + 1) * w] for y in range(h)]
    if h % 2:
        grid.append([(0, 0, 0)] * w)
    return Picture(grid, width, height, len(data), graphic)


def _kitty_size(width: int, height: int, cells: tuple[int, int]) -> tuple[int, int]:
    """Pixels for a picture over `cells` (half-block pixels): CELL_PIXELS a cell, never above the file's own."""
    cols, rows = cells[0], (cells[1] + 1) // 2
    scale = min(cols * CELL_PIXELS[0] / width, rows * CELL_PIXELS[1] / height, MAX_SIDE / max(width, height), 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _has_alpha(image: PilImage) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _kitty(image: PilImage, cells: tuple[int, int], budget: int | None = None) -> KittyImage | None:
    """A fresh PNG of the decoded pixels, base64'd, within `budget`; None where half blocks would do as well.

    In 256 colours, undithered: a photo for the panel is then ~30 kB instead of ~110 kB (sent once, over
    SSH), and 256 colours at ten pixels a cell still show far more than half blocks at one. A picture whose
    PNG is over the budget (noise, fine detail) is written again with fewer pixels, each time in proportion
    to how much it was over; at half blocks' own detail or less it is not worth sending at all.
    """
    from PIL import Image

    from mediatui.pictures.graphics_kitty import BUDGET, encode

    budget = BUDGET if budget is None else budget
    size = image.size
    for _ in range(6):
        scaled = image if size == image.size else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
        png = _png(scaled)
        encoded = 4 * -(-len(png) // 3)  # base64 characters
        if encoded <= budget:
            return encode(png, cells[0], (cells[1] + 1) // 2)
        shrink = (budget / encoded) ** 0.5 * 0.9
        size = (max(1, round(size[0] * shrink)), max(1, round(size[1] * shrink)))
        if size[0] <= cells[0] and size[1] <= cells[1]:
            return None
    return None


def _png(image: PilImage) -> bytes:
    """The pixels as a 256-colour PNG and nothing else.

    Pillow copies `info` through convert, resize and quantize, and writes the file's ICC profile back into the
    PNG (a 900 KB profile made a 1.2 MB transmission): only the transparency, the picture's own, is kept.
    """
    from PIL import Image

    quantized = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    quantized.info = {key: value for key, value in quantized.info.items() if key == "transparency"}
    buf = io.BytesIO()
    quantized.save(buf, "PNG")
    return buf.getvalue()


def resolve_mode(setting: str, environ: Mapping[str, str], color_system: str | None) -> str:
    """What a session draws: "kitty", "halfblock" or "off", from the profile's `preview` and the environment.

    "auto" draws Kitty graphics only in a terminal known to show its placeholders (kitty, Ghostty) and never
    inside tmux or zellij, where it needs settings the app cannot see; "kitty" chosen by hand is trusted, even in
    tmux. Either needs 256 colours or more (the cells' colour names the picture); else half blocks.
    """
    from mediatui.pictures.graphics_kitty import in_multiplexer, is_kitty_terminal

    if setting in ("off", "halfblock"):
        return setting
    if color_system not in ("truecolor", "256"):
        return "halfblock"
    if setting == "kitty":
        return "kitty"
    return "kitty" if is_kitty_terminal(environ) and not in_multiplexer(environ) else "halfblock"


def document_facts(data: bytes) -> DocumentFacts:
    """Page count of a PDF, with pypdf (pure Python, no system binaries)."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - a dependency; said rather than crashing
        return DocumentFacts(None, len(data), "pypdf is not installed")
    try:
        return DocumentFacts(len(PdfReader(io.BytesIO(data), strict=False).pages), len(data))
    except Exception:  # noqa: BLE001 - any malformed PDF: the size is still worth showing
        return DocumentFacts(None, len(data), "not a PDF this tool can read")


class HalfBlock:
    """A rich renderable: each cell an upper half block, the top pixel as foreground, the bottom as background."""

    def __init__(self, pixels: Pixels) -> None:
        self.pixels = pixels

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for top, bottom in zip(self.pixels[0::2], self.pixels[1::2], strict=False):
            yield from _row(top, bottom)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = len(self.pixels[0]) if self.pixels else 0
        return Measurement(width, width)


def _row(top: Iterable[tuple[int, int, int]], bottom: Iterable[tuple[int, int, int]]) -> Iterable[Segment]:
    for upper, lower in zip(top, bottom, strict=False):
        yield Segment("▀", Style(color=Color.from_rgb(*upper), bgcolor=Color.from_rgb(*lower)))


class PictureCache:
    """The last pictures shown, by URL, size and kind: at most `count` of them and `max_bytes` fetched bytes."""

    def __init__(self, count: int = 32, max_bytes: int = 64_000_000) -> None:
        self.count = count
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[str, int, int, bool], Picture] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str, cols: int, rows: int, *, kitty: bool = False) -> Picture | None:
        with self._lock:
            found = self._items.get((url, cols, rows, kitty))
            if found is not None:
                self._items.move_to_end((url, cols, rows, kitty))
            return found

    def put(self, url: str, cols: int, rows: int, item: Picture) -> None:
        key = (url, cols, rows, item.graphic is not None)
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self.count or (
                len(self._items) > 1 and sum(_weight(p) for p in self._items.values()) > self.max_bytes
            ):
                self._items.popitem(last=False)


def _weight(item: Picture) -> int:
    return item.size + (item.graphic.size if item.graphic is not None else 0)


def media_source(media: Media | None) -> tuple[str, str] | None:
    """What to show for a media: ("image", URL) for pictures, ("doc", URL) for PDFs, or None."""
    if media is None:
        return None
    return source(str(media.type) if media.type else None, media.url, media.image)


THUMB_BYTES_PER_PIXEL = 0.1  # about what a JPEG thumbnail costs; a file smaller than that is fetched itself


def panel_source(media: Media | None, cols: int, rows: int, *, kitty: bool = False) -> tuple[str, str] | None:
    """What the detail panel's slot of `cols` × `rows` cells shows: the server's thumbnail where it has every
    pixel the slot would draw (over a slow link it costs a fraction of the file), else as media_source. `p`
    (full screen) always takes the file itself."""
    found = media_source(media)
    thumb = media.thumbnail if media is not None else None
    if media is None or found is None or found[0] != "image" or thumb is None:
        return found
    if media.size is not None and media.size <= thumb.width * thumb.height * THUMB_BYTES_PER_PIXEL:
        return found  # the file costs no more than its thumbnail would: the file
    width, height = (media.image_width, media.image_height)
    if not (width and height and width > 0 and height > 0):
        width, height = thumb.width * 100, thumb.height * 100  # its own shape, as large as the file could be
    shown = fit(width, height, cols, rows)
    needed = _kitty_size(width, height, shown) if kitty else shown
    return ("image", thumb.url) if thumb.width >= needed[0] - 1 and thumb.height >= needed[1] - 1 else found


def source(media_type: str | None, url: str | None, image: str | None) -> tuple[str, str] | None:
    """What to show for a media of that type, URL and image (see media_source)."""
    if media_type in ("image", "eimage"):
        found = image or url
        return ("image", found) if found else None
    if media_type == "doc":
        return ("doc", url) if url else None
    return ("image", image) if image else None  # url, vimeo, embed: their picture, when set

"""Kitty graphics by Unicode placeholders: the one form of terminal pictures that lives inside Textual.

Why placeholders: a picture drawn at the cursor (Sixel, or a plain Kitty
placement) is not text, so Textual's compositor knows nothing of it: a
redraw, a scroll or a dialog over it leaves it stale or torn. With
placeholders the picture is sent once (`transmit`, an APC command the
terminal keeps under an id) and then *named* by ordinary cells: each holds
U+10EEEE with combining diacritics for its row and column, and its
foreground colour is the image id. Textual lays those cells out, crops,
scrolls and repaints them like any text, and the terminal draws the matching
piece of the picture in each. The same cells pass through tmux.

The id: its low byte is the colour, its high byte a third diacritic. The
colour is 24-bit (0, 0, low) where the app renders truecolor, and palette
index `low` where it renders 256 colours (over SSH COLORTERM is often lost).
Only palette indices that survive Textual's ANSI-to-truecolor filter and
rich's downgrade back unchanged are used, so both forms name the same image.

Safety: the keys of every command are numbers we make, and the payload is
base64 of a PNG that Pillow wrote from decoded pixels (never the server's
bytes, and none of its metadata: no ICC profile, no text, no EXIF), so
nothing of the server can end or add a command, and a large profile does
not make a large transmission. `q=2` keeps the
terminal from answering, so no reply can arrive as key presses.

No Textual here (rich only, for the renderable).
"""

from __future__ import annotations

import base64
import functools
import random
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from rich.color import Color, ColorSystem, ColorType
from rich.color_triplet import ColorTriplet
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

PLACEHOLDER = "\U0010eeee"
CHUNK = 4096  # base64 characters a command at most (the protocol's limit)
LIMIT = 8  # images kept by the terminal at once, at most (the slot and the full-screen view use two)
# Base64 characters one transmission at most. `driver.write` queues a transmission as one item: a few MB of it
# filled the writer's queue, blocked the UI thread and held `q` until it had all gone out. A larger picture is
# sent with fewer pixels (see preview._kitty), or drawn in half blocks.
BUDGET = 384 * 1024

# The row/column diacritics of the protocol, in order: the n-th stands for the number n.
DIACRITICS: tuple[int, ...] = tuple(
    int(code, 16)
    for code in """
    0305 030D 030E 0310 0312 033D 033E 033F 0346 034A 034B 034C 0350 0351 0352 0357 035B 0363 0364 0365
    0366 0367 0368 0369 036A 036B 036C 036D 036E 036F 0483 0484 0485 0486 0487 0592 0593 0594 0595 0597
    0598 0599 059C 059D 059E 059F 05A0 05A1 05A8 05A9 05AB 05AC 05AF 05C4 0610 0611 0612 0613 0614 0615
    0616 0617 0657 0658 0659 065A 065B 065D 065E 06D6 06D7 06D8 06D9 06DA 06DB 06DC 06DF 06E0 06E1 06E2
    06E4 06E7 06E8 06EB 06EC 0730 0732 0733 0735 0736 073A 073D 073F 0740 0741 0743 0745 0747 0749 074A
    07EB 07EC 07ED 07EE 07EF 07F0 07F1 07F3 0816 0817 0818 0819 081B 081C 081D 081E 081F 0820 0821 0822
    0823 0825 0826 0827 0829 082A 082B 082C 082D 0951 0953 0954 0F82 0F83 0F86 0F87 135D 135E 135F 17DD
    193A 1A17 1A75 1A76 1A77 1A78 1A79 1A7A 1A7B 1A7C 1B6B 1B6D 1B6E 1B6F 1B70 1B71 1B72 1B73 1CD0 1CD1
    1CD2 1CDA 1CDB 1CE0 1DC0 1DC1 1DC3 1DC4 1DC5 1DC6 1DC7 1DC8 1DC9 1DCB 1DCC 1DD1 1DD2 1DD3 1DD4 1DD5
    1DD6 1DD7 1DD8 1DD9 1DDA 1DDB 1DDC 1DDD 1DDE 1DDF 1DE0 1DE1 1DE2 1DE3 1DE4 1DE5 1DE6 1DFE 20D0 20D1
    20D4 20D5 20D6 20D7 20DB 20DC 20E1 20E7 20E9 20F0 2CEF 2CF0 2CF1 2DE0 2DE1 2DE2 2DE3 2DE4 2DE5 2DE6
    2DE7 2DE8 2DE9 2DEA 2DEB 2DEC 2DED 2DEE 2DEF 2DF0 2DF1 2DF2 2DF3 2DF4 2DF5 2DF6 2DF7 2DF8 2DF9 2DFA
    2DFB 2DFC 2DFD 2DFE 2DFF A66F A67C A67D A6F0 A6F1 A8E0 A8E1 A8E2 A8E3 A8E4 A8E5 A8E6 A8E7 A8E8 A8E9
    A8EA A8EB A8EC A8ED A8EE A8EF A8F0 A8F1 AAB0 AAB2 AAB3 AAB7 AAB8 AABE AABF AAC1 FE20 FE21 FE22 FE23
    FE24 FE25 FE26 10A0F 10A38 1D185 1D186 1D187 1D188 1D189 1D1AA 1D1AB 1D1AC 1D1AD 1D242 1D243 1D244
    """.split()
)
MAX_CELLS = len(DIACRITICS)  # a placement is at most this many columns and rows


def _round_trips(index: int) -> bool:
    """Palette index `index` comes back unchanged from truecolor (Textual's filter) downgraded to 256 (rich)."""
    triplet = Color.from_ansi(index).get_truecolor()
    back = Color.from_triplet(triplet).downgrade(ColorSystem.EIGHT_BIT)
    return back.number == index


@functools.cache
def low_ids() -> tuple[int, ...]:
    """The palette indices an id's low byte may take (worked out on first use, not at import)."""
    return tuple(n for n in range(16, 256) if _round_trips(n))


@dataclass(frozen=True, slots=True)
class KittyImage:
    """A PNG ready to send: base64 in chunks of at most CHUNK characters, for a box of `cols` × `rows` cells."""

    chunks: tuple[str, ...]
    cols: int
    rows: int

    @property
    def size(self) -> int:
        return sum(len(chunk) for chunk in self.chunks)


def encode(png: bytes, cols: int, rows: int) -> KittyImage:
    """Base64 in chunks (run it off the UI thread: it is the slow part after scaling)."""
    data = base64.standard_b64encode(png).decode("ascii")
    chunks = tuple(data[i : i + CHUNK] for i in range(0, len(data), CHUNK)) or ("",)
    return KittyImage(chunks, min(cols, MAX_CELLS), min(rows, MAX_CELLS))


def _command(control: str, payload: str = "") -> str:
    return f"\x1b_G{control};{payload}\x1b\\" if payload else f"\x1b_G{control}\x1b\\"


def wrap_for_tmux(sequence: str) -> str:
    """tmux passes a sequence to the terminal outside only inside DCS tmux;…, every ESC doubled."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def transmit(image_id: int, image: KittyImage, *, tmux: bool = False) -> str:
    """Send the PNG and make a virtual placement (U=1) of `cols` × `rows` cells, named by placeholders."""
    out = []
    last = len(image.chunks) - 1
    for n, chunk in enumerate(image.chunks):
        more = 1 if n < last else 0
        if n == 0:
            control = f"a=T,U=1,q=2,f=100,i={image_id},c={image.cols},r={image.rows},m={more}"
        else:
            control = f"q=2,m={more}"
        command = _command(control, chunk)
        out.append(wrap_for_tmux(command) if tmux else command)
    return "".join(out)


def delete(image_id: int, *, tmux: bool = False) -> str:
    """Remove the image's placements and free its data in the terminal (d=I: by id, data too)."""
    command = _command(f"a=d,d=I,i={image_id},q=2")
    return wrap_for_tmux(command) if tmux else command


def _color(image_id: int, color_system: str | None) -> Color:
    """24-bit where the app renders truecolor; else a palette index, which 256 colours keep as it is."""
    low = image_id & 0xFF
    if color_system == "truecolor":
        return Color.from_rgb(0, 0, low)
    return Color.from_ansi(low)


def image_id_of(cell: str, color: Color | None, color_system: str) -> int | None:
    """Which image a placeholder cell names, read as the terminal reads it (for tests and checks)."""
    if not cell.startswith(PLACEHOLDER) or color is None:
        return None
    high = DIACRITICS.index(ord(cell[3])) if len(cell) > 3 else 0
    if color_system == "truecolor":
        r, g, b = color.get_truecolor()
        low = (r << 16) | (g << 8) | b
    else:
        if color.type == ColorType.TRUECOLOR and color.triplet is not None:
            color = Color.from_triplet(ColorTriplet(*color.triplet)).downgrade(ColorSystem.EIGHT_BIT)
        low = color.number or 0
    return (high << 24) | low


class Placeholders:
    """A rich renderable: `rows` lines of `cols` placeholder cells naming image `image_id`.

    Every cell carries its row, column and the id's high byte, and is a segment of its own, so that a crop by
    Textual (a dialog over it, a scroll) never cuts a cell from its diacritics and every piece still knows its
    place in the picture.
    """

    def __init__(self, image_id: int, cols: int, rows: int) -> None:
        self.image_id = image_id
        self.cols = min(cols, MAX_CELLS)
        self.rows = min(rows, MAX_CELLS)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        style = Style(color=_color(self.image_id, console.color_system))
        high = chr(DIACRITICS[(self.image_id >> 24) & 0xFF])
        columns = [chr(d) + high for d in DIACRITICS[: self.cols]]
        for row in range(self.rows):
            start = PLACEHOLDER + chr(DIACRITICS[row])
            for column in columns:
                yield Segment(start + column, style)
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.cols, self.cols)


class KittyImages:
    """Which images the terminal holds for us, by owner (the preview slot, the full-screen view).

    An owner shows one image at a time: showing another, or `release`, deletes the one before from the
    terminal. At most `limit` images are held; past that the oldest is deleted. Ids never repeat soon: the
    low byte walks `low_ids()` and the high byte starts at random (another program's images in the same window
    are not overwritten by chance). `write` sends text to the terminal, outside the compositor, in order.
    """

    def __init__(self, write: Callable[[str], None], *, tmux: bool = False, limit: int = LIMIT) -> None:
        self._write = write
        self.tmux = tmux
        self.limit = limit
        self.live: OrderedDict[Hashable, tuple[Hashable, int]] = OrderedDict()  # owner → (key, id)
        self._lows = low_ids()
        self._next = random.randrange(1, 255) * len(self._lows)
        self._lock = threading.Lock()
        self.closed = False

    def _new_id(self) -> int:
        n, lows = self._next, self._lows
        self._next = n + 1 if n + 1 < 255 * len(lows) else len(lows)  # high byte 1…254
        return ((n // len(lows)) << 24) | lows[n % len(lows)]

    def show(self, owner: Hashable, key: Hashable, image: KittyImage) -> int:
        """The id that names `image` for `owner`: sent now unless this owner already shows it."""
        with self._lock:
            if self.closed:  # the app is quitting: nothing more is sent (the id names nothing)
                return self._new_id()
            held = self.live.get(owner)
            if held is not None and held[0] == key:
                self.live.move_to_end(owner)
                return held[1]
            out = []
            if held is not None:
                out.append(delete(held[1], tmux=self.tmux))
                del self.live[owner]
            while len(self.live) >= self.limit:
                _, (_, oldest) = self.live.popitem(last=False)
                out.append(delete(oldest, tmux=self.tmux))
            image_id = self._new_id()
            self.live[owner] = (key, image_id)
            out.append(transmit(image_id, image, tmux=self.tmux))
        self._write("".join(out))
        return image_id

    def release(self, owner: Hashable) -> None:
        """`owner` shows no picture any more: the terminal forgets it."""
        with self._lock:
            held = self.live.pop(owner, None)
        if held is not None:
            self._write(delete(held[1], tmux=self.tmux))

    def close(self) -> None:
        """The terminal forgets every image of ours, and no more are sent (the app is quitting)."""
        with self._lock:
            self.closed = True
            held = [image_id for _, image_id in self.live.values()]
            self.live.clear()
        if held:
            self._write("".join(delete(image_id, tmux=self.tmux) for image_id in held))


def in_multiplexer(environ: Mapping[str, str]) -> bool:
    """tmux (needs `allow-passthrough on` for the transmissions) or zellij (no placeholders at all)."""
    term = environ.get("TERM", "")
    return bool(environ.get("TMUX") or environ.get("ZELLIJ") or term.startswith(("tmux", "screen")))


def in_tmux(environ: Mapping[str, str]) -> bool:
    """Commands need tmux's passthrough wrapping. TERM too: SSH'd into a box from inside tmux, $TMUX stays behind."""
    return bool(environ.get("TMUX")) or environ.get("TERM", "").startswith(("tmux", "screen"))


def is_kitty_terminal(environ: Mapping[str, str]) -> bool:
    """A terminal known to draw Unicode placeholders: kitty and Ghostty (not WezTerm: its releases lack them)."""
    term = environ.get("TERM", "")
    program = environ.get("TERM_PROGRAM", "").lower()
    return bool(
        term in ("xterm-kitty", "xterm-ghostty")
        or environ.get("KITTY_WINDOW_ID")
        or program == "ghostty"
        or environ.get("GHOSTTY_RESOURCES_DIR")
    )

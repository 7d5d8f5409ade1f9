"""Kitty graphics without Textual: what goes to the terminal, byte for byte, and what the cells hold."""

from __future__ import annotations

import base64
import io
import re

import pytest
from PIL import Image
from rich.console import Console
from rich.segment import Segment

from mediatui.pictures.graphics_kitty import (
    DIACRITICS,
    PLACEHOLDER,
    KittyImages,
    Placeholders,
    delete,
    encode,
    image_id_of,
    is_kitty_terminal,
    transmit,
    wrap_for_tmux,
)
from mediatui.pictures.preview import picture, resolve_mode

APC = re.compile(r"\x1b_G([^;\x1b]*)(?:;([^\x1b]*))?\x1b\\")


def noisy_png(width: int, height: int) -> bytes:
    """A picture that PNG cannot shrink much, so that it needs several chunks."""
    import random

    rng = random.Random(7)
    image = Image.frombytes("RGB", (width, height), bytes(rng.randrange(256) for _ in range(width * height * 3)))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def keys(control: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in control.split(","))


def test_a_transmission_is_chunked_at_4096_and_decodes_back_to_the_png():
    png = noisy_png(60, 60)
    image = encode(png, cols=20, rows=10)
    sent = transmit(0x2A0000C4, image)
    commands = APC.findall(sent)
    assert APC.sub("", sent) == ""  # nothing but APC commands
    assert len(commands) > 2
    assert all(len(payload) <= 4096 for _, payload in commands)
    assert all(len(payload) == 4096 for _, payload in commands[:-1])
    assert base64.b64decode("".join(payload for _, payload in commands)) == png
    first = keys(commands[0][0])
    assert first == {"a": "T", "U": "1", "q": "2", "f": "100", "i": str(0x2A0000C4), "c": "20", "r": "10", "m": "1"}
    assert [keys(control)["m"] for control, _ in commands] == ["1"] * (len(commands) - 1) + ["0"]
    assert all(keys(control)["q"] == "2" for control, _ in commands)  # the terminal never answers: no stray input


def test_a_small_picture_is_one_command_and_delete_frees_its_data():
    image = encode(noisy_png(4, 4), cols=2, rows=1)
    [(control, _)] = APC.findall(transmit(7, image))
    assert keys(control)["m"] == "0"
    assert delete(7) == "\x1b_Ga=d,d=I,i=7,q=2\x1b\\"


def test_tmux_passthrough_doubles_every_escape_and_wraps_each_command():
    image = encode(noisy_png(60, 60), cols=20, rows=10)
    plain = transmit(9, image)
    wrapped = transmit(9, image, tmux=True)
    pieces = unwrap_tmux(wrapped)
    assert len(pieces) == len(APC.findall(plain))
    assert "".join(pieces) == plain
    assert wrap_for_tmux("\x1b_Ga=d\x1b\\") == "\x1bPtmux;\x1b\x1b_Ga=d\x1b\x1b\\\x1b\\"
    assert delete(9, tmux=True) == wrap_for_tmux(delete(9))


def unwrap_tmux(text: str) -> list[str]:
    """What tmux hands the terminal: each DCS tmux; … ESC \\ with its doubled ESCs made single again."""
    pieces, i = [], 0
    while i < len(text):
        assert text.startswith("\x1bPtmux;", i), text[i : i + 20]
        i += len("\x1bPtmux;")
        piece = []
        while not text.startswith("\x1b\\", i):
            if text.startswith("\x1b\x1b", i):
                piece.append("\x1b")
                i += 2
            else:
                assert text[i] != "\x1b", "a lone ESC inside the passthrough would end it"
                piece.append(text[i])
                i += 1
        i += 2
        pieces.append("".join(piece))
    return pieces


def cells(renderable, color_system: str, width: int = 80) -> list[list[Segment]]:
    console = Console(width=width, file=io.StringIO(), color_system=color_system, force_terminal=True)
    lines = console.render_lines(renderable, console.options, pad=False)
    return [[s for s in line if s.text] for line in lines]


@pytest.mark.parametrize("color_system", ["truecolor", "256"])
def test_the_placeholder_grid_names_each_cell_and_the_image(color_system):
    image_id = (0x31 << 24) | 0xC4  # high byte in the third diacritic, low byte in the colour
    grid = cells(Placeholders(image_id, cols=5, rows=3), color_system)
    assert len(grid) == 3
    for row, line in enumerate(grid):
        assert len(line) == 5  # one segment a cell: a crop between cells never splits one
        for col, segment in enumerate(line):
            assert segment.text == PLACEHOLDER + chr(DIACRITICS[row]) + chr(DIACRITICS[col]) + chr(DIACRITICS[0x31])
            assert image_id_of(segment.text, segment.style.color, color_system) == image_id
    if color_system == "truecolor":
        assert grid[0][0].style.color.triplet == (0, 0, 0xC4)
    else:
        assert grid[0][0].style.color.number == 0xC4


def test_each_cell_is_one_column_wide():
    from rich.cells import cell_len

    assert len(DIACRITICS) == 297 and len(set(DIACRITICS)) == 297
    assert cell_len(PLACEHOLDER) == 1
    assert all(cell_len(chr(d)) == 0 for d in DIACRITICS)


def test_ids_are_bounded_and_images_no_longer_shown_are_deleted():
    written: list[str] = []
    images = KittyImages(written.append, limit=2)
    a = encode(noisy_png(4, 4), cols=2, rows=1)
    first = images.show("slot", ("u1", 2, 1), a)
    assert len(APC.findall("".join(written))) == 1
    assert images.show("slot", ("u1", 2, 1), a) == first  # drawn again: not sent again
    assert len(written) == 1
    second = images.show("slot", ("u2", 2, 1), a)  # the slot moved on: the old image is freed
    assert second != first
    assert delete(first) in "".join(written)
    images.show("screen", ("u3", 2, 1), a)
    images.show("other", ("u4", 2, 1), a)  # a third owner: over the limit, the oldest goes
    assert delete(second) in "".join(written)
    assert len(images.live) == 2
    images.release("screen")
    images.close()
    assert images.live == {}
    ids = {images.show("slot", (f"u{n}", 2, 1), a) for n in range(600)}
    assert len(ids) == 600  # never the same id twice in a row, even after many


def test_auto_uses_kitty_only_where_placeholders_work_and_never_in_tmux():
    kitty = {"TERM": "xterm-kitty"}
    assert is_kitty_terminal(kitty)
    assert is_kitty_terminal({"TERM": "xterm-256color", "KITTY_WINDOW_ID": "3"})
    assert is_kitty_terminal({"TERM_PROGRAM": "ghostty"})
    assert is_kitty_terminal({"GHOSTTY_RESOURCES_DIR": "/usr/share/ghostty"})
    assert not is_kitty_terminal({"TERM_PROGRAM": "WezTerm"})  # no Unicode placeholders in its releases yet
    assert not is_kitty_terminal({"TERM": "xterm-256color"})
    assert resolve_mode("auto", kitty, "truecolor") == "kitty"
    assert resolve_mode("auto", kitty, "256") == "kitty"  # over SSH COLORTERM is often lost: 8-bit ids work
    assert resolve_mode("auto", kitty | {"TMUX": "/tmp/tmux-1/default,1,0"}, "truecolor") == "halfblock"
    assert resolve_mode("auto", kitty | {"ZELLIJ": "0"}, "truecolor") == "halfblock"
    assert resolve_mode("auto", {"TERM": "xterm-256color"}, "truecolor") == "halfblock"
    assert resolve_mode("kitty", {"TMUX": "x"}, "truecolor") == "kitty"  # chosen: passthrough is the user's part
    assert resolve_mode("kitty", kitty, "standard") == "halfblock"  # 16 colours cannot name an image
    assert resolve_mode("halfblock", kitty, "truecolor") == "halfblock"
    assert resolve_mode("off", kitty, "truecolor") == "off"


def test_a_kitty_picture_is_encoded_off_the_ui_thread_with_the_half_block_grid():
    buf = io.BytesIO()
    Image.new("RGB", (400, 100), "red").save(buf, "PNG")
    item = picture(buf.getvalue(), 40, 20, kitty=True)
    assert item.graphic is not None
    assert (item.graphic.cols, item.graphic.rows) == (item.cols, item.rows) == (40, 5)
    sent = base64.b64decode("".join(item.graphic.chunks))
    with Image.open(io.BytesIO(sent)) as shown:
        assert shown.format == "PNG"
        assert shown.size == (400, 100)  # not larger than the file, and more than a pixel a cell
        assert shown.convert("RGB").getpixel((0, 0)) == (255, 0, 0)
    assert picture(buf.getvalue(), 40, 20).graphic is None


def test_a_kitty_picture_keeps_its_transparency():
    image = Image.new("RGBA", (40, 20), (255, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 20, 20))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    item = picture(buf.getvalue(), 40, 10, kitty=True)
    assert item.graphic is not None
    with Image.open(io.BytesIO(base64.b64decode("".join(item.graphic.chunks)))) as shown:
        rgba = shown.convert("RGBA")
        assert rgba.getpixel((0, 0)) == (0, 0, 255, 255) and rgba.getpixel((30, 5))[3] == 0


def test_nothing_of_the_server_reaches_a_command():
    """The payload is base64 of a PNG Pillow wrote; the keys are numbers: a hostile file cannot add a command."""
    hostile = Image.new("RGB", (8, 8), "blue")
    buf = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Title", "\x1b\\\x1b]52;c;cGF5bG9hZA==\x07\x1b_Ga=d\x1b\\")
    hostile.save(buf, "PNG", pnginfo=info)
    item = picture(buf.getvalue(), 8, 4, kitty=True)
    assert item.graphic is not None
    sent = transmit(5, item.graphic)
    assert sent.count("\x1b") == 2 * len(APC.findall(sent))  # only our own ESC _ ... ESC \
    assert b"52;c" not in base64.b64decode("".join(item.graphic.chunks))  # re-encoded: the text chunk is gone


def test_tmux_is_known_by_term_too_when_tmux_is_not_set():
    """SSH'd into a box from inside tmux: $TMUX stays behind, TERM=tmux-…/screen-… comes along."""
    from mediatui.pictures.graphics_kitty import in_tmux

    assert in_tmux({"TMUX": "/tmp/tmux-1/default,1,0", "TERM": "xterm-kitty"})
    assert in_tmux({"TERM": "tmux-256color"})
    assert in_tmux({"TERM": "screen-256color"})
    assert in_tmux({"TERM": "screen"})
    assert not in_tmux({"TERM": "xterm-kitty"})
    assert not in_tmux({})


def png_chunks(png: bytes) -> list[bytes]:
    import struct

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    kinds, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kinds.append(png[at + 4 : at + 8])
        at += 12 + length
    return kinds


def sent_png(item) -> bytes:
    assert item.graphic is not None
    return base64.b64decode("".join(item.graphic.chunks))


METADATA = {b"iCCP", b"tEXt", b"zTXt", b"iTXt", b"eXIf"}


@pytest.mark.parametrize("source", ["jpeg", "png", "png same size", "rgba png"])
def test_the_png_sent_holds_pixels_only_never_the_files_profile_or_text(source):
    """A 900 KB ICC profile in the file made a 1.2 MB transmission: the PNG sent carries no metadata at all."""
    from PIL import PngImagePlugin

    profile = bytes(random_bytes(200_000))  # Pillow carries any bytes as a profile
    mode = "RGBA" if source == "rgba png" else "RGB"
    image = Image.linear_gradient("L").resize((400, 200)).convert(mode)
    exif = Image.Exif()
    exif[0x010E] = "a description"
    buf = io.BytesIO()
    if source == "jpeg":
        image.save(buf, "JPEG", icc_profile=profile, exif=exif.tobytes())
    else:
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "plain text")
        info.add_text("Big", "z" * 5000, zip=True)
        info.add_itxt("Title", "ünïcode", lang="en", tkey="Title")
        image.save(buf, "PNG", icc_profile=profile, exif=exif.tobytes(), pnginfo=info)
    data = buf.getvalue()
    with Image.open(io.BytesIO(data)) as check:
        assert check.info.get("icc_profile") == profile  # the file does carry it
    cols, rows = (40, 10) if source == "png same size" else (20, 5)
    item = picture(data, cols, rows, kitty=True)
    chunks = png_chunks(sent_png(item))
    assert not METADATA & set(chunks), chunks
    assert item.graphic is not None and item.graphic.size < 60_000
    if source == "rgba png":
        assert b"tRNS" in chunks  # the transparency is the picture's own, and kept


def random_bytes(count: int, seed: int = 7) -> bytes:
    import random

    return random.Random(seed).randbytes(count)


def noise_jpeg(width: int, height: int) -> bytes:
    image = Image.frombytes("RGB", (width, height), random_bytes(width * height * 3))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def test_one_transmission_never_exceeds_the_budget_a_noisy_picture_gets_fewer_pixels():
    """4000×3000 of noise was 0.8 MB at zoom 1 and 5.4 MB at zoom 4 (120×40): one transmission is capped."""
    from mediatui.pictures.graphics_kitty import BUDGET, MAX_CELLS

    data = noise_jpeg(4000, 3000)
    for cols, rows in ((118, 37), (MAX_CELLS, 148)):  # zoom 1 and zoom 4 at 120×40
        item = picture(data, cols, rows, kitty=True)
        assert item.graphic is not None, (cols, rows)  # still a Kitty picture…
        assert item.graphic.size <= BUDGET  # …of fewer pixels
        with Image.open(io.BytesIO(sent_png(item))) as shown:
            assert shown.width > item.cols  # still more detail than half blocks give
        sent = transmit(1, item.graphic)
        assert len(sent) < BUDGET * 1.05  # the commands' own bytes are a few per 4 KB


def test_a_picture_that_fits_the_budget_in_no_useful_size_falls_back_to_half_blocks():
    data = noise_jpeg(800, 600)
    item = picture(data, 80, 30, kitty=True, budget=2_000)
    assert item.graphic is None  # half blocks for this one picture
    assert item.cols == 80 and item.pixels

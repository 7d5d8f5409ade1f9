"""The detail panel's lines for what the live server sends beyond the seed (SCMediaType of @selfcommunity/types):
size and MIME types, the thumbnail, the nested embed as named fields. Rendered without a pilot."""

from __future__ import annotations

from hostile_server import NASTY
from mediatui.api import Media
from mediatui.tui.widgets.media_detail import describe
from tui_helpers import NOW, plain


def lines(media: Media) -> list[str]:
    return [line.rstrip() for line in plain(describe(media, NOW, show_empty=False), width=120).splitlines()]


def test_size_mime_and_thumbnail_are_named_lines():
    media = Media.from_json(
        {
            "id": 4,
            "type": "image",
            "size": 2_400_000,
            "mimetype": "image/png",
            "image_thumbnail": {"url": "https://x.example/t.jpg", "width": 240, "height": 180, "color": "#aabbcc"},
        }
    )
    shown = lines(media)
    assert any(line.startswith("size") and "2.4 MB (2,400,000 bytes)" in line for line in shown), shown
    assert any(line.startswith("mimetype") and line.endswith("image/png") for line in shown)
    thumbnail = "240×180, #aabbcc  https://x.example/t.jpg"
    assert any(line.startswith("image_thumbnail") and thumbnail in line for line in shown)


def test_a_nested_embed_shows_its_url_and_metadata_as_fields_made_inert():
    media = Media.from_json(
        {
            "id": 5,
            "type": "share",
            "embed": {
                "id": 3,
                "embed_type": "sc_shared_object",
                "embed_id": 42,
                "url": f"https://y.example/{NASTY}",
                "metadata": {"type": "post", "id": 42, NASTY: NASTY},
            },
        }
    )
    shown = lines(media)
    text = "\n".join(shown)
    assert "\x1b" not in text and "\u202e" not in text and "\x9b" not in text
    assert any(line.startswith("embed_type") and line.endswith("sc_shared_object") for line in shown)
    assert any(line.startswith("embed url") and "https://y.example/" in line for line in shown)
    assert any(line.startswith("meta type") and line.endswith("post") for line in shown), shown
    assert any(line.startswith("meta id") and line.endswith("42") for line in shown)
    assert not any(line.startswith(("embed type", "embed id", "embed ")) and "url" not in line for line in shown)
    assert not any('{"id": 3' in line for line in shown)  # never the raw JSON line of before


def test_a_huge_or_many_lined_value_is_cut_so_a_cursor_move_stays_cheap():
    """200,000 line breaks in an embed's url, a MIME type or a description rendered 200,000 lines (18 s a
    move): each value is cut, and says so."""
    flood = "\n" * 200_000 + "end"
    media = Media.from_json(
        {
            "id": 9,
            "type": "embed",
            "description": flood,
            "mimetype": flood,
            "embed": {"id": flood, "embed_type": "x", "embed_id": "y", "url": "u" * 500_000, "metadata": {"m": flood}},
        }
    )
    shown = lines(media)
    assert len(shown) < 400 and max(len(line) for line in shown) <= 120
    assert any("more lines" in line or "…" in line for line in shown)


def test_metadata_past_the_lines_shown_is_counted_and_metadata_that_is_no_object_is_shown():
    many = Media.from_json(
        {"id": 1, "embed": {"embed_type": "x", "embed_id": "1", "metadata": {f"k{n:03d}": n for n in range(40)}}}
    )
    shown = lines(many)
    assert sum(line.startswith("meta ") for line in shown) == 12 and any(
        "28 more metadata keys" in line for line in shown
    )
    odd = Media.from_json({"id": 2, "embed": {"embed_type": "x", "embed_id": "1", "metadata": ["a", "b"]}})
    assert any(line.startswith("embed metadata") and '["a", "b"]' in line for line in lines(odd))

"""Models parse whatever a server sends: the seed's bodies, the docs' nested shape, nulls, extras."""

from datetime import datetime

from mediatui._compat import UTC
from mediatui.api import ChunkStatus, Media, MediaType, OEmbedType, Page, Thumbnail


def test_seed_example_media_parses_with_every_field(seed_examples):
    for op in ("createMediaChunkComplete", "createMediaObject", "updateMediaObject", "partialUpdateMediaObject"):
        body = seed_examples[op]["response"]
        media = Media.from_json(body)
        assert media.id is None  # the example's placeholder 0 is no id: ids go from 1 to 2^63-1 (the rest parses)
        assert media.added_at == datetime(2019, 8, 24, 14, 15, 22, tzinfo=UTC)
        assert media.type is MediaType.VIMEO
        assert media.oembed_type is OEmbedType.LINK
        assert media.choice_images == [None]
        assert media.extra == {"id": 0}  # kept as it came, and written back as it was
        assert media.to_json() == body


def test_seed_example_chunk_answer_parses(seed_examples):
    body = dict(seed_examples["createMediaChunk"]["response"], offset="204800", expires="2026-11-30T10:00:00Z")
    status = ChunkStatus.from_json(body)
    assert status.offset == 204800
    assert status.expires == datetime(2026, 11, 30, 10, tzinfo=UTC)


def test_missing_null_unknown_fields_and_nested_embed():
    media = Media.from_json(
        {
            "id": "7",
            "type": "share",
            "title": None,
            "future_field": {"x": 1},
            "embed": {"id": 3, "embed_type": "youtube", "embed_id": "abc", "url": None, "metadata": {}},
            "added_at": "not a date",
            "image_width": "640",
        }
    )
    assert media.id == 7
    assert media.type is MediaType.SHARE
    assert media.embed_type == "youtube" and media.embed_id == "abc"
    assert media.image_width == 640
    assert media.added_at is None
    out = media.to_json()
    assert out["future_field"] == {"x": 1}
    assert out["added_at"] == "not a date"  # kept as it came
    assert out["embed"]["embed_id"] == "abc"


def test_unknown_enum_values_are_kept():
    media = Media.from_json({"type": "hologram", "oembed_type": "3d"})
    assert media.type == "hologram" and media.oembed_type == "3d"


def test_enum_wire_values():
    assert [t.value for t in MediaType] == ["vimeo", "url", "embed", "image", "eimage", "doc", "share"]
    assert [t.value for t in OEmbedType] == ["link", "photo", "rich", "video"]


def test_page_from_drf_and_from_plain_list():
    page = Page.from_json({"count": 3, "next": "n", "previous": None, "results": [{"id": 1}]})
    assert (page.count, page.next, page.results[0].id) == (3, "n", 1)
    assert Page.from_json([{"id": 1}, {"id": 2}]).count == 2


def test_display_title_with_fallbacks_is_raw_for_the_sanitizer():
    assert Media(title=" a\nb  c ").display_title == "a\nb  c"  # one_line() shows the break as ⏎
    assert Media(url="https://x").display_title == "https://x"
    assert Media(id=3, type=MediaType.DOC).display_title == "doc #3"


def test_odd_values_never_raise_and_read_sensibly():
    media = Media.from_json(
        {
            "id": "12",
            "added_at": "2026-11-28T11:00:00",
            "type": ["image"],
            "title": ["a", "list"],
            "description": {"en": "x"},
            "oembed_type": 3,
            "image_width": "640.0",
        }
    )
    assert media.added_at == datetime(2026, 11, 28, 11, tzinfo=UTC)  # naive: taken as UTC
    assert media.type is MediaType.IMAGE
    assert media.title == "a, list" and media.description == '{"en": "x"}'
    assert media.oembed_type == "3" and media.image_width == 640
    assert Media.from_json({"type": "mystery"}).type == "mystery"
    assert Media.from_json({"added_at": "2026-13-45T99:00:00Z"}).added_at is None


def test_sizes_mime_types_thumbnails_and_the_nested_embed_read_as_named_fields():
    media = Media.from_json(
        {
            "id": 4,
            "type": "image",
            "size": 123456,
            "mimetype": "image/png",
            "image_mimetype": "image/png",
            "image_thumbnail": {"url": "https://x.example/t.jpg", "width": 240, "height": 180, "color": "#aabbcc"},
            "embed": {
                "id": 3,
                "embed_type": "sc_link",
                "embed_id": 9,
                "url": "https://y.example",
                "metadata": {"a": 1},
            },
        }
    )
    assert media.size == 123456 and media.mimetype == "image/png" and media.image_mimetype == "image/png"
    assert media.thumbnail == Thumbnail("https://x.example/t.jpg", 240, 180, "#aabbcc")
    assert media.embed_id == "9" and media.embed_url == "https://y.example" and media.embed_metadata == {"a": 1}
    assert media.to_json()["image_thumbnail"]["width"] == 240 and media.to_json()["size"] == 123456


def test_odd_thumbnails_and_sizes_are_invalid_fields_never_errors():
    for odd in ("x", [], {"url": 5}, {"url": "https://x/t", "width": -1, "height": 10}, {"width": 10, "height": 10}):
        assert Media.from_json({"id": 1, "image_thumbnail": odd}).thumbnail is None
    odd_colour = {"url": "https://x/t", "width": 9, "height": 9, "color": "red;"}
    assert Media.from_json({"id": 1, "image_thumbnail": odd_colour}).thumbnail == Thumbnail("https://x/t", 9, 9, None)
    assert Media.from_json({"id": 1, "size": -5}).size is None and Media.from_json({"id": 1, "size": "12"}).size == 12
    assert Media.from_json({"id": 1, "embed": "nope"}).embed_url is None


def test_flat_embed_fields_the_server_sent_are_kept_as_sent_and_a_thumbnail_needs_an_http_address():
    media = Media.from_json(
        {"id": 1, "embed_type": None, "embed_id": "", "embed": {"embed_type": "sc_shared_object", "embed_id": 42}}
    )
    assert media.embed_type is None and media.embed_id == ""  # as sent: never the nested ones written over them
    assert media.to_json()["embed_type"] is None and media.to_json()["embed_id"] == ""
    for odd in ("/media/t.jpg", "javascript:x", "ftp://h/t.jpg"):
        assert Thumbnail.from_json({"url": odd, "width": 9, "height": 9}) is None

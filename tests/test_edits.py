"""The form's logic without a pilot: checks, null vs empty, the PATCH diff, the PUT body, server errors.

The last tests send what `edits` built to a real sandbox and read its request log.
"""

from __future__ import annotations

import pytest

from conftest import OTHER_TOKEN
from mediatui.api import BadRequest, Forbidden, Media, MediaClient, NotFound, TransportError
from mediatui.media.conflicts import plan_write
from mediatui.media.edits import (
    EDITABLE,
    OEMBED_CHOICES,
    SPECS,
    TYPE_CHOICES,
    Draft,
    FormErrors,
    check,
    create_body,
    feedback,
    server_kept,
)
from mediatui.media.saving import CreateUnknown, create, save
from mediatui.sandbox import Faults

HOSTILE = "[b]x[/b] [@click=app.quit]q[/] \x1b[2J \x9b31m \u202eRTL\nline 2"


def patch_body(draft: Draft) -> dict:
    """What the form and `mediatui update` send with PATCH when the server still has what the draft started from."""
    return plan_write(draft, draft.media, put=False).body


def put_body(draft: Draft) -> dict:
    return plan_write(draft, draft.media, put=True).body


def media(**fields) -> Media:
    base = {
        "id": 7,
        "type": "image",
        "title": "Old",
        "description": None,
        "url": None,
        "image": "https://h.example/a.png",
        "oembed_type": None,
        "oembed_width": None,
        "oembed_available": False,
        "order": 2,
    }
    return Media.from_json({**base, **fields})


def test_the_choices_are_exactly_the_apis():
    assert TYPE_CHOICES == ("vimeo", "url", "embed", "image", "eimage", "doc")
    assert OEMBED_CHOICES == ("link", "photo", "rich", "video")
    assert {s.name for s in EDITABLE} >= {"title", "oembed_html", "embed_id", "image"}
    assert not {"id", "hash_code", "added_at", "order", "image_width"} & {s.name for s in EDITABLE}


def test_nothing_changed_means_an_empty_body():
    draft = Draft(media())
    assert draft.changes() == [] and patch_body(draft) == {}


def test_a_changed_title_is_the_only_field_in_the_patch():
    draft = Draft(media())
    draft.typed("title", "New")
    assert patch_body(draft) == {"title": "New"}
    assert [c.line() for c in draft.changes()] == ["title: “Old” → “New”"]


def test_null_stays_null_until_typed_into_and_clearing_sends_empty_or_null():
    draft = Draft(media(description=None, oembed_width=640))
    draft.typed("description", "")  # the widget reporting its empty value is not typing
    assert patch_body(draft) == {}
    draft.typed("description", "x")
    draft.typed("description", "")
    assert patch_body(draft) == {"description": ""}  # a string cleared: ""
    draft.typed("oembed_width", "")
    assert patch_body(draft)["oembed_width"] is None  # an integer cleared: null
    draft.set("description", None)  # the null toggle
    assert patch_body(draft) == {"oembed_width": None}


def test_checks_before_sending():
    draft = Draft(media())
    draft.typed("url", "example.com/no-scheme")
    draft.typed("oembed_url", "ftp://example.com/x")
    draft.typed("oembed_width", "12.5")
    draft.typed("oembed_duration", "-3")
    draft.set("oembed_type", "share")
    with pytest.raises(FormErrors) as info:
        patch_body(draft)
    assert set(info.value.fields) == {"url", "oembed_url", "oembed_width", "oembed_duration", "oembed_type"}
    assert "absolute http(s) URL" in info.value.fields["url"]
    assert "whole number" in info.value.fields["oembed_width"]


def test_oembed_html_and_hostile_text_are_sent_as_typed():
    draft = Draft(media())
    draft.typed("oembed_html", "<script>alert(1)</script>")
    draft.typed("title", HOSTILE)
    assert patch_body(draft) == {"oembed_html": "<script>alert(1)</script>", "title": HOSTILE}
    line = next(c.line() for c in draft.changes() if c.name == "title")
    assert "\x1b" not in line and "\x9b" not in line and "\u202e" not in line and "\n" not in line
    assert "[@click=app.quit]" in line


def test_an_unknown_server_value_is_kept_unless_changed():
    draft = Draft(media(type="share"))
    assert draft.allowed("type")[0] == "share"
    assert patch_body(draft) == {}
    assert put_body(draft)["type"] == "share"
    draft.set("type", "url")
    assert patch_body(draft) == {"type": "url"}


def test_put_sends_every_field_and_needs_an_image_uri():
    every = {s.name: None for s in EDITABLE}
    body = put_body(Draft(media(**{**every, "type": "image", "image": "https://h.example/a.png"})))
    assert set(body) == {s.name for s in EDITABLE}
    # every field the server sent: one it did not send keeps the server's own value (absent is not null)
    assert set(put_body(Draft(media()))) == {"type", "title", "description", "url", "image", "oembed_type",
                                             "oembed_width", "oembed_available"}  # fmt: skip
    draft = Draft(media(image=None))
    with pytest.raises(FormErrors) as info:
        put_body(draft)
    assert "PUT needs image" in info.value.fields["image"]


def test_command_line_words():
    draft = Draft(media())
    draft.set_from_text("oembed_available", "yes")
    draft.set_from_text("oembed_type", "video")
    draft.set_from_text("keywords", "")
    assert patch_body(draft) == {"oembed_available": True, "oembed_type": "video", "keywords": ""}
    for name, value in (("order", "1"), ("nope", "1"), ("oembed_available", "maybe")):
        with pytest.raises(FormErrors):
            draft.set_from_text(name, value)


def test_what_the_server_kept():
    answer = media(type="image", title="New")
    assert server_kept({"type": "url", "title": "New"}, answer) == ["the server kept type = “image”"]


def test_create_bodies():
    assert create_body("url", url="https://e.example/p") == {"type": "url", "url": "https://e.example/p"}
    assert create_body("embed", embed_type="youtube", embed_id="abc", title="T") == {
        "type": "embed",
        "embed_type": "youtube",
        "embed_id": "abc",
        "title": "T",
    }
    with pytest.raises(FormErrors) as info:
        create_body("vimeo", url="vimeo.com/1")
    assert set(info.value.fields) == {"url"}
    with pytest.raises(FormErrors) as info:
        create_body("embed", embed_type=" ")
    assert set(info.value.fields) == {"embed_type", "embed_id"}


def test_feedback_puts_field_errors_under_fields():
    error = BadRequest(
        400,
        "Bad thing; non: one; url: Enter a valid URL.; bogus: x",
        field_errors={"url": ["Enter a valid URL."], "bogus": ["x"]},
        non_field_errors=["non: one"],
    )
    shown = feedback(error, 7)
    assert shown.fields == {"url": ["Enter a valid URL."]}
    assert shown.top == ["Bad thing", "non: one", "bogus: x"]
    assert "Only the creator" in feedback(Forbidden(403, "no"), 7).top[0]
    assert "gone" in feedback(NotFound(404, "no"), 7).top[0]


def test_check_is_strict_about_integers():
    spec = SPECS["oembed_height"]
    assert check(spec, " 42 ") == 42
    for bad in ("1e3", "+1", "0x10", "4294967296"):
        with pytest.raises(ValueError):
            check(spec, bad)


# -- against the sandbox ---------------------------------------------------------


def test_patch_sends_only_the_title(sandbox, client):
    before = client.get(1)
    draft = Draft(before)
    draft.typed("title", "Renamed")
    after = save(client, 1, patch_body(draft))
    assert [(r.method, r.path, r.body) for r in sandbox.sandbox.request_log] == [
        ("PATCH", "/api/v2/media/1/", {"title": "Renamed"})
    ]
    assert after.title == "Renamed" and after.description == before.description


def test_put_sends_the_full_body(sandbox, client):
    draft = Draft(client.get(1))  # an image: it has an image URL
    draft.typed("keywords", "harbour")
    body = put_body(draft)
    save(client, 1, body, put=True)
    (logged,) = sandbox.sandbox.request_log
    assert logged.method == "PUT" and logged.body == body and set(body) == {s.name for s in EDITABLE}


def test_every_select_value_round_trips(sandbox, client):
    for kind in TYPE_CHOICES:
        draft = Draft(client.get(2))
        draft.set("type", kind)
        assert str(save(client, 2, patch_body(draft) or {"type": kind}).type) == kind
        assert str(client.get(2).type) == kind
    for kind in (*OEMBED_CHOICES, None):
        draft = Draft(client.get(2))
        draft.set("oembed_type", kind)
        save(client, 2, patch_body(draft) or {"oembed_type": kind})
        got = client.get(2).oembed_type
        assert (None if got is None else str(got)) == kind


def test_sandbox_field_errors_land_under_their_fields(client):
    with pytest.raises(BadRequest) as info:
        client.patch(1, {"oembed_url": "nope", "oembed_width": "x", "oembed_type": "share"})
    shown = feedback(info.value, 1)
    assert set(shown.fields) == {"oembed_url", "oembed_width", "oembed_type"} and shown.top == []


def test_403_on_someone_elses_media(sandbox):
    with MediaClient(sandbox.url, OTHER_TOKEN) as other:
        with pytest.raises(Forbidden) as info:
            save(other, 1, {"title": "mine now"})
    assert feedback(info.value, 1).top == ["Only the creator may edit this media (403): nothing was changed."]


def test_patch_is_retried_after_503(sandbox, client):
    sandbox.config.faults.fail_next = 2
    retries = []
    after = save(client, 1, {"title": "Third time"}, on_retry=lambda n, d, e: retries.append((n, e.status)))
    assert after.title == "Third time" and retries == [(1, 503), (2, 503)]


def test_a_lost_create_is_not_resent_and_is_found_in_the_list(sandbox, client):
    faults = sandbox.config.faults
    faults.only_method, faults.lose_rate = "POST", 1.0
    body = create_body("url", url="https://example.com/lost-answer")
    with pytest.raises(CreateUnknown) as info:
        create(client, body)
    assert isinstance(info.value.cause, TransportError)
    assert info.value.found is not None and info.value.found.url == "https://example.com/lost-answer"
    assert [r.method for r in sandbox.sandbox.request_log] == ["POST"]  # sent once


def test_a_lost_create_without_a_list_says_it_may_exist(make_sandbox):
    server = make_sandbox(seed=3, listing=False, faults=Faults(only_method="POST", lose_rate=1.0))
    with MediaClient(server.url, server.token) as client:
        with pytest.raises(CreateUnknown) as info:
            create(client, create_body("vimeo", url="https://vimeo.com/1"))
    assert info.value.found is None and "may have been created" in info.value.message
    assert len(server.sandbox.request_log) == 1


def test_create_every_type(client):
    for body in (
        create_body("url", url="https://example.com/a"),
        create_body("vimeo", url="https://vimeo.com/9"),
        create_body("embed", embed_type="youtube", embed_id="xyz", title="Clip"),
    ):
        made = create(client, body)
        assert str(made.type) == body["type"] and client.get(made.id).type == made.type
        assert made.url == body.get("url") and made.embed_id == body.get("embed_id")


def test_a_create_answered_503_is_not_resent(sandbox, client):
    faults = sandbox.config.faults
    faults.only_method, faults.fail_next = "POST", 1
    with pytest.raises(CreateUnknown) as info:
        create(client, create_body("url", url="https://example.com/503"))
    assert info.value.cause.status == 503 and "may have been created" in info.value.message
    # fail_next answers only the first POST 503: a resend would have reached the server and made the media
    assert [r for r in sandbox.sandbox.request_log if r.method == "POST"] == []


def test_a_throttled_create_is_sent_again_and_made_once():
    from hostile_server import HostileServer, media, send, send_json
    from mediatui.api.retry import RetryPolicy

    posts = []

    def answer(handler):
        posts.append(handler.path)
        if len(posts) == 1:  # 429: the server did not handle it, so sending it again is safe
            send(handler, 429, '{"detail": "slow down"}', headers={"Retry-After": "0"})
        else:
            send_json(handler, 201, media(7, type="url", url="https://example.com/t"))

    with HostileServer() as server, MediaClient(server.url, "t") as client:
        server.route("POST", "/api/v2/media/", answer)
        retries = []
        made = create(
            client,
            create_body("url", url="https://example.com/t"),
            on_retry=lambda n, d, e: retries.append((n, e.status)),
            policy=RetryPolicy(base=0.01, max_attempts=3),
        )
    assert made.id == 7 and len(posts) == 2 and retries == [(1, 429)]

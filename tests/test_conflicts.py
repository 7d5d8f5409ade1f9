"""The read-before-write rule without a server: what a save sends, given the media as the server has it now."""

from __future__ import annotations

import dataclasses

import pytest

from mediatui.api import Media
from mediatui.media.conflicts import Conflict, expectation_failed, plan_write, unchanged_since
from mediatui.media.edits import Draft, FormErrors

OPENED = Media(
    id=61, type="image", title="Harbour", description="At dawn", image="https://cdn.example/h.png", keywords="sea"
)


def theirs(**changes: object) -> Media:
    """The media as the server has it after another moderator's changes."""
    return dataclasses.replace(OPENED, **changes)


def draft(**typed: str | None) -> Draft:
    d = Draft(OPENED)
    for name, value in typed.items():
        d.set(name, value)
    return d


def test_nothing_changed_on_the_server_sends_what_the_form_changed():
    plan = plan_write(draft(title="Harbour at dawn"), OPENED, put=False)
    assert plan.body == {"title": "Harbour at dawn"} and plan.ready
    assert [c.line() for c in plan.changes] == ["title: “Harbour” → “Harbour at dawn”"]


def test_a_field_only_the_server_changed_is_never_sent_back_by_patch():
    plan = plan_write(draft(title="Harbour at dawn"), theirs(description="At dusk"), put=False)
    assert plan.body == {"title": "Harbour at dawn"} and plan.kept == ["description"]


def test_put_takes_the_servers_new_value_for_fields_the_form_did_not_touch():
    plan = plan_write(draft(title="Harbour at dawn"), theirs(description="At dusk"), put=True)
    assert plan.body["description"] == "At dusk" and plan.body["title"] == "Harbour at dawn"
    assert plan.body["keywords"] == "sea" and plan.body["image"] == "https://cdn.example/h.png"


def test_before_is_the_servers_value_now():
    plan = plan_write(
        draft(keywords="sea, boats"), theirs(keywords="sea, port"), put=False, chosen={"keywords": "mine"}
    )
    assert [c.line() for c in plan.changes] == ["keywords: “sea, port” → “sea, boats”"]


def test_a_field_both_changed_is_a_conflict_and_nothing_is_ready():
    plan = plan_write(draft(title="Mine", keywords="boats"), theirs(title="Theirs"), put=False)
    assert plan.conflicts == [Conflict("title", "Harbour", "Theirs", "Mine")]
    assert not plan.ready and plan.body == {"keywords": "boats"}  # the rest waits for the choice


def test_keep_theirs_leaves_the_field_and_use_mine_sends_it():
    mine, server = draft(title="Mine", keywords="boats"), theirs(title="Theirs")
    kept = plan_write(mine, server, put=False, chosen={"title": "theirs"})
    assert kept.ready and kept.body == {"keywords": "boats"}
    used = plan_write(mine, server, put=False, chosen={"title": "mine"})
    assert used.ready and used.body == {"title": "Mine", "keywords": "boats"}
    assert plan_write(mine, server, put=True, chosen={"title": "theirs"}).body["title"] == "Theirs"


def test_both_typed_the_same_is_no_conflict_and_nothing_to_send():
    plan = plan_write(draft(title="Same"), theirs(title="Same"), put=False)
    assert not plan.conflicts and plan.body == {} and not plan.ready


def test_put_still_needs_an_image():
    with pytest.raises(FormErrors) as caught:
        plan_write(draft(title="x"), theirs(image=None), put=True)
    assert "image" in caught.value.fields


def test_two_reads_say_which_fields_moved_in_between():
    assert unchanged_since(OPENED, OPENED) == []
    assert unchanged_since(OPENED, theirs(description="At dusk", keywords=None)) == ["description", "keywords"]


def test_if_unchanged_reads_its_value_as_set_does():
    assert expectation_failed(OPENED, "title", "Harbour") is None
    assert expectation_failed(OPENED, "title", "Port") == "title is “Harbour” on the server, not “Port”"
    assert expectation_failed(theirs(url=None), "url", "") is None  # "" is null for a URL, as with --set
    with pytest.raises(FormErrors):
        expectation_failed(OPENED, "order", "3")  # read-only: not a field one can expect

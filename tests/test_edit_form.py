"""The edit form through Textual's pilot against a real sandbox: what it sends, what it shows, what it refuses.

Every send is checked in the sandbox's request log (what the server received).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, Switch

from mediatui.media.edits import EDITABLE, OEMBED_CHOICES, TYPE_CHOICES
from mediatui.sanitize import is_inert
from mediatui.tui.screens import confirm_modal
from mediatui.tui.screens.confirm_modal import GuardedConfirm
from mediatui.tui.screens.edit_form_screen import EditFormScreen
from tui_helpers import burst, make_app, plain, settle, wait_for

HOSTILE = "[b]x[/b] [@click=app.quit]q[/] \x1b[2J \x9b31m \u202eRTL\nline 2"
TEXT_FIELDS = ("title", "description", "keywords", "entities", "oembed_html", "embed_type", "embed_id")


@pytest.fixture
def quick_guard(monkeypatch):
    """The guard is tested on its own below; elsewhere it would only slow the tests down."""
    monkeypatch.setattr(confirm_modal, "GUARD", 0.0)


async def open_form(pilot, media_id: int) -> EditFormScreen:
    """Move the list's cursor to the media and press e."""
    app = pilot.app
    await settle(pilot)
    table = app.screen.query_one("#table")
    table.move_cursor(row=[row.key.value for row in table.ordered_rows].index(str(media_id)))
    await settle(pilot)
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, EditFormScreen), what="the edit form")
    await settle(pilot)
    return app.screen


async def retype(pilot, field: str, text: str) -> None:
    pilot.app.screen.query_one(f"#f-{field}").focus()
    await pilot.press("home", "ctrl+k", *text)


async def confirm(pilot, key: str = "ctrl+s") -> GuardedConfirm:
    """Ask, and wait until a y would count."""
    await pilot.press(key)
    await wait_for(
        pilot, lambda: isinstance(pilot.app.screen, GuardedConfirm) and pilot.app.screen.armed, what="the confirmation"
    )
    return pilot.app.screen


def body_text(screen) -> str:
    return plain(screen.query_one("#confirm-body").render())


def problems(screen) -> str:
    return str(screen.query_one("#form-problems").render())


def error_under(screen, field: str) -> str:
    """The error shown under a field ("" when none: the error line is mounted with the first error)."""
    widget = next(iter(screen.query(f"#err-{field}")), None)
    return str(widget.render()) if widget is not None and widget.display else ""


@pytest.mark.smoke
async def test_edit_the_title_patches_only_the_title(sandbox, quick_guard):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        assert app.focused.id == "f-title"
        await retype(pilot, "title", "Renamed")
        question = await confirm(pilot)
        assert "Save 1 change to #1 with PATCH?" in str(question.query_one("#question").render())
        assert body_text(question).strip() == "title: “Community guidelines v3” → “Renamed”"
        await pilot.press("y")
        await settle(pilot)
        assert not form.is_attached  # back on the list
        table = app.screen.query_one("#table")
        assert table.rows_media[1].title == "Renamed"
        assert str(table.get_cell("1", "title")) == "Renamed"
        assert "Renamed" in plain(app.screen.query_one("#detail-body").content)
    assert [(r.method, r.body) for r in sandbox.sandbox.request_log] == [("PATCH", {"title": "Renamed"})]


async def test_nothing_changed_sends_nothing(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and "Nothing changed" in str(form.query_one("#form-status").render())
        await pilot.press("escape")  # nothing to discard: no question
        await settle(pilot)
        assert not form.is_attached
    assert not sandbox.sandbox.request_log


async def test_a_burst_cannot_answer_the_confirmation(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, 1)
        await retype(pilot, "title", "Burst")
        burst(app, "\x13y")  # ctrl+s and y in one read, before the question is drawn
        await settle(pilot)
        assert isinstance(app.screen, GuardedConfirm) and not sandbox.sandbox.request_log
        shown = body_text(app.screen).strip()
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="the guard")
        await pilot.press("y")
        await settle(pilot)
        status = str(app.screen.query_one("#form-status").render()) if isinstance(app.screen, EditFormScreen) else ""
    # The y of the burst never answers. It may have waited for the question (and been ignored as too soon),
    # or reached the title before ctrl+s was handled (then the question shows it), or after (then the form
    # no longer matches the question and nothing is sent without asking again).
    sent = [r.body for r in sandbox.sandbox.request_log]
    if sent:
        assert len(sent) == 1 and shown.endswith(f"→ “{sent[0]['title']}”")
    else:
        assert "changed while the question was open" in status


async def test_a_y_before_the_guard_time_is_ignored(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, 1)
        await retype(pilot, "title", "Soon")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.drawn_at is not None)
        await pilot.press("y")  # drawn, but less than GUARD seconds ago
        await pilot.pause()
        assert isinstance(app.screen, GuardedConfirm) and "too soon" in str(app.screen.query_one("#hint").render())
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="the guard")
        await pilot.press("y")
        await settle(pilot)
    assert [r.body for r in sandbox.sandbox.request_log] == [{"title": "Soon"}]


async def test_put_sends_the_full_body(sandbox, quick_guard):
    """With the switch and ctrl+s (f5 is test_edits_kept's; PUT refused without an image: the palette's test below
    and test_edits.py's)."""
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)  # an image
        await retype(pilot, "keywords", "k")
        form.query_one("#f-put", Switch).value = True
        question = await confirm(pilot)
        assert "with PUT" in str(question.query_one("#question").render())
        await pilot.press("y")
        await settle(pilot)
    (logged,) = sandbox.sandbox.request_log
    assert logged.method == "PUT" and set(logged.body) == {s.name for s in EDITABLE}
    assert logged.body["keywords"] == "k" and logged.body["image"].startswith("http://")


def offered(form, field: str) -> list[str]:
    """The choices the dropdown lists, as the person reads them (the overlay must be open)."""
    overlay = form.query_one(f"#f-{field} SelectOverlay")
    return [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]


async def test_the_dropdowns_offer_the_apis_choices_and_a_picked_one_round_trips(sandbox, client, quick_guard):
    """Every value's round trip is test_edits.py's (below the pilot); here what the dropdowns show and send."""
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 3)
        before = client.get(3)
        for field, choices in (("type", TYPE_CHOICES), ("oembed_type", OEMBED_CHOICES)):
            form.query_one(f"#f-{field}", Select).focus()
            await pilot.press("enter")
            await wait_for(pilot, lambda f=field: form.query_one(f"#f-{f}", Select).expanded, what="the dropdown")
            shown = offered(form, field)
            assert [c for c in shown if c != "null"] == list(choices), shown
            assert ("null" in shown) == (field == "oembed_type")  # type is never null; oembed_type may be
            current = getattr(before, field)
            wanted = next(c for c in choices if c != (None if current is None else str(current)))
            steps = shown.index(wanted) - form.query_one(f"#f-{field} SelectOverlay").highlighted
            await pilot.press(*["down" if steps > 0 else "up"] * abs(steps))
            await pilot.press("enter")
            await wait_for(pilot, lambda f=field, w=wanted: form.query_one(f"#f-{f}", Select).value == w)
        await confirm(pilot)
        await pilot.press("y")
        await settle(pilot)
        after = client.get(3)
        picked = {field: str(getattr(after, field)) for field in ("type", "oembed_type")}
        assert picked["type"] != str(before.type) and picked["oembed_type"] != str(before.oembed_type)
        form = await open_form(pilot, 3)  # and the form shows them back
        assert {field: form.query_one(f"#f-{field}", Select).value for field in picked} == picked
        form.query_one("#f-oembed_type", Select).clear()  # null on purpose
        await pilot.pause()
        await confirm(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert client.get(3).oembed_type is None


async def test_an_unknown_server_value_is_shown_and_kept(sandbox, client, quick_guard):
    store = sandbox.sandbox.store
    owner, data = store.get_media(1)
    store.update_media(1, owner, {**data, "type": "story"})  # a type of a newer server, unknown to the client
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        current = form.query_one("#f-type").query_one("SelectCurrent #label")
        assert str(current.render()) == "story (from the server)"
        await retype(pilot, "title", "Still a story")
        await confirm(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert sandbox.sandbox.request_log[-1].body == {"title": "Still a story"}
    assert str(client.get(1).type) == "story"


async def test_errors_land_under_their_fields_and_keep_what_was_typed(sandbox, quick_guard):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        await retype(pilot, "oembed_width", "12.5")
        await retype(pilot, "oembed_url", "ftp://x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "whole number" in error_under(form, "oembed_width")
        assert "http(s)" in error_under(form, "oembed_url") and not sandbox.sandbox.request_log
        await retype(pilot, "oembed_width", "12")
        form.query_one("#f-oembed_url", Input).value = (
            "https://example.com/" + "x" * 2100
        )  # pasted; over the server's limit
        await confirm(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is form
        assert error_under(form, "oembed_url") == "Enter a valid URL." and error_under(form, "oembed_width") == ""
        assert form.query_one("#f-oembed_width", Input).value == "12"
        assert "Not saved" in str(form.query_one("#form-status").render())


async def test_403_on_someone_elses_media_keeps_the_form(sandbox, quick_guard):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 4)  # seeded for someone else
        await retype(pilot, "title", "Mine now")
        await confirm(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is form
        assert "Only the creator may edit this media (403)" in problems(form)
        assert form.query_one("#f-title", Input).value == "Mine now"


async def test_404_says_the_media_is_gone(sandbox, client, quick_guard):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        client.delete(1)
        await retype(pilot, "title", "Too late")
        await pilot.press("ctrl+s")  # the read just before the write finds it gone: nothing is asked
        await wait_for(pilot, lambda: "The media is gone" in problems(form), what="the 404")
        assert app.screen is form and form.query_one("#f-title", Input).value == "Too late"


async def test_patch_is_retried_and_says_so(sandbox, quick_guard):
    sandbox.config.faults.only_method, sandbox.config.faults.fail_next = "PATCH", 1
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(pilot, 1)
        await retype(pilot, "title", "Retried")
        await confirm(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.query_one("#table").rows_media[1].title == "Retried"
    assert [r.body for r in sandbox.sandbox.request_log] == [{"title": "Retried"}]  # the 503 never reached it


async def test_null_toggle_and_clearing(sandbox, quick_guard):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        assert str(form.query_one("#null-keywords").render()) == "null"
        form.query_one("#f-title").focus()
        await pilot.press("ctrl+n")  # title: null on purpose
        await retype(pilot, "keywords", "")  # null and untouched: stays null
        await retype(pilot, "entities", "e")
        await pilot.press("backspace")  # typed into, then cleared: ""
        await confirm(pilot)
        assert body_text(app.screen).splitlines() == ["title: “Community guidelines v3” → null", "entities: null → “”"]
        await pilot.press("y")
        await settle(pilot)
    assert sandbox.sandbox.request_log[-1].body == {"title": None, "entities": ""}


async def test_hostile_values_are_literal_in_every_field_and_the_confirmation(sandbox, client, quick_guard):
    client.patch(1, {name: HOSTILE for name in TEXT_FIELDS})
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot, 1)
        for name in TEXT_FIELDS:
            widget = form.query_one(f"#f-{name}")
            assert getattr(widget, "value", getattr(widget, "text", None)) == HOSTILE  # held raw, sent raw
            drawn = "".join("".join(s.text for s in widget.render_line(y)) for y in range(widget.size.height))
            assert is_inert(drawn), (name, drawn)
            assert "[@click=app.quit]q[/]" in drawn and "␛[2J" in drawn
        await retype(pilot, "title", "[@click=app.quit]new[/] \x1b")
        question = await confirm(pilot)
        text = body_text(question)
        assert (
            all(is_inert(line) for line in text.splitlines())
            and "[b]x[/b] [@click=app.quit]q[/] ␛[2J" in text
            and "→ “[@click=app.quit]new[/]" in text
        )
        await pilot.click("#confirm-body")
        await pilot.press("y")
        await settle(pilot)
        assert app.is_running
    assert sandbox.sandbox.request_log[-1].body == {"title": "[@click=app.quit]new[/] "}


async def test_discard_asks_and_is_guarded(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        await retype(pilot, "title", "Draft")
        await retype(pilot, "keywords", "k")
        await pilot.press("escape", "y")  # a y right behind the escape: too soon to count
        await settle(pilot)
        assert isinstance(app.screen, GuardedConfirm)
        assert str(app.screen.query_one("#question").render()) == "Discard the changes to #1 (title, keywords)?"
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is form and form.query_one("#f-title", Input).value == "Draft"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, GuardedConfirm) and app.screen.armed, what="the guard")
        await pilot.press("y")
        await settle(pilot)
        assert not form.is_attached
    assert not sandbox.sandbox.request_log


@pytest.mark.parametrize("key", ["tab", "shift+tab"])
async def test_every_field_is_reachable_with_tab_at_80x24(sandbox, key):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, 1)
        wanted = {f"f-{s.name}" for s in EDITABLE} | {"f-put", "facts-image", "facts-read-only"}
        scroll = form.query_one("#form-fields")
        seen = set()
        for _ in range(len(wanted) + 2):
            await pilot.press(key)
            focused = app.focused
            seen.add(focused.id)
            assert (
                scroll.region.contains_region(focused.region.intersection(scroll.region))
                and focused.region.intersection(scroll.region).height > 0
            ), focused.id
        assert wanted <= seen, (key, wanted - seen)


async def test_palette_has_edit_new_and_save_with_put(sandbox, quick_guard):
    app = make_app(sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Edit" in titles and "New media (URL, Vimeo, embed)" in titles
        form = await open_form(pilot, 2)  # a url media: PUT refuses it before sending
        command = next(c for c in app.get_system_commands(form) if c.title == "Save with PUT")
        await retype(pilot, "keywords", "k")
        result = command.callback()
        if hasattr(result, "__await__"):
            await result
        await settle(pilot)
        assert "PUT needs image" in error_under(form, "image")
    assert not sandbox.sandbox.request_log

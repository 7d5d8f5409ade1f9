"""Rules the CLI and the TUI share, each defined once below both: deleting, what changes media, how retries read.

Real loopback HTTP against the sandbox, as the screens and the verbs use them.
"""

from __future__ import annotations

from mediatui import cli
from mediatui.api import ServerError
from mediatui.api.credentials import Secret
from mediatui.api.retry import retry_said
from mediatui.community import Change, Community, refusal
from mediatui.media.deleting import delete_one
from mediatui.settings.config import Settings


def test_deleting_says_deleted_then_already_gone_and_whose_media_it_is(sandbox, client):
    first, again = delete_one(client.delete, 1), delete_one(client.delete, 1)
    assert (first.removed, first.message) == (True, "deleted")
    assert (again.removed, again.message) == (True, "already gone")  # a lost answer asked again: gone all the same
    theirs = delete_one(client.delete, 4)  # media 4 of the seed belongs to someone else
    assert (theirs.removed, theirs.message) == (False, "not deleted: only the media's creator may delete it (403)")


def test_a_failed_deletion_is_worded_for_where_it_is_shown():
    def busy(media_id: int) -> None:
        raise ServerError(503, "\x1b]0;owned\x07busy")

    assert delete_one(busy, 7).message == "not deleted: 503 ␛]0;owned␇busy"  # the status first, controls visible
    assert delete_one(busy, 7, describe=lambda error: "the server is busy").message == "not deleted: the server is busy"

    def bug(media_id: int) -> None:
        raise KeyError("x")

    outcome = delete_one(bug, 7)
    assert not outcome.removed and outcome.message.startswith("not deleted: unexpected error")


def test_the_cli_says_what_the_list_says_of_someone_elses_media(sandbox, capsys, monkeypatch):
    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    assert cli.main(["--url", sandbox.url, "delete", "4"]) == 1
    assert "4: not deleted: only the media's creator may delete it (403)" in capsys.readouterr().err


def test_a_read_only_profile_refuses_every_change_and_only_changes():
    read_only = Settings("https://c.example", Secret("t"), read_only=True)
    for change in Change:
        said = refusal(read_only, change)
        assert said is not None and change.value in said and "nothing was sent" in said
        assert refusal(Settings("https://c.example", Secret("t")), change) is None
    assert Community(read_only).refusal(Change.UPLOAD) == refusal(read_only, Change.UPLOAD)
    assert [Change.of(verb) for verb in ("delete", "create", "update", "upload", "get", "list", None)] == [
        Change.DELETE,
        Change.CREATE,
        Change.UPDATE,
        Change.UPLOAD,
        None,
        None,
        None,
    ]


def test_a_retry_reads_the_same_everywhere():
    assert retry_said("503 busy", 2, 1.25) == "503 busy; retrying in 1.2 s (retry 2)"


def test_the_cli_tells_a_retry_in_the_shared_words(sandbox, capsys, monkeypatch):
    import re

    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    faults = sandbox.config.faults
    faults.only_method, faults.fail_next = "PATCH", 1
    assert cli.main(["--url", sandbox.url, "update", "1", "--set", "title=Again"]) == 0
    said = capsys.readouterr().err
    assert re.search(r"mediatui: 503 [^\n]*; retrying in \d+\.\d s \(retry 1\)", said), said


#: The list's keys that change nothing: each of its keys is here or in CHANGES (browse_screen.py), so that a new
#: key which changes media cannot slip past a read-only profile unnoticed.
LIST_READS = {
    "help",
    "app.quit",
    "search",
    "type_filter",
    "open_ids",
    "mark",
    "mine",
    "unpin",
    "copy_url",
    "copy_json",
    "copy_id",
    "links",
    "history",
    "refresh",
    "empty_fields",
    "preview",
    "toggle_previews",
    "app.switch_community",
    "cursor('down')",
    "cursor('up')",
    "cursor('top')",
    "cursor('bottom')",
    "back",
}


def test_every_key_of_the_list_either_changes_media_or_is_known_to_read():
    from textual.binding import Binding

    from mediatui.tui.screens.browse_screen import CHANGES, BrowseScreen

    actions = {b.action for b in BrowseScreen.BINDINGS if isinstance(b, Binding)}
    assert actions - set(CHANGES) == LIST_READS, "a new key of the list: does it change media? (CHANGES)"

"""The list screen's Textual-free parts, without a pilot: its state, pinned ids, the guard time, the upload summary.

The screens draw what these decide; a wrong rule here loses rows, answers a
question too early or tells the wrong story on the status line.
"""

from __future__ import annotations

from pathlib import Path

from mediatui.api import Media, MediaType
from mediatui.media.list_state import ListState
from mediatui.media.listing import Chunk, Filter
from mediatui.media.paging import Pinned
from mediatui.pictures.preview_state import Previews
from mediatui.tui.guard_time import GuardTime
from mediatui.upload.board import Board, ended_note, ended_well, summary
from mediatui.upload.events import Completed, CompletionUnknown, Failed, Progress, Queued, Started
from mediatui.upload.preflight import UploadItem


def media(*ids: int) -> list[Media]:
    return [Media(id=i, title=f"m{i}") for i in ids]


def chunk(offset: int, count: int, ids: range | list[int], gone: frozenset[int] = frozenset()) -> Chunk:
    return Chunk(offset, count, media(*ids), gone)


# -- ListState ------------------------------------------------------------------------------------------------


def test_a_page_adds_its_rows_and_loading_ends():
    state = ListState(page_size=10, prefetch=3)
    request = state.paging.restart()
    state.loading()
    arrival = state.arrived(request, chunk(0, 25, range(1, 11), gone=frozenset({4})))
    assert [m.id for m in arrival.media] == list(range(1, 11)) and arrival.gone == {4}
    assert not arrival.stale and not state.fetching and state.paging.total == 25


def test_an_answer_for_an_older_filter_adds_nothing_and_asks_nothing():
    state = ListState(page_size=10, prefetch=3)
    old = state.paging.restart()
    state.filter(Filter("image", None))
    state.paging.restart()  # the new filter's first page is on its way
    arrival = state.arrived(old, chunk(0, 25, range(1, 11)))
    assert arrival.stale and arrival.media == [] and arrival.again is None


def test_a_page_whose_rows_moved_under_a_deletion_is_asked_again_from_the_new_offset():
    state = ListState(page_size=10, prefetch=3)
    state.arrived(state.paging.restart(), chunk(0, 25, range(1, 11)))
    second = state.next_page(9)
    assert second is not None and second.offset == 10
    state.deleted(5)  # confirmed while the second page was on its way: its offset is ambiguous
    arrival = state.arrived(second, chunk(10, 24, range(11, 21)))
    assert arrival.stale and arrival.again is not None and arrival.again.offset == 9


def test_pinned_rows_do_not_count_as_rows_of_the_pages():
    state = ListState(page_size=10, prefetch=3)
    state.arrived(state.paging.restart(), chunk(0, 25, range(1, 11)))
    assert state.next_page(8, pinned_shown=2) is None  # row 8 of the table is row 6 of the pages: not near the end
    assert state.next_page(9, pinned_shown=2) is not None


def test_a_failed_page_notes_which_and_toasts_once_until_something_succeeds():
    state = ListState(page_size=10, prefetch=3)
    state.arrived(state.paging.restart(), chunk(0, 25, range(1, 11)))
    request = state.next_page(9)
    assert request is not None
    assert state.page_failed(request, "503 busy", rows_shown=True)
    assert state.note == "page 2 failed: 503 busy · r retries" and not state.fetching
    assert state.toast_once("503 busy") and not state.toast_once("503 busy")
    again = state.next_page(9, retry=True)
    assert again is not None
    state.arrived(again, chunk(10, 25, range(11, 21)))
    assert state.toast_once("503 busy")  # something succeeded since: the same error is told again


def test_a_failure_of_an_older_request_changes_nothing():
    state = ListState(page_size=10, prefetch=3)
    old = state.paging.restart()
    state.paging.restart()
    assert not state.page_failed(old, "timeout", rows_shown=False)


def test_deleting_drops_the_mark_and_moves_the_offsets():
    state = ListState(page_size=10, prefetch=3)
    state.arrived(state.paging.restart(), chunk(0, 25, range(1, 11)))
    state.marks.toggle(media(3)[0])
    state.deleted(3)
    assert 3 not in state.marks and 3 not in state.paging.ids and state.paging.shifts == 1


def test_a_complete_unfiltered_listing_drops_marks_of_media_no_longer_listed():
    state = ListState(page_size=10, prefetch=3)
    state.marks.toggle(media(99)[0])  # marked, then deleted by someone else
    state.arrived(state.paging.restart(), chunk(0, 3, [1, 2, 3]))
    assert 99 not in state.marks


def test_connecting_again_clears_the_problem_and_says_so():
    state = ListState(page_size=10, prefetch=3)
    state.failed("Cannot reach the community")
    state.connecting(again=True)
    assert state.problem is None and state.note == "reconnecting…" and state.fetching


# -- pinned ids -----------------------------------------------------------------------------------------------


def test_pinned_ids_come_first_in_the_order_asked_and_earlier_pins_follow():
    pinned = Pinned()
    pinned.pin([30, 31])
    pinned.pin([7, 30])
    assert list(pinned) == [7, 30, 31]
    assert pinned.order([1, 2, 31, 3, 7]) == [7, 31, 1, 2, 3]
    assert pinned.shown({1, 2, 7}) == 1


def test_a_reload_keeps_only_pinned_rows_still_held():
    pinned = Pinned()
    pinned.pin([5, 6, 7])
    pinned.discard(6)
    assert pinned.keep({5, 9}) == [5] and 7 not in pinned
    assert pinned.keep(()) == [] and list(pinned) == []


# -- the guard time -------------------------------------------------------------------------------------------


def test_a_question_takes_its_answer_only_once_drawn_and_the_guard_time_passed():
    now = [100.0]
    guard = GuardTime(0.3, clock=lambda: now[0])
    assert not guard.armed  # not drawn yet: a `y` of the same burst as the key that asked
    now[0] += 5
    assert not guard.armed  # however long it waited to be drawn
    guard.drawn()
    now[0] += 0.29
    assert not guard.armed
    now[0] += 0.02
    assert guard.armed


# -- previews -------------------------------------------------------------------------------------------------


def test_p_turns_previews_off_and_back_on_as_the_profile_says():
    previews = Previews("halfblock", fetcher=lambda: None)  # type: ignore[arg-type, return-value]
    assert previews.toggle("halfblock") is False and previews.mode == "off"
    assert previews.toggle("halfblock") is True and previews.mode == "halfblock"
    off = Previews("off", fetcher=lambda: None)  # type: ignore[arg-type, return-value]
    assert off.toggle("off") is True and off.mode == "auto"  # the profile said off: on means auto


# -- the upload summary ---------------------------------------------------------------------------------------


def _board(*outcomes: str) -> Board:
    board = Board(max_attempts=3)
    for number, outcome in enumerate(outcomes):
        item = UploadItem(Path(f"/uploads/f{number}.png"), size=100, mtime_ns=0, type=MediaType.IMAGE)
        board.apply(Queued(item))
        board.apply(Started(item))
        if outcome == "half":
            board.apply(Progress(item, 50, 100, None, None))
        elif outcome == "done":
            board.apply(Completed(item, Media(id=number + 1)))
        elif outcome == "failed":
            board.apply(Failed(item, "507 full"))
        elif outcome == "unknown":
            board.apply(CompletionUnknown(item, "u1", "timeout"))
    return board


def test_the_status_line_names_where_uploads_of_communities_left_go():
    shown, left = _board("half", "done"), _board("half")
    said = summary(shown, [(left, "community-a")])
    assert said == "uploading 1 · done 1 of 2 · 75% · uploading 1 · done 0 of 1 · 50% to community-a"
    assert summary(None, [(_board("done"), "community-a")]) == ""  # nothing runs: nothing said


def test_the_end_of_a_community_left_says_what_landed_and_what_may_have():
    board = _board("done", "unknown", "failed")
    note = ended_note(board, "community-a")
    assert note.startswith("Uploads to community-a ended: 1 of 3 landed")
    assert "1 may have (completion unknown: `mediatui upload --recomplete ID` settles it)" in note
    assert "1 failed (resumable from community-a's upload screen)" in note
    assert not ended_well(board) and ended_well(_board("done", "done"))


def test_a_retry_note_goes_once_something_succeeds():
    state = ListState(page_size=10, prefetch=3)
    request = state.paging.restart()
    state.retrying(2, 0.4, "503 busy")
    assert state.note == "503 busy; retrying in 0.4 s (retry 2)"
    state.arrived(request, chunk(0, 25, range(1, 11)))
    assert state.note is None  # the page came: the retry is over
    state.retrying(1, 0.5, "503 busy")  # a delete retried, then confirmed
    state.deleted(3)
    assert state.note is None
    state.note = "opened 2"  # a note of something else stays
    state.arrived(state.next_page(9) or request, chunk(10, 25, range(11, 21)))
    assert state.note == "opened 2"


def test_escape_undoes_the_view_one_step_at_a_time():
    """The search first, then the type filter, then the pinned rows; each step says what it cleared and what
    escape would clear next."""
    from mediatui.media.list_state import ListState
    from mediatui.media.listing import Filter

    state = ListState(50, 10)
    state.filter(Filter("image", "night \x1b[2J"))
    where, said = state.undo_step(pinned=2)
    assert where == Filter("image", None) and said == "search “night ␛[2J” cleared · escape: type filter next"
    state.filter(where)
    where, said = state.undo_step(pinned=2)
    assert where == Filter(None, None) and said == "type filter (image) cleared · escape: pinned rows next"
    state.filter(where)
    assert state.undo_step(pinned=2) == (None, "2 pinned rows cleared")
    assert state.undo_step(pinned=0) is None


def test_a_status_message_goes_after_5_s_or_on_the_next_move_and_reconnecting_once_a_request_succeeds():
    from mediatui.media.list_state import ListState

    now = [100.0]
    state = ListState(50, 10)
    state.clock = lambda: now[0]
    state.say("opened 2")
    assert state.message() == "opened 2"
    now[0] += 5.1
    assert state.message() is None  # 5 s on: gone
    state.say("search cleared")
    state.moved()
    assert state.message() is None  # the next action: gone
    state.connecting(again=True)
    assert state.message() == "reconnecting…"
    state.succeeded()
    assert state.message() is None
    state.retrying(2, 4.0, "503 Service Unavailable")
    now[0] += 60
    assert "503" in (state.message() or "")  # a condition, not a message: it stays while it holds


def test_a_filter_says_what_of_it_hides_a_row_the_server_did_not_list():
    from mediatui.api import Media
    from mediatui.media.listing import Filter

    media = Media.from_json({"id": 1, "type": "image", "title": "Sunset", "description": "over the HARBOUR"})
    assert Filter("image", "harbour").hides(media) is None  # the search ignores case, as the server's does
    assert Filter("doc").hides(media) == "type filter"
    assert Filter(None, "night").hides(media) == "search"

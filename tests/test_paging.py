"""The list's bookkeeping without a pilot: offsets after deletions, totals, marks, the cursor's next row."""

from mediatui.api import Media
from mediatui.media.paging import Marks, Paging, nearest


def test_a_page_in_flight_during_a_deletion_is_asked_again_from_the_new_offset():
    paging = Paging(page_size=50, prefetch=15)
    first = paging.restart()
    assert paging.arrived(first, 120, list(range(1, 51))) == list(range(1, 51))
    second = paging.next_request(row=49)
    assert second.offset == 50
    paging.deleted(3)  # confirmed while page 2 is in flight
    assert paging.total == 119
    assert paging.arrived(second, 120, list(range(51, 101))) is None  # ambiguous: not taken
    again = paging.next_request(row=48, retry=True)
    assert again.offset == 49
    assert paging.arrived(again, 119, list(range(51, 101))) == list(range(51, 101))
    assert paging.total == 119  # from the answer, not decremented twice


def test_a_failed_page_is_retried_only_when_asked():
    paging = Paging(page_size=50)
    first = paging.restart()
    paging.arrived(first, 120, list(range(1, 51)))
    second = paging.next_request(row=49)
    assert paging.fail(second, "503")
    assert paging.next_request(row=49) is None
    assert paging.next_request(row=49, retry=True).offset == 50


def test_an_older_filter_answer_is_ignored():
    paging = Paging()
    old = paging.restart()
    paging.restart()
    assert paging.arrived(old, 5, [1, 2]) is None and not paging.fail(old, "x")


def test_marks_survive_and_count_what_is_not_shown():
    marks = Marks()
    marks.toggle(Media(id=1))
    marks.toggle(Media(id=2))
    assert marks.hidden({1, 5}) == 1
    marks.listed({1, 2}, complete_and_unfiltered=False)
    marks.listed({1}, complete_and_unfiltered=True)
    assert 2 not in marks and 1 in marks
    assert marks.toggle(Media(id=1)) is False and len(marks) == 0


def test_nearest_row_after_removals():
    order = [1, 2, 3, 4, 5]
    assert nearest(order, 2, {3}) == 2
    assert nearest(order, 3, {3, 4}) == 5
    assert nearest(order, 5, {4, 5}) == 3
    assert nearest(order, 1, {1, 2, 3, 4, 5}) is None


def test_a_media_added_at_the_top_counts_and_a_page_in_flight_is_asked_again():
    paging = Paging(page_size=2, prefetch=0)
    first = paging.restart()
    assert paging.arrived(first, 5, [5, 4]) == [5, 4]
    second = paging.next_request()
    paging.added(6)  # an upload completed while page 2 was on its way: its offset is ambiguous now
    assert paging.ids == [6, 5, 4] and paging.total == 6
    assert paging.arrived(second, 6, [3, 2]) is None  # thrown away, asked again from the new offset
    again = paging.next_request()
    assert again is not None and again.offset == 3
    paging.added(6)
    assert paging.total == 6  # the same media twice counts once


def test_an_upload_done_before_the_first_page_came_leaves_that_page_to_list_it():
    """Counted before the first page, the new row made that page stale and nothing asked for it again: the list
    stayed on "loading" with one row (found by the review)."""
    paging = Paging(page_size=2, prefetch=0)
    first = paging.restart()
    paging.added(9)
    assert paging.arrived(first, 3, [9, 8]) == [9, 8] and paging.total == 3

"""Full garbage collections wait for the user to rest (mediatui.runtime.gc_pauses), with an injected clock."""

from __future__ import annotations

import gc
import sys

import pytest

from mediatui.runtime.gc_pauses import EVERY, FORCE, IDLE, MEASURED_ON, NO_AUTOMATIC_FULL, QuietCollector
from tui_helpers import make_app, settle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def collector():
    clock = Clock()
    made = QuietCollector(clock, python=(3, 11))  # the mechanism, on whatever Python runs the tests
    before = gc.get_threshold()
    try:
        yield made, clock
    finally:
        made.stop()
        assert gc.get_threshold() == before and gc.get_freeze_count() == 0  # CPython's schedule is back


def test_start_freezes_what_exists_and_turns_automatic_full_collections_off(collector):
    made, _ = collector
    before = gc.get_threshold()
    assert not made.tick()  # not started: never collects
    made.start()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (*before[:2], NO_AUTOMATIC_FULL)  # the young generations as before


def test_a_python_it_was_not_measured_on_keeps_its_own_schedule():
    clock = Clock()
    before = gc.get_threshold()
    made = QuietCollector(clock, python=(3, 14))  # 3.14 collects the old generation incrementally
    made.start()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    clock.now += FORCE + 1
    assert not made.tick()  # nor does it collect by itself
    made.stop()


def test_two_collectors_give_the_schedule_back_only_when_both_stopped(collector):
    first, clock = collector
    before = gc.get_threshold()
    second = QuietCollector(clock, python=(3, 11))
    first.start()
    second.start()  # made and started while the first runs: it must not take (y, m, 1_000_000) as the original
    first.stop()
    assert gc.get_threshold()[2] == NO_AUTOMATIC_FULL and gc.get_freeze_count() > 0  # the second still runs
    second.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_full_collection_runs_only_when_the_user_rests(collector):
    made, clock = collector
    made.start()
    clock.now += EVERY
    made.key()  # typing
    assert not made.tick()
    clock.now += IDLE - 0.1
    assert not made.tick()  # not rested long enough
    clock.now += 0.2
    assert made.tick()  # rested: collected
    clock.now += IDLE
    assert not made.tick()  # and not again before EVERY


def test_keys_that_never_rest_still_get_a_collection_every_force_seconds(collector):
    made, clock = collector
    made.start()
    for _ in range(int(FORCE) - 1):
        clock.now += 1
        made.key()
        assert not made.tick()
    clock.now += 1
    made.key()
    assert made.tick()


def test_cyclic_garbage_is_collected_by_the_rested_collection(collector):
    made, clock = collector
    made.start()

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: reference counting alone never frees it
    import weakref

    gone = weakref.ref(a)
    for _ in range(2):  # alive, it survives into the oldest generation...
        gc.collect(1)
    del a, b
    gc.collect(1)  # ...which the young collections leave alone
    assert gone() is not None
    clock.now += EVERY + IDLE
    assert made.tick()
    assert gone() is None


async def test_the_app_hands_collections_over_after_the_first_rows_and_back_on_quit(sandbox, tricks):
    before = gc.get_threshold()
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.collector.running
        taken = tricks and sys.version_info[:2] in MEASURED_ON  # plain, or another Python: CPython's own schedule
        assert gc.get_threshold()[2] == (NO_AUTOMATIC_FULL if taken else before[2])
    assert not app.collector.running and gc.get_threshold() == before and gc.get_freeze_count() == 0

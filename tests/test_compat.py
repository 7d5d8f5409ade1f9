"""What mediatui takes from Python 3.11 behaves alike on 3.10 (mediatui._compat, localdb's SQLite codes).

The 3.10 forms are tested on every interpreter (`make matrix` runs this file on each), against what 3.11's
standard library gives.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from enum import Enum

import pytest

from mediatui._compat import UTC, StrEnum, _fromisoformat_before_311, fromisoformat
from mediatui.localdb import is_full

pytestmark = pytest.mark.smoke  # the 3.10 forms are what .ci/run checks again on 3.10

# What 3.11's datetime.fromisoformat gives (as isoformat()), for what a server or a person may write.
READ = {
    "2026-11-28T12:00:00Z": "2026-11-28T12:00:00+00:00",
    "2026-11-28T12:00:00+00:00": "2026-11-28T12:00:00+00:00",
    "2026-11-28T12:00:00.123Z": "2026-11-28T12:00:00.123000+00:00",
    "2026-11-28T12:00:00.1Z": "2026-11-28T12:00:00.100000+00:00",
    "2026-11-28T12:00:00.1234+02:00": "2026-11-28T12:00:00.123400+02:00",
    "2026-11-28T12:00:00.123456789Z": "2026-11-28T12:00:00.123456+00:00",  # cut, not rounded
    "2026-11-28T12:00:00,5Z": "2026-11-28T12:00:00.500000+00:00",
    "2026-11-28T12:00:00+0530": "2026-11-28T12:00:00+05:30",
    "2026-11-28T12:00:00-03": "2026-11-28T12:00:00-03:00",
    "2026-11-28 12:00": "2026-11-28T12:00:00",
    "2026-11-28T12:00Z": "2026-11-28T12:00:00+00:00",
    "2026-12-01": "2026-12-01T00:00:00",
    "20261201": "2026-12-01T00:00:00",
}
REFUSED = ["", "yesterday", "2026-13-01", "2026-11-28T25:00:00Z", "2026-11-28T12:00:00+25:00"]


@pytest.mark.parametrize("text", sorted(READ))
def test_310_reads_iso_times_as_311_does(text):
    assert _fromisoformat_before_311(text).isoformat() == READ[text]
    assert fromisoformat(text).isoformat() == READ[text]
    if sys.version_info >= (3, 11):
        assert dt.datetime.fromisoformat(text).isoformat() == READ[text]  # the table is 3.11's


@pytest.mark.parametrize("text", REFUSED)
def test_310_refuses_what_311_refuses(text):
    with pytest.raises(ValueError):
        _fromisoformat_before_311(text)
    if sys.version_info >= (3, 11):
        with pytest.raises(ValueError):
            dt.datetime.fromisoformat(text)


class Colour(StrEnum):
    RED = "red"
    DARK_BLUE = "dark blue"


def test_str_enum_members_are_their_values_in_text():
    assert str(Colour.RED) == "red" and f"{Colour.DARK_BLUE}" == "dark blue" and f"{Colour.RED:>5}" == "  red"
    assert "-".join([Colour.RED]) == "red" and json.dumps([Colour.RED]) == '["red"]'
    assert Colour("dark blue") is Colour.DARK_BLUE and Colour.RED == "red" and isinstance(Colour.RED, str)
    assert isinstance(Colour.RED, Enum) and repr(Colour.RED).startswith("<Colour.RED")
    if sys.version_info >= (3, 11):
        import enum

        assert StrEnum is enum.StrEnum and UTC is dt.UTC
    assert UTC is dt.timezone.utc


def test_a_full_disk_is_known_by_sqlites_message_where_errors_carry_no_code():
    """Python 3.10's sqlite3 errors have no sqlite_errorcode: the message says which it is."""
    assert is_full(sqlite3.OperationalError("database or disk is full"))
    assert not is_full(sqlite3.OperationalError("database is locked"))
    assert not is_full(sqlite3.OperationalError("disk I/O error"))  # only where the folder has no room

"""What mediatui uses of Python 3.11, for 3.10 (Ubuntu 22.04's Python): one place per need.

No Textual here, and nothing of mediatui: every layer may import it (it sits below the ground floor).
On 3.11 and later each name is the standard library's own, so behaviour there does not change:

- `UTC`: `datetime.UTC` (3.11) is the same object as `timezone.utc`.
- `StrEnum`: `enum.StrEnum`; on 3.10 a str-mixed Enum whose `str()` and `format()` give the value, as 3.11's.
- `Self`: `typing.Self`; on 3.10 typing_extensions' (a dependency there, and Textual's anyway).
- `fromisoformat`: `datetime.fromisoformat`, which reads most of ISO 8601 since 3.11; 3.10's reads only what
  `isoformat()` writes, so a server's `Z`, a fraction of 1-5 or 7-9 digits or an offset `+0000` failed there.

`tomllib` is not here: only the config file needs it, and it loads when that file is read (profiles.py).
"""

from __future__ import annotations

import re
import sys
from datetime import datetime, timezone

__all__ = ["UTC", "Self", "StrEnum", "fromisoformat"]

UTC = timezone.utc

if sys.version_info >= (3, 11):
    from enum import StrEnum
    from typing import Self
else:
    from enum import Enum

    from typing_extensions import Self

    class StrEnum(str, Enum):
        """3.11's `enum.StrEnum`: members are strings; `str()` and `format()` give the value, not `Class.NAME`."""

        def __str__(self) -> str:
            return str.__str__(self)

        def __format__(self, format_spec: str) -> str:
            return str.__format__(self, format_spec)


#: The extended format 3.11 reads beyond 3.10's: `YYYY-MM-DD` or `YYYYMMDD`, then optionally a time (`T` or a
#: space) with a fraction of any length (`.` or `,`) and an offset `Z`, `±HH`, `±HHMM` or `±HH:MM[:SS[.f]]`.
_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2}|\d{8})"
    r"(?:(?P<sep>[T ])(?P<time>\d{2}(?::\d{2}(?::\d{2})?)?)(?:[.,](?P<fraction>\d+))?"
    r"(?P<offset>Z|[+-]\d{2}(?::?\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?)?)?",
    re.ASCII,
)


def _fromisoformat_before_311(text: str) -> datetime:
    """`datetime.fromisoformat` as 3.11 reads the forms a server or a person writes (not week dates nor basic
    times); what 3.10 reads itself is left to it. ValueError for the rest, as there."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    match = _ISO.fullmatch(text)
    if match is None:
        raise ValueError(f"Invalid isoformat string: {text!r}")
    date = match["date"]
    if "-" not in date:
        date = f"{date[:4]}-{date[4:6]}-{date[6:]}"
    if match["sep"] is None:
        return datetime.fromisoformat(date)
    fraction = f".{match['fraction'][:6].ljust(6, '0')}" if match["fraction"] else ""  # 3.11 cuts past 6 digits
    offset = match["offset"] or ""
    if offset == "Z":
        offset = "+00:00"
    elif offset and ":" not in offset:
        offset = f"{offset[:3]}:{offset[3:5] or '00'}"
    return datetime.fromisoformat(f"{date}{match['sep']}{match['time']}{fraction}{offset}")


if sys.version_info >= (3, 11):
    fromisoformat = datetime.fromisoformat
else:
    fromisoformat = _fromisoformat_before_311

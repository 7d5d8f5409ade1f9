"""The one sanitizer: nothing a terminal would act on survives, and JSON stays valid and escaped."""

from __future__ import annotations

import json

import pytest

from mediatui.sanitize import inert, inert_json, is_inert

HOSTILE = [
    "\x1b]0;pwned\x07",  # OSC 0: retitles the window
    "\x1b]52;c;ZXZpbA==\x07",  # OSC 52: writes the clipboard
    "\x1b[2J\x1b[H",  # CSI: clears the screen
    "\x1bP+q544e\x1b\\",  # DCS: queries the terminal
    "\x9b31m",  # C1 CSI in one character
    "\x9d0;title\x9c",  # C1 OSC and ST
    "abc\u202edcba\u202c",  # right-to-left override
    "\u2066isolate\u2069\u200f",
    "bell\x07 del\x7f nul\x00",
    "lone \ud800 surrogate",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_control_becomes_visible(text):
    for multiline in (False, True):
        shown = inert(text, multiline=multiline)
        assert is_inert(shown), repr(shown)
        shown.encode("utf-8")  # no lone surrogate left to make print() raise
    assert not is_inert(text)


def test_pictures_and_codes_are_readable():
    assert inert("\x1b[2J") == "␛[2J"
    assert inert("\x9b") == "⟨U+009B⟩"
    assert inert("a\u202eb") == "a⟨U+202E⟩b"


def test_line_breaks_one_line_and_multi_line():
    assert inert("one\r\ntwo\nthree\tfour") == "one⏎two⏎three four"
    assert inert("one\r\ntwo\tx\rz", multiline=True) == "one\ntwo\tx␍z"


def test_limit_cuts_with_an_ellipsis():
    assert inert("x" * 10, limit=5) == "xxxx…"
    assert inert("short", limit=5) == "short"


def test_plain_text_and_emoji_pass_unchanged():
    text = "Ünïcödé שלום 🎉 [b]markup[/b] 👩‍💻"  # the ZWJ of an emoji sequence stays
    assert inert(text) == text


def test_json_escapes_and_stays_valid():
    data = {"title": "".join(HOSTILE), "ok": "Ünïcödé 🎉", "n": 1}
    out = inert_json(data)
    assert is_inert(out)
    back = json.loads(out)
    assert back["ok"] == "Ünïcödé 🎉" and back["n"] == 1
    assert back["title"].startswith("\x1b]0;pwned\x07")  # escaped, not lost
    assert "\\u009b" in out and "\\u202e" in out and "\\u001b" in out


def test_a_file_name_byte_that_is_not_utf8_is_shown_as_an_escape():
    """`caf\\xe9.png` on an old Latin-1 file system reads as 'caf\\udce9.png' (surrogateescape): shown as the
    byte it is, never a question mark and never a crash."""
    assert inert("caf\udce9.png") == "caf\\xe9.png"
    assert inert("lone \ud800") == "lone \ufffd"  # a surrogate that stands for no byte

"""The one way untrusted text reaches a terminal: every control made visible, nothing left to act.

Server text (titles, URLs, error details, HTML error pages) and local file
names can hold escape sequences (OSC 0 retitles the window, OSC 52 writes the
clipboard, CSI 2J clears the screen, DCS queries the terminal), C1 controls
(U+009B is a one-character CSI on many terminals), bidi overrides that make
text read backwards, and lone surrogates that make `print` raise (a file name's byte that is not
UTF-8 shows as `\xe9`). rich's
`Text` does not strip ESC, so every path to the screen, stdout, stderr, the
clipboard or a log goes through `inert` (or `inert_json` for JSON output).

No Textual and no rich here: the CLI, the upload engine and the TUI share it.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: C0 controls and DEL have Unicode pictures of their own (␛ for ESC, ␡ for DEL).
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}

#: Characters with no picture that change how a terminal reads or lays out the rest:
#: C1 controls, bidi embeddings, overrides, isolates and marks, line and paragraph separators,
#: and the byte-order mark. They are shown as ⟨U+XXXX⟩.
_NAMED = (
    [*range(0x80, 0xA0)]
    + [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0xFEFF]
    + [*range(0x202A, 0x202F)]
    + [*range(0x2066, 0x206A)]
)
_CODES = {code: f"\u27e8U+{code:04X}\u27e9" for code in _NAMED}

LINE_BREAK = "\u23ce"  # ⏎ stands for a line break in one-line contexts

_ONE_LINE = {**_PICTURES, **_CODES, 0x0A: LINE_BREAK, 0x2028: LINE_BREAK, 0x2029: LINE_BREAK, 0x09: " "}
_MULTI_LINE = {**{k: v for k, v in _PICTURES.items() if k not in (0x0A, 0x09)}, **_CODES}
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")


def _escaped_byte(match: re.Match[str]) -> str:
    """A lone surrogate: a file name's byte that is not UTF-8 (Python reads it as U+DC80..U+DCFF) shows as
    `\xe9`, the byte it is; any other stands for nothing and shows as U+FFFD."""
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def inert(text: object, *, multiline: bool = False, limit: int | None = None) -> str:
    """`text` as printable characters only: safe for a terminal, a clipboard or a log line.

    One-line (the default): a CRLF or LF becomes ⏎ and a tab a space. Multi-line keeps LF and tab.
    `limit` cuts the result to that many characters, ending in "…".
    """
    value = text if isinstance(text, str) else str(text)
    value = _SURROGATE.sub(_escaped_byte, value)
    if multiline:
        value = value.replace("\r\n", "\n").translate(_MULTI_LINE)
    else:
        value = value.replace("\r\n", "\n").translate(_ONE_LINE)
    if limit is not None and len(value) > limit:
        value = value[: max(0, limit - 1)] + "…"
    return value


def is_inert(text: str) -> bool:
    """True when `text` holds nothing a terminal would act on (text boxes draw such text as it is)."""
    return _UNSAFE.search(text) is None


def inert_json(data: Any) -> str:
    """Compact JSON, readable (non-ASCII kept), with every C0, C1, bidi and surrogate escaped as \\uXXXX."""
    raw = json.dumps(data, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", raw)


#: What a URL may hold to become a terminal hyperlink (OSC 8): RFC 3986's characters, nothing that could end the
#: sequence early (ESC, BEL) or make the link text say one place while it opens another.
_LINK = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
LINK_MAX = 2048


def link_target(url: object) -> str | None:
    """`url` when a terminal may be asked to open it (http or https, printable ASCII of URL characters, at most
    LINK_MAX long); None otherwise, and then it is shown as inert text only."""
    if isinstance(url, str) and len(url) <= LINK_MAX and _LINK.fullmatch(url):
        return url
    return None

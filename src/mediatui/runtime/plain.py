"""MEDIATUI_PLAIN=1: every start-up and latency trick off, so that each one's gain can be measured against none.

The tricks are the first page from a forked child (first_page), garbage collections moved to the user's
rests (gc_pauses) and a short GIL switch interval while uploads run (handover). With the variable set, the
app starts, collects and uploads the way a plain Textual app with httpx would.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

ENV_PLAIN = "MEDIATUI_PLAIN"


def plain(environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get(ENV_PLAIN, "").lower() in ("1", "true", "yes")

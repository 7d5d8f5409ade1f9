"""The client's enums and the sandbox's own copy of them, each held against the API document (shared/seed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mediatui.api.enums import CREATE_TYPES, UPLOAD_TYPES, MediaType, OEmbedType
from mediatui.sandbox import choices

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed"


def documented() -> dict[str, set[str]]:
    """Each parameter's values in the document's "Enumerated Values" tables (`|» type|vimeo|`)."""
    if not SEED.is_dir():
        pytest.skip(f"the API document is not beside the project ({SEED})")
    values: dict[str, set[str]] = {}
    for path in SEED.glob("*.txt"):
        for name, value in re.findall(r"^\|» (\w+)\|(\w+)\|$", path.read_text(), re.M):
            values.setdefault(name, set()).add(value)
    return values


def test_the_document_lists_the_choices_both_sides_use():
    values = documented()
    for media_types, oembed_types in (
        ({str(t) for t in MediaType} - {"share"}, {str(t) for t in OEmbedType}),  # share: public docs only
        (set(choices.MEDIA_TYPES) - {"share"}, set(choices.OEMBED_TYPES)),
    ):
        assert media_types == values["type"]
        assert oembed_types == values["oembed_type"]


def test_create_and_upload_types_agree_on_both_sides():
    assert tuple(map(str, CREATE_TYPES)) == choices.CREATE_TYPES
    assert tuple(map(str, UPLOAD_TYPES)) == choices.UPLOAD_TYPES
    assert set(choices.CREATE_TYPES) | set(choices.UPLOAD_TYPES) == documented()["type"]

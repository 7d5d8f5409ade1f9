"""The media API's choices as the sandbox enforces them.

The sandbox's own copy, not the client's (mediatui.api.enums): a server that shared the
client's rules could never catch the client getting them wrong. tests/test_choices.py
holds both copies against the API document.
"""

from __future__ import annotations

VIMEO, URL, EMBED, IMAGE, EIMAGE, DOC, SHARE = "vimeo", "url", "embed", "image", "eimage", "doc", "share"
#: Every media type the server stores ("share" is in the public docs only; nothing here creates one).
MEDIA_TYPES = (VIMEO, URL, EMBED, IMAGE, EIMAGE, DOC, SHARE)
#: What PUT and PATCH may set: a share is made by sharing a post, never by an edit.
SETTABLE_TYPES = (VIMEO, URL, EMBED, IMAGE, EIMAGE, DOC)
#: What POST /api/v2/media/ creates.
CREATE_TYPES = (VIMEO, URL, EMBED)
#: What POST /api/v2/media/upload/complete/ accepts.
UPLOAD_TYPES = (IMAGE, DOC, EIMAGE)
LINK, PHOTO, RICH, VIDEO = "link", "photo", "rich", "video"
OEMBED_TYPES = (LINK, PHOTO, RICH, VIDEO)

"""The community's root URL as every part of mediatui names it: one normal form, checked before anything is sent.

The catalogue, the journal and the history are named after it, so `https://x`,
`x/`, `https://x/api/v2/media/` must all come to the same string, and a user
and password in it must never reach a file name or a message.
"""

from __future__ import annotations

import re

import httpx

from mediatui.api.credentials import AT_AFTER_HOST, without_userinfo
from mediatui.api.errors import InvalidInput
from mediatui.sanitize import inert


def normalize_base_url(url: str) -> str:
    """The community's root URL, whether given with /api/v2 or a trailing slash or not.

    A user and password in the URL are dropped (the token authenticates), so that they never
    reach a file name, a message or the journal. A URL that is not http(s) is InvalidInput.
    """
    url = without_userinfo(url.strip())
    if not url:
        raise InvalidInput("no community URL given")
    if AT_AFTER_HOST in url:  # see credentials._split_userinfo
        raise InvalidInput(
            "the URL holds an '@' after its host: give the community's address alone "
            "(no user:password@, no '@' in its path: mediatui signs in with the token)"
        )
    if any(c.isspace() or not c.isprintable() for c in url):
        raise InvalidInput(f"the URL holds a space or a control character: {inert(url)}")
    if "://" not in url:
        url = "https://" + url
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise InvalidInput(f"not a valid URL: {inert(url)} (like https://community.example.com)") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidInput(f"not an http(s) URL with a host: {inert(url)} (like https://community.example.com)")
    path = re.sub(r"/+(api/v2/?(media/?)?)?$", "", parsed.path)
    return str(parsed.copy_with(path=path or "", query=None, fragment=None)).rstrip("/")

"""A media's links, named for what they are: what `O` on the list offers to open in the moderator's browser.

Over SSH the moderator's own terminal opens a link (OSC 8), not the server, so
each URL the media holds is offered, once, named by what it is for this type.
Raw server text: the screen shows it through the sanitizer.
"""

from __future__ import annotations

from mediatui.api import Media

#: What a media's `url` is, by its type: the file itself for what was uploaded, else the page it stands for.
_URL_IS = {"image": "file", "eimage": "file", "doc": "file", "url": "page", "vimeo": "video"}


def media_links(media: Media) -> list[tuple[str, str]]:
    """(name, url) for each distinct URL of `media`: its file or page, its picture, its oEmbed resource, its
    embed's URL; first come, first named."""
    candidates = [
        (_URL_IS.get(str(media.type), "link"), media.url),
        ("picture", media.image),
        ("oEmbed", media.oembed_url),
        ("embed", media.embed_url),
    ]
    found: list[tuple[str, str]] = []
    for name, url in candidates:
        if isinstance(url, str) and url.strip() and url not in {seen for _, seen in found}:
            found.append((name, url))
    return found

"""What `mediatui demo` is, in words: where its sandbox is, with which token, and that its data is temporary.

One function words it, without Textual, so that the CLI prints it before the TUI takes the screen and after
it gives it back, and the TUI can show the very same text (its header, its help): a person who meets the demo
must learn, wherever they look, that the CLI can be tried beside it and that nothing they do there is kept.
The token is the sandbox's throwaway, not a user's secret: printing it is the point.
"""

from __future__ import annotations

from pathlib import Path

from mediatui.sanitize import inert


def demo_banner(url: str, token: str, data_dir: str | Path, *, ended: bool = False) -> str:
    """The demo's lines (inert: the folder is under the user's TMPDIR); `ended`: said once it stopped, when the
    sandbox is gone and the try line would only fail."""
    url, token, folder = inert(url), inert(token), inert(str(data_dir))
    if ended:
        return (
            f"mediatui demo: ended. The sandbox at {url} (token {token}) has stopped; its data ({folder}) is deleted."
        )
    return "\n".join(
        [
            f"mediatui demo: a sandbox community at {url}, token {token} (a throwaway, this demo's only).",
            f"  Try the CLI beside it: MEDIATUI_URL={url} MEDIATUI_TOKEN={token} mediatui list",
            f"  Its data ({folder}) is temporary: it is deleted when the demo ends.",
        ]
    )

"""What the list screen says: its status line, empty state and errors, in words a moderator can act on."""

from __future__ import annotations

from mediatui.api import ApiError, AuthError, TransportError
from mediatui.listing import CATALOGUE, SERVER, Filter


def status_text(mode: str | None, problem: str | None, total: int | None, loaded: int, where: Filter,
                marked: int, fetching: bool) -> str:
    if problem:
        return "not connected · r retries"
    if mode is None:
        return "connecting…"
    parts = ["server list" if mode == SERVER else "catalogue (no server list; o opens by id)"]
    if total is not None:
        parts.append(f"{loaded} of {total} loaded")
    if where.type or where.search:
        parts.append(where.describe())
    if marked:
        parts.append(f"{marked} marked")
    if fetching:
        parts.append("loading…")
    return " · ".join(parts)


def empty_text(where: Filter, mode: str | None) -> str:
    if where.type or where.search:
        return f"No media match ({where.describe()}). Press / or t to change the filter."
    if mode == CATALOGUE:
        return ("No media opened yet. This server has no media list: press o to open media by id "
                "(like 12, 15, 20-30); what you open, upload or create is remembered here.")
    return "This community has no media yet."


def explain(error: ApiError) -> str:
    """What went wrong and what to do, in words a moderator can act on."""
    if isinstance(error, AuthError):
        return (f"The token was refused (401): {error.message}\n"
                "Set MEDIATUI_TOKEN to a valid access token of this community, then start mediatui again.")
    if isinstance(error, TransportError):
        return f"Cannot reach the community: {error.message}\nCheck the URL and your network, then press r."
    return f"The server answered: {error.message}\nPress r to try again."

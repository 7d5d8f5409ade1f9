"""What the screens say: the list's status line, empty state and errors, the header's badges; in words a
moderator can act on.

Every server text that goes into these strings passes `inert` here: the
callers show them as Text, and a 401 detail holding `ESC]0;…BEL` must not
rename the terminal window.
"""

from __future__ import annotations

from mediatui.api import ApiError, AuthError, NotTheApi, TransportError
from mediatui.api.errors import error_line
from mediatui.media.listing import CATALOGUE, SERVER, Filter
from mediatui.sanitize import inert
from mediatui.settings.config import Settings

TOKEN_ADVICE = (
    "set MEDIATUI_TOKEN to a valid access token of this community and start mediatui again, "
    "or press r to try this one again"
)


def status_text(
    mode: str | None,
    problem: str | None,
    total: int | None,
    loaded: int,
    where: Filter,
    marked: int,
    fetching: bool,
    *,
    hidden_marks: int = 0,
    hidden_pinned: int = 0,
    note: str | None = None,
    uploading: str = "",
) -> str:
    """The list's one status line. What just happened (or what to do about a failure) comes first: at 80
    columns the line is cut at its end, and the standing parts (the mode, the counts) can wait."""
    if problem:
        return " · ".join(part for part in (uploading, "not connected · r retries") if part)
    if mode is None:
        return " · ".join(part for part in (uploading, inert(note) if note else "connecting…") if part)
    parts = [inert(note, limit=160)] if note else []
    if uploading:
        parts.append(uploading)
    if where.mine is not None:
        parts.append("my uploads (m: all)")
    else:
        parts.append("server list" if mode == SERVER else "catalogue (no server list; o opens by id)")
    if total is not None:
        parts.append(f"{loaded} of {total} loaded")
    if where.type or where.search:
        parts.append(inert(Filter(where.type, where.search).describe(), limit=60))
    if hidden_pinned:
        parts.append(f"{hidden_pinned} pinned hidden by the filter")
    if marked:
        parts.append(f"{marked} marked" + (f", {hidden_marks} hidden" if hidden_marks else ""))
    if fetching:
        parts.append("loading…")
    return " · ".join(parts)


def empty_text(where: Filter, mode: str | None) -> str:
    if where.active:
        keys = "/, t or m" if where.mine is not None else "/ or t"
        return f"No media match ({inert(where.describe(), limit=80)}). Press {keys} to change the filter."
    if mode == CATALOGUE:
        return (
            "No media opened yet. This server has no media list: press o to open media by id "
            "(like 12, 15, 20-30); what you open, upload or create is remembered here."
        )
    return "This community has no media yet."


message = error_line  # the error's own words, one line, inert (mediatui.api.errors)


def short(error: BaseException) -> str:
    """One line for the status line and toasts; a 401 always says what to do, the same way."""
    if isinstance(error, AuthError):
        return f"the token was refused (401): {TOKEN_ADVICE}"
    return message(error)


def explain(error: BaseException) -> str:
    """What went wrong and what to do, for the notice that replaces the list."""
    if isinstance(error, AuthError):
        return f"The token was refused (401): {inert(error.message, limit=200)}\nTo go on, {TOKEN_ADVICE}."
    if isinstance(error, TransportError):
        return f"Cannot reach the community: {message(error)}\nCheck the URL and your network, then press r."
    if isinstance(error, NotTheApi):  # r would only ask the same wrong address again
        return f"{inert(error.message, limit=300)}\nPress c to change the community's URL."
    if isinstance(error, ApiError):
        return f"The server answered: {message(error)}\nPress r to try again."
    return (
        f"Cannot connect with these settings: {message(error)}\n"
        "Check --url (or MEDIATUI_URL) and the token, then start mediatui again."
    )


def header_badges(settings: Settings) -> str:
    """What the header must always say before the community's name: TLS not verified, read-only, the demo."""
    parts = []
    if settings.insecure:
        parts.append("⚠ TLS NOT VERIFIED")
    if settings.read_only:
        parts.append("read-only")
    if settings.demo:
        parts.append("demo")  # F1 says the rest: its sandbox, its token, that its data goes (80 columns: short)
    return " · ".join(parts)

"""One community: its settings, its API client and its picture fetcher, ended together by close().

Why an owner: a community's state used to hang off the app, and a switch left
pieces of the old one behind (a closed client that the next upload then used).
The app builds one Community per community it shows (tui/communities.py), and
the CLI one per verb (cli.common.community_client); each in one place. A
switch builds another; the old one is closed at once, or, when uploads still
run on it, by the last of them (the TUI's uploads are made per community and
bound to it). Screens are given the community they work on
(tui/list_context.py). Also here, for the CLI and the TUI alike: what changes
media (`Change`) and what a read-only profile refuses. No Textual.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mediatui._compat import StrEnum
from mediatui.api.client_maker import ClientMaker
from mediatui.sanitize import inert
from mediatui.settings.config import Settings

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from mediatui.api import Media
    from mediatui.api.client import MediaClient
    from mediatui.community.trash import Trash
    from mediatui.media.history import History
    from mediatui.pictures.fetch import Fetcher


class Change(StrEnum):
    """What changes media. A read-only profile refuses every one, on the command line and on the screens alike
    (the CLI's verbs bear these names; the list maps its keys to them)."""

    DELETE = "delete"
    CREATE = "create"
    UPDATE = "update"
    UPLOAD = "upload"

    @classmethod
    def of(cls, verb: str | None) -> Change | None:
        return next((change for change in cls if change.value == verb), None)


def refusal(settings: Settings, change: Change) -> str | None:
    """Why `change` may not be sent with these settings (a read-only profile), or None when it may."""
    if settings.read_only:
        return f"read-only profile: {change.value} changes media, so it is refused (nothing was sent)"
    return None


class Community:
    def __init__(
        self, settings: Settings, display_name: str | None = None, clock: Callable[[], datetime] | None = None
    ) -> None:
        """`clock`: the time the history's records are given (the app's, so that screenshots stay still)."""
        self.settings = settings
        self.clock = clock
        #: What the header and the upload rows call it (the URL unless a name was given).
        self.name = inert(display_name or settings.url or "no URL", limit=60)
        self._named = display_name is not None  # a name given (the demo, screenshots) stands for the host too
        #: The API client, made once, off the UI thread, by whichever worker asks first.
        self.client_maker = ClientMaker(settings.make_client)
        self._fetcher: Fetcher | None = None
        self._history: History | None = None
        self._lock = threading.Lock()
        self.closed = False
        #: Set when the community is left or the app quits: waits between retries of its reads end at once.
        self.stopping = threading.Event()

    @property
    def heading(self) -> str:
        """What a screen's header calls it: the profile and the host ("team-a · community.example"), never a
        profile's name beside another profile's URL (both come from these settings)."""
        named = self._named or not self.settings.url
        host = self.name if named else inert(urlsplit(self.settings.url).netloc, limit=60)
        return f"{inert(self.settings.profile, limit=24)} · {host}" if self.settings.profile else host

    @property
    def label(self) -> str:
        """What rows, questions and notes call it: the profile's name when it has one (short, and the name the
        moderator chose), else the name."""
        return inert(self.settings.profile, limit=24) if self.settings.profile else self.name

    def refusal(self, change: Change) -> str | None:
        """Why this community refuses `change` (a read-only profile), or None when it may be sent."""
        return refusal(self.settings, change)

    def client(self) -> MediaClient:
        """The API client, made now if it was not (blocks ~100 ms then: call it off the UI thread)."""
        return self.client_maker()

    @property
    def client_made(self) -> MediaClient | None:
        return self.client_maker.made

    def fetcher(self) -> Fetcher:
        """The client for media files (it never carries the token), made on first use in the thread that asks."""
        with self._lock:
            if self._fetcher is None:
                from mediatui.pictures.fetch import Fetcher

                self._fetcher = Fetcher(verify=self.settings.verify is not False, allowed_hosts=self.file_hosts())
            return self._fetcher

    def file_hosts(self) -> set[str]:
        """Where media files may be at private addresses: the API's own host and port, and preview_hosts."""
        from mediatui.pictures.fetch import host_and_port

        api = urlsplit(self.settings.url)
        port = api.port or (443 if api.scheme == "https" else 80)
        return {host_and_port(api.hostname or "", port), *self.settings.preview_hosts}

    def my_upload_ids(self) -> frozenset[int]:
        """The media this machine uploaded to this community (`m` on the list): what the catalogue recorded of
        each completed upload, and the upload journal's completed entries (kept a week: they cover a catalogue
        write that was missed), less those seen deleted since. Reads two local files, creating neither: call it
        off the UI thread. LocalDataError names a file that cannot be read."""
        from mediatui.api.client import normalize_base_url
        from mediatui.media.catalogue import MAX_MINE, Catalogue
        from mediatui.upload import journal as J

        server = normalize_base_url(self.settings.url)  # the key both files are named by, as the client has it
        with Catalogue.for_server(server) as catalogue:
            ids, gone = catalogue.uploads()
        if J.journal_path(server).exists():
            with J.Journal.for_server(server) as journal:
                ids |= {e.media_id for e in journal.entries((J.COMPLETED,)) if e.media_id is not None}
        return frozenset(sorted(ids - gone, reverse=True)[:MAX_MINE])

    def history(self) -> History:
        """The record of every change made to this community from here (media/history.py), opened on first use:
        SQLite, so off the UI thread. LocalDataError names the file when it cannot be used."""
        with self._lock:
            if self._history is None:
                self._history = self._open_history()
            return self._history

    def _open_history(self) -> History:
        from mediatui.api.client import normalize_base_url
        from mediatui.media.history import History

        settings = self.settings
        return History.for_server(
            normalize_base_url(settings.url),
            host=urlsplit(settings.url).netloc,
            profile=settings.profile,
            token=settings.token.reveal(),
            days=settings.history_days,
            clock=self.clock,
        )

    @property
    def trash_on(self) -> bool:
        """Is the local trash on for this community (a profile's trash_mb, or MEDIATUI_TRASH_MB; a value that is
        not a number was refused at start: cli.common.settings)?"""
        from mediatui.community.trash import trash_mb

        try:
            return trash_mb(self.settings.trash_mb) > 0
        except ValueError:
            return False

    def trash(self) -> Trash | None:
        """The local trash of deleted files, or None when it is off (community/trash.py: off by default)."""
        from mediatui.api.client import normalize_base_url
        from mediatui.community.trash import Trash, trash_mb

        try:
            mb = trash_mb(self.settings.trash_mb)
        except ValueError:
            return None
        if mb <= 0:
            return None
        days = self.settings.trash_days
        return Trash.for_server(normalize_base_url(self.settings.url), mb, days, clock=self.clock)

    def prune_trash(self) -> None:
        """Expired files go at start-up, the trash on or off: files kept on a run with MEDIATUI_TRASH_MB must not
        outlive trash_days because later runs keep nothing (off by default: abuse must not stay on disk)."""
        from mediatui.api.client import normalize_base_url
        from mediatui.community.trash import Trash

        with contextlib.suppress(Exception):  # housekeeping: the next start or delete tries again
            server = normalize_base_url(self.settings.url)
            trash = self.trash() or Trash.for_server(server, 10**9, self.settings.trash_days, clock=self.clock)
            if trash.folder.is_dir():
                trash.prune()

    def keep_before_delete(self, media: Media) -> str | None:
        """With the trash on, the file a delete of `media` would lose is kept first (on a worker: it fetches).
        None when it was kept or none is needed; else why not ("timed out after 20 s"), for the question."""
        from mediatui.community.trash import CAPS, FETCH_TIMEOUT, TrashFull, file_of
        from mediatui.localdb import LocalDataError
        from mediatui.pictures.fetch import Fetcher, PreviewError

        trash, url = self.trash(), file_of(media)
        if trash is None or url is None:
            return None
        kind = str(media.type)
        fetcher = Fetcher(
            verify=self.settings.verify is not False,
            timeout=FETCH_TIMEOUT[kind],
            max_bytes=CAPS[kind],
            allowed_hosts=self.file_hosts(),
        )
        try:
            data = fetcher.fetch(url)
            kept = trash.keep(media, data, file_name(url), url)
        except PreviewError as exc:
            return str(exc).replace("too large to preview", "too large to keep")
        except TrashFull as exc:
            return str(exc)
        except LocalDataError as exc:
            return f"the trash cannot keep it: {exc}"
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the delete's question: said as the reason
            return f"unexpected error {inert(repr(exc), limit=120)}"
        finally:
            fetcher.close()
        return None if kept.path.exists() else "the trash had no room left for it"

    def record(self, action: str, media_id: int | None, **fields: Any) -> str | None:
        """Record a change after the server answered it (History.add's fields); None, or a warning to show when
        it could not be recorded: never an exception, so that the server's answer is never lost to it."""
        from mediatui.localdb import LocalDataError

        try:
            if self.closed:  # a write that ended after its community was left (an upload): a file of its own
                with self._open_history() as history:
                    history.add(action, media_id, **fields)
            else:
                self.history().add(action, media_id, **fields)
        except LocalDataError as exc:
            return f"not recorded in the history: {exc}"
        except Exception as exc:  # noqa: BLE001 - a record's bug must never hide or stop the server's answer
            return f"not recorded in the history: unexpected error {inert(repr(exc), limit=200)}"
        return None

    def close(self) -> None:
        """End everything of this community; never waits (a client being made is closed when it is done)."""
        self.closed = True
        self.stopping.set()
        with self._lock:
            fetcher = self._fetcher
            history, self._history = self._history, None
        if history is not None:
            history.close()
        if fetcher is not None:
            fetcher.abort()  # a picture still loading must not hold anything
        self.client_maker.close()


def file_name(url: str) -> str:
    """The last part of a file's URL, as a name for the trash and the upload that restores it (inert, short)."""
    from urllib.parse import unquote, urlsplit

    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or "file"
    return inert(name, limit=120).replace("/", "_")

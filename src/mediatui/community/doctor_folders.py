"""The lines of `mediatui doctor` on mediatui's own folders: the state folder (the upload journal, the history)
and the data folder (the catalogue, the trash). Each says whether mediatui can write there (or make it), the
room left, and what it holds that a moderator should know: unfinished uploads, the trash's size.

Nothing here writes: rights and room are read (access, statvfs), the journal is counted from a copy, the trash
measured. Any of it can hang on a mount gone away: doctor runs each on a thread of its own, given a deadline.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from mediatui.community.doctor_local import Check
from mediatui.sanitize import inert

if TYPE_CHECKING:
    from mediatui.settings.config import Settings

LOW_ROOM = 100_000_000  # bytes free under which a folder is said to be nearly full (an upload journal, a trash)


def room(folder: Path) -> int | None:
    """Bytes free to this user where `folder` is, or would be made (its nearest existing parent)."""
    for place in (folder, *folder.parents):
        try:
            found = os.statvfs(place)
        except OSError:
            continue
        return found.f_bavail * found.f_frsize
    return None


def writable(folder: Path) -> tuple[str, str | None] | None:
    """None when mediatui can write in `folder` (or make it: it is made at first use), else why not and, when
    a chmod of the user's fixes it, the folder to chmod (the folder, or the parent it would be made in)."""
    try:
        return _writable(folder)
    except PermissionError:  # a folder on the way that this user cannot enter (Path.exists raises then)
        entered = next((p for p in reversed(folder.parents) if not os.access(p, os.X_OK)), folder.parent)
        return f"{folder} cannot be reached: {entered} cannot be entered", _own(entered)


def _writable(folder: Path) -> tuple[str, str | None] | None:
    for place in (folder, *folder.parents):  # mkdir cannot make a folder where a link to nothing stands
        if place.is_symlink() and not place.exists():
            return f"{place} is a link to {os.readlink(place)}, which does not exist", None
        if place.exists():
            break
    if folder.exists():
        if not folder.is_dir():
            return f"{folder} is a file, not a folder", None
        return _refused(folder, f"{folder}")
    for parent in folder.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{folder} cannot be made: {parent} is a file", None
            return _refused(parent, f"{folder} cannot be made: {parent}")
    return f"{folder} cannot be made", None


def _refused(place: Path, named: str) -> tuple[str, str | None] | None:
    """Why `place` takes no new file: a read-only file system (which no chmod fixes), its rights (a chmod,
    when it is the user's own), or another user's folder."""
    try:
        read_only = bool(os.statvfs(place).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    if read_only:
        return f"{named} is on a read-only file system", None
    if os.access(place, os.W_OK | os.X_OK):
        return None
    chmod = _own(place)
    return (f"{named} is not writable" if chmod else f"{named} is not writable (it is {_owner(place)}'s)"), chmod


def _own(place: Path) -> str | None:
    """`place`, when this user owns it (a chmod of theirs can open it), else None."""
    try:
        return str(place) if place.stat().st_uid == os.geteuid() else None
    except OSError:
        return None


def _owner(place: Path) -> str:
    import pwd

    try:
        uid = place.stat().st_uid
    except OSError:
        return "another user"
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user {uid}"


def folder(name: str, path: Path, env_var: str, extra: list[str]) -> Check:
    """A folder of mediatui's: writable, its room, and what `extra` says of its contents."""
    from humanize import naturalsize

    elsewhere = f"or set {env_var} to another folder"
    refused = writable(path)
    if refused is not None:
        why, chmod = refused
        fix = f"chmod u+rwx {chmod}, {elsewhere}" if chmod else f"move it away, {elsewhere}"
        if not chmod and ("cannot be entered" in why or "not writable (it is" in why):  # another user's
            fix = f"ask its owner or an administrator to open it to you, {elsewhere}"
        if "read-only file system" in why:
            fix = f"set {env_var} to a folder on a writable disk"
        return Check(name, False, inert(why), inert(fix))
    free = room(path)
    said = [str(path) if path.exists() else f"{path} (made at first use)", "writable"]
    if free is not None:
        said.append(f"{naturalsize(free)} free")
    said += extra
    if free is not None and free < LOW_ROOM:
        return Check(name, False, inert(", ".join(said)), inert(f"free some space there, {elsewhere}"))
    return Check(name, True, inert(", ".join(said)))


def server_of(settings: Settings) -> str | None:
    """The URL the journal and the trash are keyed by, or None when there is none usable."""
    from mediatui.api import InvalidInput
    from mediatui.api.client import normalize_base_url

    try:
        return normalize_base_url(settings.url) if settings.url else None
    except InvalidInput:
        return None


def state_folder(settings: Settings) -> Check:
    """The upload journal's and the history's folder, and the uploads `--resume` would take up."""
    from mediatui.localdb import LocalDataError
    from mediatui.upload.journal import ENV_STATE_DIR, count_resumable, journal_path, state_dir

    extra: list[str] = []
    server = server_of(settings)
    if server is not None:
        try:
            count = count_resumable(journal_path(server))
        except LocalDataError as exc:
            return Check("state folder", False, f"the upload journal: {inert(str(exc))}", "see the message")
        if count:
            plural = "s" if count > 1 else ""
            extra.append(f"{count} unfinished upload{plural} (mediatui upload --resume takes them up)")
        else:
            extra.append("no unfinished uploads")
    return folder("state folder", state_dir(), ENV_STATE_DIR, extra)


def data_folder(settings: Settings) -> Check:
    """The catalogue's and the trash's folder, and the trash's size when it is on."""
    from humanize import naturalsize

    from mediatui.community.trash import Trash, trash_mb
    from mediatui.media.catalogue import ENV_DATA_DIR, data_dir

    try:
        mb = trash_mb(settings.trash_mb)
    except ValueError as exc:  # the same refusal the other verbs make at start, said as a line here
        return Check("data folder", False, str(exc), "set MEDIATUI_TRASH_MB to a whole number of MB, or unset it")
    server = server_of(settings)
    if mb <= 0:
        extra = ["the trash is off"]
    elif server is None:
        extra = [f"the trash is on ({mb} MB)"]
    else:
        trash = Trash.for_server(server, mb, settings.trash_days)
        kept = trash.entries()
        size = sum(k.size for k in kept)
        extra = [f"the trash holds {len(kept)} file{'s' if len(kept) != 1 else ''}, {naturalsize(size)} of {mb} MB"]
    return folder("data folder", data_dir(), ENV_DATA_DIR, extra)

"""Local files: private from their creation, and every way they can be broken is a message, not a traceback."""

from __future__ import annotations

import os
import stat

import pytest

from mediatui.api import MediaType
from mediatui.localdb import LocalDataError
from mediatui.media.catalogue import Catalogue
from mediatui.upload.journal import Journal, new_entry
from mediatui.upload.preflight import UploadItem


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_wal_and_shm_are_0600_from_their_creation_and_the_folder_0700(tmp_path):
    folder = tmp_path / "state"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)  # an existing, too open folder
    old = os.umask(0o022)
    try:
        journal = Journal.for_server("https://x.example", folder)
        journal.save(new_entry(UploadItem(tmp_path / "a.png", 1, 1, MediaType.IMAGE, key="k")))
        files = sorted(folder.iterdir())
        assert {p.name.rsplit(".sqlite", 1)[1] for p in files} == {"", "-wal", "-shm"}
        assert all(mode(p) == 0o600 for p in files), [(p.name, oct(mode(p))) for p in files]
        assert mode(folder) == 0o700
        journal.close()
    finally:
        os.umask(old)


@pytest.mark.parametrize("breakage", ["folder-is-a-file", "parent-is-a-file", "corrupt", "unwritable"])
def test_a_broken_folder_or_file_is_a_message_naming_the_path(tmp_path, breakage):
    folder = tmp_path / "data"
    if breakage == "folder-is-a-file":
        folder.write_text("not a folder")
    elif breakage == "parent-is-a-file":
        (tmp_path / "file").write_text("x")
        folder = tmp_path / "file" / "data"
    elif breakage == "corrupt":
        Catalogue.for_server("https://x.example", folder).close()
        for path in folder.iterdir():
            path.write_bytes(b"this is not SQLite at all" * 100)
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes anywhere")
        folder.mkdir()
        os.chmod(folder, 0o500)
    with pytest.raises(LocalDataError) as caught:
        Catalogue.for_server("https://x.example", folder)
    message = str(caught.value)
    assert str(folder) in message and ("move it away" in message or "chmod" in message), message

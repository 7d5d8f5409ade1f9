"""The journal as `mediatui doctor` reads it: counted, and nothing made beside it (doctor never writes)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from mediatui.upload.journal import count_resumable, journal_path

#: Saves two queued entries and one completed, then dies as a killed upload does: its -wal file is left
#: behind, unmerged into the database.
KILLED_WRITER = """
import os, sys
from pathlib import Path
from mediatui.upload.journal import COMPLETED, QUEUED, Journal, new_entry
from mediatui.upload.preflight import UploadItem

folder = Path(sys.argv[1])
journal = Journal.for_server("http://127.0.0.1:9/", folder)
for state in (QUEUED, QUEUED, COMPLETED):
    entry = new_entry(UploadItem(folder / "a.png", 10, 1, "image"))
    entry.state = state
    journal.save(entry)
os._exit(0)
"""


def files(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mode, p.read_bytes()) for p in sorted(folder.iterdir())}


def test_a_journal_whose_writer_was_killed_is_counted_from_its_wal(tmp_path):
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(tmp_path)], check=True)
    path = journal_path("http://127.0.0.1:9/", tmp_path)
    assert path.with_name(path.name + "-wal").stat().st_size > 0  # the entries are in it, not in the file yet
    before = files(tmp_path)
    assert count_resumable(path) == 2
    assert files(tmp_path) == before


def test_a_journal_copied_without_its_shm_file_is_counted_and_none_is_made(tmp_path):
    """A -wal without its -shm (a state folder copied or restored from a backup, or an -shm removed): SQLite
    would make the -shm beside it to read the -wal."""
    subprocess.run([sys.executable, "-c", KILLED_WRITER, str(tmp_path / "killed")], check=True)
    path = journal_path("http://127.0.0.1:9/", tmp_path / "killed")
    copy = tmp_path / "copied"
    copy.mkdir()
    for name in (path.name, path.name + "-wal"):
        shutil.copy2(path.with_name(name), copy / name)
    before = files(copy)
    assert count_resumable(copy / path.name) == 2
    assert files(copy) == before

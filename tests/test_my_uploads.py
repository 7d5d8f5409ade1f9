"""Issue 25: `m` on the list shows only the media uploaded from this machine to this community.

What this machine uploaded is known locally: the catalogue records each upload it completed (CLI and app
alike), and the upload journal keeps completed entries (for uploads whose catalogue write was missed). The
server has no such filter, so the rows come from the catalogue, the ones it lacks fetched by id.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from helpers import cli_env, png_bytes
from mediatui.api import Media, MediaClient
from mediatui.community import Community
from mediatui.media.catalogue import catalogue_path
from mediatui.media.list_state import ListState
from mediatui.media.listing import SERVER, Filter, Listing
from mediatui.settings.config import Secret, Settings
from mediatui.upload import journal as J
from tui_helpers import make_app, settle, status, titles, wait_for


def upload(server, tmp_path, *names: str) -> list[int]:
    """`mediatui upload` of new pictures, as a moderator's script would: the media ids made."""
    paths = []
    for number, name in enumerate(names):
        path = tmp_path / "pics" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(png_bytes(20_000 + number))
        paths.append(str(path))
    env = cli_env(server, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "mediatui", "upload", *paths, "--json"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line)["id"] for line in done.stdout.splitlines()]


def test_the_filter_hides_what_is_not_mine_and_escape_clears_it_after_search_and_type():
    mine = Filter(mine=frozenset({3}))
    assert mine.hides(Media(id=4)) == "my uploads filter" and mine.hides(Media(id=3)) is None
    assert mine.describe() == "my uploads" and mine.active and not Filter().active
    state = ListState(50, 15)
    state.filter(Filter("image", "night", frozenset({3})))
    steps = []
    while (step := state.undo_step(pinned=1)) is not None:
        where, said = step
        steps.append(said)
        if where is None:
            break
        state.filter(where)
    assert steps[0].startswith("search") and "type filter next" in steps[0]
    assert steps[1].startswith("type filter") and "my uploads next" in steps[1]
    assert steps[2].startswith("my uploads filter cleared") and "pinned rows next" in steps[2]
    assert steps[3].startswith("1 pinned row")


def test_uploads_of_the_cli_and_the_journal_are_mine_and_listed_newest_first(sandbox, tmp_path):
    ids = upload(sandbox, tmp_path, "a.png", "b.png")
    community = Community(Settings(sandbox.url, Secret(sandbox.token)))
    assert community.my_upload_ids() == frozenset(ids)  # the catalogue knows them
    path = catalogue_path(sandbox.url)
    with sqlite3.connect(path) as db:  # as if the catalogue's write had been missed (a full disk, a kill)
        db.execute("DELETE FROM media WHERE id = ?", (ids[0],))
        db.execute("DELETE FROM uploaded WHERE id = ?", (ids[0],))
    assert community.my_upload_ids() == frozenset(ids)  # the journal's completed entry still says it
    with J.Journal.for_server(sandbox.url) as journal:
        assert {e.media_id for e in journal.entries((J.COMPLETED,))} == set(ids)
    with MediaClient(sandbox.url, sandbox.token) as client:
        listing = Listing(client, None, SERVER)
        mine = community.my_upload_ids()
        assert listing.fetch_mine(mine) == []  # the one missed, fetched by id and remembered as mine
        chunk = listing.page(0, 50, Filter(mine=mine))
        assert [m.id for m in chunk.media] == sorted(ids, reverse=True) and chunk.count == 2
        assert listing.page(0, 50, Filter("doc", None, mine)).count == 0  # with the type filter too
        listing.delete(ids[1])  # deleted from here: no longer one of mine, though the journal keeps it a week
        assert community.my_upload_ids() == frozenset({ids[0]})
        asked = len(sandbox.sandbox.request_log)
        assert listing.fetch_mine(community.my_upload_ids()) == [] and len(sandbox.sandbox.request_log) == asked
    community.close()


def test_an_upload_while_a_search_is_on_stays_mine_when_the_search_is_cleared():
    state = ListState(50, 15)
    state.filter(Filter(None, "night", frozenset({3})))
    state.added(Media(id=9, title="harbour"))
    where, _ = state.undo_step(pinned=0)
    assert where.mine == frozenset({3, 9})


@pytest.mark.smoke
async def test_m_shows_my_uploads_says_so_and_escape_clears_it(sandbox, tmp_path):
    ids = upload(sandbox, tmp_path, "harbour.png")
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert len(titles(app)) > 1
        await pilot.press("m")
        await wait_for(pilot, lambda: len(titles(app)) == 1, what="my upload only")
        await settle(pilot)
        assert app.screen.table.current.id == ids[0] and "my uploads" in status(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: len(titles(app)) > 1, what="every media again")
        assert "my uploads filter cleared" in status(app)


async def test_m_with_nothing_uploaded_from_here_says_so_and_filters_nothing(sandbox):
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = titles(app)
        await pilot.press("m")
        await wait_for(pilot, lambda: any("No uploads" in str(n.message) for n in app._notifications), what="said")
        assert titles(app) == shown and "my uploads" not in status(app)


async def test_keys_typed_after_m_wait_for_my_uploads(sandbox, tmp_path, monkeypatch):
    """`m j space` in one burst: the j and the space are for the rows of my uploads, not for the list under them
    (the two local files are read on a worker: here a slow disk, a fault, takes 0.5 s)."""
    import time

    ids = upload(sandbox, tmp_path, "a.png", "b.png")
    slow = Community.my_upload_ids

    def slowly(self):
        time.sleep(0.5)
        return slow(self)

    monkeypatch.setattr(Community, "my_upload_ids", slowly)
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("m", "j", "space")
        await wait_for(pilot, lambda: len(app.screen.state.marks) == 1, what="a mark")
        assert set(app.screen.state.marks.media) <= set(ids)


async def test_m_fetches_what_the_catalogue_lacks_once_not_on_every_filter_change(make_sandbox, tmp_path):
    """An upload the catalogue lacks and the server fails to give (500) was asked again, with retries, on every
    search or type change while `m` was on. Now once, when `m` is pressed, and `m` says it could not be fetched."""

    server = make_sandbox(seed=5)
    ids = upload(server, tmp_path, "a.png", "b.png")
    with sqlite3.connect(catalogue_path(server.url)) as db:  # missed: the journal alone knows the first
        db.execute("DELETE FROM media WHERE id = ?", (ids[0],))
        db.execute("DELETE FROM uploaded WHERE id = ?", (ids[0],))
    faults = server.config.faults
    faults.only_path, faults.only_method, faults.fail_rate = f"/api/v2/media/{ids[0]}/", "GET", 1.0
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        said = lambda: "could not be fetched" in status(app) and len(titles(app)) == 1  # noqa: E731
        await wait_for(pilot, said, what="said, the other one shown")  # the status may be drawn before the rows
        asked = faults.matched
        await pilot.press("slash", *"zzz", "enter")
        await settle(pilot)
        await pilot.press("escape")  # the search goes; my uploads stay
        await wait_for(pilot, lambda: len(titles(app)) == 1, what="the search cleared")
        await settle(pilot)
        assert faults.matched == asked


async def test_a_damaged_catalogue_row_is_skipped_and_the_link_is_not_blamed(sandbox, tmp_path):
    """A row whose JSON the file no longer holds used to read as "Cannot connect … check --url and the token"."""
    ids = upload(sandbox, tmp_path, "a.png", "b.png")
    with sqlite3.connect(catalogue_path(sandbox.url)) as db:
        db.execute("UPDATE media SET data = 'not json' WHERE id = ?", (ids[0],))
    app = make_app(sandbox)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: len(titles(app)) == 1, what="the row that is whole")
        assert "disconnected" not in app.sub_title and "connect" not in status(app).lower()

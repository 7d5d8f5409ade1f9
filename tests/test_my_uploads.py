"""Issue 25: `m` on the list shows only the media uploaded from this machine to this community.

What this machine uploaded is known locally: the catalogue records each upload it completed (CLI and app
alike), and the upload journal keeps completed entries (for uploads whose catalogue write was missed). The
server has no such filter, so the rows come from the catalogue, the ones it lacks fetched by id.
"""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import cli_env, png_bytes
from mediatui.api import Media, MediaClient
from mediatui.community import Community
from mediatui.media.catalogue import Catalogue
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
    with Catalogue.for_server(sandbox.url) as catalogue:  # as if the catalogue had missed one
        catalogue.remove(ids[0])
    assert community.my_upload_ids() == frozenset(ids)  # the journal's completed entry still says it
    with J.Journal.for_server(sandbox.url) as journal:
        assert {e.media_id for e in journal.entries((J.COMPLETED,))} == set(ids)
    with MediaClient(sandbox.url, sandbox.token) as client:
        listing = Listing(client, None, SERVER)
        chunk = listing.page(0, 50, Filter(mine=community.my_upload_ids()))
        assert [m.id for m in chunk.media] == sorted(ids, reverse=True) and chunk.count == 2  # fetched the one missed
        assert listing.page(0, 50, Filter("doc", None, frozenset(ids))).count == 0  # with the type filter too
    community.close()


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

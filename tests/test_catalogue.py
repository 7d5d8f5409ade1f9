"""The local catalogue and id parsing: the data behind catalogue mode, without the TUI."""

import json

import pytest

from mediatui import cli
from mediatui.api import Media, MediaClient
from mediatui.media.catalogue import MAX_IDS, Catalogue, catalogue_path, parse_ids
from mediatui.media.listing import CATALOGUE, Filter, Listing


def test_parse_ids():
    assert parse_ids("12, 15, 20-23") == [12, 15, 20, 21, 22, 23]
    assert parse_ids(" 3 3,1 ") == [3, 1]
    for bad, why in [
        ("", "type one or more"),
        ("abc", "not an id"),
        ("5-2", "low-high"),
        ("0", "start at 1"),
        ("1-5000", f"at most {MAX_IDS}"),
        ("1;2", "not an id"),
    ]:
        with pytest.raises(ValueError, match=why):
            parse_ids(bad)


def test_catalogue_pages_filters_and_gone(tmp_path):
    catalogue = Catalogue(tmp_path / "c.sqlite")
    for n in range(1, 6):
        catalogue.record(
            Media.from_json(
                {
                    "id": n,
                    "type": "image" if n % 2 else "doc",
                    "title": f"t{n} 100%",
                    "added_at": f"2026-11-0{n}T00:00:00Z",
                }
            )
        )
    count, media = catalogue.page(2, 0)
    assert count == 5 and [m.id for m in media] == [5, 4]
    assert [m.id for m in catalogue.page(10, 0, type="doc")[1]] == [4, 2]
    assert catalogue.page(10, 0, search="100%")[0] == 5 and catalogue.page(10, 0, search="_")[0] == 0
    catalogue.mark_gone(3)
    assert catalogue.gone_ids([1, 3]) == {3}
    catalogue.record(Media.from_json({"id": 3, "title": "back"}))
    assert catalogue.gone_ids([3]) == set()
    catalogue.remove(3)
    assert catalogue.page(10, 0)[0] == 4


def test_one_catalogue_per_server(tmp_path):
    a = catalogue_path("https://a.example.com", tmp_path)
    b = catalogue_path("https://b.example.com", tmp_path)
    assert a != b and a.name.startswith("catalogue-a.example.com-")


def test_listing_in_catalogue_mode(make_sandbox, tmp_path):
    server = make_sandbox(seed=5, listing=False)
    with MediaClient(server.url, server.token) as client:
        listing = Listing(client, Catalogue(tmp_path / "c.sqlite"), CATALOGUE)
        found, missing, failed = listing.open_ids([1, 2, 99])
        assert [m.id for m in found] == [1, 2] and missing == [99] and failed == []
        assert listing.page(0, 50, Filter()).count == 2
        client.delete(2)
        assert listing.refresh(2) is None
        assert listing.page(0, 50, Filter()).gone == frozenset({2})


def test_cli_remembers_what_it_created_and_opened(sandbox, monkeypatch, capsys):
    monkeypatch.setenv("MEDIATUI_URL", sandbox.url)
    monkeypatch.setenv("MEDIATUI_TOKEN", sandbox.token)
    assert cli.main(["create", "url", "--media-url", "https://example.com/r", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)["id"]
    assert cli.main(["get", "3"]) == 0
    catalogue = Catalogue.for_server(sandbox.url)
    assert sorted(m.id for m in catalogue.page(10, 0)[1]) == [3, created]


def test_local_files_are_private(tmp_path):
    from mediatui.upload import Journal

    for db in (Catalogue.for_server("https://x.example", tmp_path), Journal.for_server("https://x.example", tmp_path)):
        assert db.path.stat().st_mode & 0o777 == 0o600
        assert db.path.parent.stat().st_mode & 0o077 == 0
        db.close()


def test_opening_an_id_the_server_answers_with_another_media_opens_nothing(tmp_path):
    """`o30⏎d`: the d is for #30. A server that answers #30 with no id, or another one, must not make some other
    media current (the list then drops the keys typed after, as for an id not found)."""
    from hostile_server import HostileServer, media, send_json
    from mediatui.api import MediaClient

    with HostileServer() as server:
        server.route("GET", "/api/v2/media/30/", lambda h: send_json(h, 200, media(None)))
        server.route("GET", "/api/v2/media/31/", lambda h: send_json(h, 200, media(118)))
        server.route("GET", "/api/v2/media/32/", lambda h: send_json(h, 200, media(32)))
        with MediaClient(server.url, "t") as client:
            listing = Listing(client, Catalogue(tmp_path / "c.sqlite"), CATALOGUE)
            found, missing, failed = listing.open_ids([30, 31, 32])
    assert [m.id for m in found] == [32] and missing == []
    assert [(i, why) for i, why in failed] == [
        (30, "the server answered #30 with a media without an id"),
        (31, "the server answered #31 with #118"),
    ]


def test_ids_opened_together_are_asked_for_side_by_side(make_sandbox, tmp_path):
    """`o 3, 5-7` on a laggy link: four GETs one after another outlast the time keys typed after them may wait
    (the tmux session saw them dropped at 300 ms a request). They are in flight together, and answer in order."""
    import threading

    from mediatui.sandbox import Faults

    faults = Faults(only_method="GET", only_path="/api/v2/media/", latency_ms=60_000)
    server = make_sandbox(seed=10, faults=faults)
    with MediaClient(server.url, server.token) as client:
        listing = Listing(client, Catalogue(tmp_path / "c.sqlite"), CATALOGUE)
        answer = []
        opening = threading.Thread(target=lambda: answer.append(listing.open_ids([7, 3, 5, 99])))
        opening.start()
        from helpers import wait_until

        wait_until(lambda: len(faults.held) == 4, timeout=10, what="four requests in flight")
        assert len(faults.held) == 4  # all four in flight at once
        faults.release.set()
        opening.join(10)
    [(found, missing, failed)] = answer
    assert [m.id for m in found] == [7, 3, 5] and missing == [99] and failed == []


def test_a_full_data_folder_never_hides_what_the_server_did(make_sandbox, tmp_path, monkeypatch):
    """The catalogue is bookkeeping: a GET still gives its media, and a DELETE the server did is reported
    done, when the catalogue cannot record them (it catches up on the next answer)."""
    from helpers import FullDisk

    server = make_sandbox(seed=3)
    with MediaClient(server.url, server.token) as client:
        listing = Listing(client, Catalogue(tmp_path / "data" / "c.sqlite"), CATALOGUE)
        FullDisk(monkeypatch, tmp_path / "data").on()
        assert listing.refresh(1).id == 1
        assert listing.open_ids([2, 99]) == ([client.get(2)], [99], [])
        listing.delete(3)
        assert sorted(m.id for m in client.list().results) == [1, 2]

"""Light on the wire: a cursor move repaints only what changed (the detail panel's lines, the two table rows).

Byte counts belong to `bench/terminal.py` (a real pty); these tests pin the
behaviour that keeps them low: which lines and rows are marked for repainting.
"""

from __future__ import annotations

import json
import subprocess
import sys

from mediatui.settings.config import Secret, Settings
from mediatui.tui.app import MediaTuiApp
from tui_helpers import NOW, detail, make_app, settle


def _text_only_app(server) -> MediaTuiApp:
    """Without the picture preview: these tests pin the text panel's own repaints.

    (A preview whose height or scrollbar changes from one media to the next re-lays the panel
    out and repaints every line: bench/terminal.py shows that cost separately.)
    """
    return MediaTuiApp(Settings(server.url, Secret(server.token), preview="off"), clock=lambda: NOW)


def _texts(body) -> list[str]:
    return [strip.text for strip in body.lines()]


async def test_detail_repaints_only_the_lines_that_changed(make_sandbox):
    server = make_sandbox(seed=40)
    app = _text_only_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        body = app.screen.query_one("#detail-body")
        rows = [table.rows_media[int(r.key.value)] for r in table.ordered_rows]
        # two media of one type: the same fields, other values
        at, to = next((i, j) for i in range(len(rows)) for j in range(i + 1, len(rows)) if rows[i].type == rows[j].type)
        table.move_cursor(row=at)
        await settle(pilot)
        before = _texts(body)
        assert before and body.size.height >= len(before)
        table.move_cursor(row=to)
        await settle(pilot)
        after = _texts(body)
        shown = rows[to]
        assert f"id                    {shown.id}" in detail(app)  # another media shows its own values
        assert body.repainted is not None, "the panel was laid out and repainted whole"
        changed = [
            y
            for y in range(max(len(before), len(after)))
            if (before[y : y + 1] or [""])[0].rstrip() != (after[y : y + 1] or [""])[0].rstrip()
        ]
        assert body.repainted == changed  # exactly the lines whose text differs
        assert 0 in changed  # the id line
        assert len(changed) < len(after)  # labels that kept their values were not written again
        for y in set(range(len(after))) - set(changed):
            assert before[y] == after[y]


async def test_same_media_again_repaints_nothing_and_z_keeps_working(make_sandbox):
    server = make_sandbox(seed=40)
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        body = app.screen.query_one("#detail-body")
        panel = app.screen.query_one("#detail")
        media = app.screen.table.current
        body.repainted = ["sentinel"]
        panel.show(media, app.clock(), note=None)  # what the debounce does when the cursor comes back
        assert body.repainted == ["sentinel"]
        await pilot.press("z")
        await settle(pilot)
        assert "keywords" in detail(app) and "null" in detail(app)
        await pilot.press("z")
        await settle(pilot)
        assert "keywords" not in detail(app) and "empty fields hidden (z shows them)" in detail(app)


async def test_cursor_move_repaints_two_table_rows(make_sandbox):
    """DataTable repainted the mouse's hover row (row 0) on every key, though no hover cursor was shown."""
    server = make_sandbox(seed=40)
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#table")
        table.move_cursor(row=5)
        await settle(pilot)
        refreshed: list[int] = []
        original = table.refresh_row

        def spy(row_index: int):  # noqa: ANN202
            refreshed.append(row_index)
            return original(row_index)

        table.refresh_row = spy
        await pilot.press("down")
        await settle(pilot)
        assert sorted(set(refreshed)) == [5, 6]


def loaded_after(imports: str, watched: tuple[str, ...]) -> list[str]:
    """Which of `watched` a fresh interpreter holds after running `imports`."""
    code = f"import json, sys; {imports}; print(json.dumps(sorted(m for m in {watched!r} if m in sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_app_starts_without_the_network_stack():
    """httpx, SQLite and the upload engine load off the main thread (connect) or on first use (u).

    None of them before the first paint.
    """
    watched = (
        "httpx",
        "httpcore",
        "sqlite3",
        "mediatui.upload.engine",
        "mediatui.tui.uploads",
        "mediatui.media.catalogue",
    )
    assert (
        loaded_after("from mediatui.settings.config import Settings; from mediatui.tui.app import MediaTuiApp", watched)
        == []
    )


def test_the_command_line_loads_no_http_client_before_the_tui():
    """`mediatui` parses every verb's flags on each start: httpx, the upload engine and rich's bars load

    when a verb runs, not before the TUI (~70 ms of its first frame). Page one is fetched by a forked
    child (mediatui.runtime.first_page), which loads httpx itself.
    """
    watched = ("httpx", "httpcore", "mediatui.upload.engine", "mediatui.upload.session", "rich.progress")
    assert loaded_after("import mediatui.cli, mediatui.runtime.first_page; mediatui.cli.build_parser()", watched) == []

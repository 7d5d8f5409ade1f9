"""Kitty graphics in the running app: sent once outside the compositor, named by placeholder cells, then freed.

What the terminal receives is read from the driver (the headless driver of `run_test` drops it, so each test
records its `write`), and what the screen shows from Textual's own full frame, as the terminal would get it.
"""

from __future__ import annotations

import io
import re
import threading

import pytest

from hostile_server import HostileServer, send
from mediatui.api import MediaClient
from mediatui.pictures.graphics_kitty import PLACEHOLDER, delete
from mediatui.settings.config import Secret, Settings
from mediatui.tui.app import MediaTuiApp
from mediatui.tui.widgets.media_preview import MediaPreview
from test_preview_screen import go_to, own_media, pictures_from
from tui_helpers import NOW, plain, settle, wait_for

COMMAND = re.compile(r"\x1b_G([a-zA-Z0-9=,]*)(?:;([A-Za-z0-9+/=]*))?\x1b\\")


def kitty_app(server, preview: str) -> MediaTuiApp:
    # The pictures come from a loopback file server that stands for a public one: allowed as preview_hosts does.
    settings = Settings(server.url, Secret(server.token), preview=preview, preview_hosts=("127.0.0.1",))
    return MediaTuiApp(settings, clock=lambda: NOW)


def record(app) -> list[str]:
    sent: list[str] = []
    app._driver.write = sent.append  # the bytes that bypass the compositor go through here
    return sent


def frame(app) -> str:
    """The whole screen as the terminal would receive it, escape codes included.

    Each style's codes are made afresh for the app's colour system: rich keeps them on the style, and a style
    shared with an earlier test that rendered truecolor would otherwise bring that test's codes.
    """
    from textual.strip import Strip

    system = app.console._color_system
    return "\n".join(
        "".join(f"\x1b[{Strip.render_ansi(style, system)}m{text}\x1b[0m" if style else text for text, style, _ in strip)
        for strip in app.screen._compositor.render_strips()
    )


def transmissions(sent: list[str]) -> list[int]:
    return [int(c.split("i=")[1].split(",")[0]) for c, _ in COMMAND.findall("".join(sent)) if c.startswith("a=T")]


def named_ids(app) -> set[int]:
    """The image ids the placeholder cells of the frame name: colour (24-bit or 256) and the third diacritic."""
    from mediatui.pictures.graphics_kitty import DIACRITICS

    found = set()
    for sgr, high in re.findall(r"\x1b\[([0-9;]*)m\U0010eeee..(.)", frame(app)):
        codes = sgr.split(";")
        at = codes.index("38")
        low = int(codes[at + 4]) if codes[at + 1] == "2" else int(codes[at + 2])
        if codes[at + 1] == "2":
            assert codes[at + 2 : at + 4] == ["0", "0"]
        found.add((DIACRITICS.index(ord(high)) << 24) | low)
    return found


@pytest.mark.parametrize("env", [{"COLORTERM": "truecolor"}, {"TERM": "xterm-kitty", "COLORTERM": None}])
async def test_a_kitty_picture_is_sent_once_drawn_as_placeholders_and_deleted_on_moving_on(
    make_sandbox, monkeypatch, env
):
    for name, value in env.items():
        monkeypatch.setenv(name, value) if value else monkeypatch.delenv(name, raising=False)
    server = make_sandbox(seed=12)
    with HostileServer() as files:
        first, second = pictures_from(files, server, 2)
        app = kitty_app(server, "kitty")
        async with app.run_test(size=(120, 40)) as pilot:
            sent = record(app)
            browse = app.screen
            preview = browse.query_one(MediaPreview)
            await settle(pilot)
            await go_to(pilot, first)
            await wait_for(pilot, lambda: PLACEHOLDER in frame(app), what="the picture")
            await settle(pilot)
            [shown] = named_ids(app)  # every placeholder on screen names the one image…
            assert transmissions(sent).count(shown) == 1 and transmissions(sent)[-1] == shown  # …sent once
            before = len(transmissions(sent))
            [(control, _)] = [c for c in COMMAND.findall("".join(sent)) if f"i={shown}," in c[0]]
            cols, rows = (int(re.search(f"{key}=(\\d+)", control)[1]) for key in "cr")
            assert frame(app).count(PLACEHOLDER) == cols * rows  # the placement's every cell, once
            assert "▀" not in frame(app)
            assert app.console.color_system == ("truecolor" if env.get("COLORTERM") else "256")
            for _ in range(3):  # redrawn, refreshed: never sent again
                preview.refresh()
                await settle(pilot)
            assert len(transmissions(sent)) == before
            whole = frame(app).count(PLACEHOLDER)
            await pilot.press("d")  # a dialog over the list, then closed: the cells come back as they were
            await wait_for(pilot, lambda: app.screen is not browse, what="the dialog")
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is browse, what="the list again")
            await settle(pilot)
            assert frame(app).count(PLACEHOLDER) == whole and named_ids(app) == {shown}
            assert len(transmissions(sent)) == before and delete(shown) not in "".join(sent)

            await go_to(pilot, second)  # moving on frees the first in the terminal
            await wait_for(pilot, lambda: len(transmissions(sent)) == before + 1, what="the second picture")
            assert delete(shown) in "".join(sent)
            other = transmissions(sent)[-1]
            assert other != shown
            await settle(pilot)
            assert named_ids(app) == {other}

            await pilot.press("P")  # off: the terminal forgets it, nothing on screen names it
            await settle(pilot)
            assert delete(other) in "".join(sent) and PLACEHOLDER not in frame(app)
            await pilot.press("P")  # on again, the profile's way
            await wait_for(pilot, lambda: len(transmissions(sent)) == before + 2, what="the picture again")
            last = transmissions(sent)[-1]
        assert delete(last) in "".join(sent)  # quitting frees what was still shown
        everything = "".join(sent)  # Textual itself writes a few sequences here too (the pointer's shape)
        assert everything.count("\x1b_") == len(COMMAND.findall(everything))  # every APC is a whole one of ours
        keys = re.compile(r"(?:(?:[a-zA-Z]=\d+|a=[Td]|d=I),?)+")
        assert not [c for c in control_keys(sent) if not keys.fullmatch(c)]  # numbers of ours, nothing else


async def picture_shown(pilot, app, media_id: int) -> list[str]:
    """Record what the app writes, go to the media, and wait for its picture in the panel's slot."""
    sent = record(app)
    await settle(pilot)
    await go_to(pilot, media_id)
    await wait_for(pilot, lambda: PLACEHOLDER in frame(app), what="the picture in the slot")
    return sent


def control_keys(sent: list[str]) -> list[str]:
    return [c for c, _ in COMMAND.findall("".join(sent))]


async def test_the_full_screen_picture_is_kitty_too_and_freed_on_closing(make_sandbox, monkeypatch):
    from mediatui.tui.screens.preview_modal import PreviewModal

    monkeypatch.setenv("COLORTERM", "truecolor")
    server = make_sandbox(seed=12)
    with HostileServer() as files:
        [media_id] = pictures_from(files, server, 1)
        app = kitty_app(server, "kitty")
        async with app.run_test(size=(120, 40)) as pilot:
            sent = await picture_shown(pilot, app, media_id)
            await settle(pilot)
            [small] = named_ids(app)
            before = len(transmissions(sent))
            await pilot.press("p")
            await wait_for(
                pilot,
                lambda: isinstance(app.screen, PreviewModal) and len(transmissions(sent)) == before + 1,
                what="the full-screen picture",
            )
            await settle(pilot)
            big = transmissions(sent)[-1]
            assert named_ids(app) == {big}
            await pilot.press("escape")
            await settle(pilot)
            assert delete(big) in "".join(sent)
            assert delete(small) not in "".join(sent)  # the slot still shows its own
            assert named_ids(app) == {small}


@pytest.mark.parametrize(
    "term, codes, never",
    [("xterm-256color", r"\x1b\[[0-9;]*38;5;\d+", "38;2;"), ("xterm", r"\x1b\[[0-9;]*3[0-7]", "38;")],
)
async def test_without_truecolor_or_kitty_auto_draws_half_blocks_in_the_colours_there_are(
    make_sandbox, monkeypatch, term, codes, never
):
    monkeypatch.setenv("TERM", term)
    monkeypatch.delenv("COLORTERM", raising=False)
    for name in ("KITTY_WINDOW_ID", "TERM_PROGRAM", "GHOSTTY_RESOURCES_DIR", "TMUX"):
        monkeypatch.delenv(name, raising=False)
    server = make_sandbox(seed=12)
    with HostileServer() as files:
        [media_id] = pictures_from(files, server, 1)
        app = kitty_app(server, "auto")
        async with app.run_test(size=(120, 40)) as pilot:
            sent = record(app)
            await settle(pilot)
            await go_to(pilot, media_id)
            await wait_for(pilot, lambda: "▀" in frame(app), what="the half blocks")
            shown = frame(app)
            assert sent == [] and PLACEHOLDER not in shown
            assert re.search(codes, shown) and never not in shown


async def test_auto_in_a_headless_app_ignores_the_terminal_the_tests_run_in(make_sandbox, monkeypatch):
    from mediatui.tui.widgets.media_preview import drawing_mode

    monkeypatch.setenv("TERM", "xterm-kitty")
    monkeypatch.setenv("KITTY_WINDOW_ID", "1")
    server = make_sandbox(seed=1)
    for setting, drawn in (("auto", "halfblock"), ("kitty", "kitty")):
        app = kitty_app(server, setting)
        async with app.run_test(size=(120, 40)):
            assert drawing_mode(app, app.previews.mode) == drawn


def test_a_profile_takes_kitty_and_names_the_modes_it_takes(tmp_path):
    from mediatui.settings.profiles import ConfigError, load

    path = tmp_path / "config.toml"
    path.write_text('[profiles.k]\nurl = "https://x.example"\ntoken = "t"\npreview = "kitty"\n')
    assert load(path).profiles["k"].preview == "kitty"
    path.write_text('[profiles.k]\nurl = "https://x.example"\ntoken = "t"\npreview = "sixel"\n')
    with pytest.raises(ConfigError) as caught:
        load(path)
    message = str(caught.value)
    assert "profiles.k.preview must be one of" in message and "'sixel'" in message
    assert all(mode in message for mode in ("auto", "kitty", "halfblock", "off"))


async def quit_for_real(pilot) -> None:
    """`q` as a real run handles it: the message loop ends (the app marked closed) before the screens unmount."""
    import asyncio

    app = pilot.app
    await pilot.press("q")
    for _ in range(2000):
        if app._task is not None and app._task.done():
            break
        await asyncio.sleep(0.005)
    assert app._closed and not app.is_running


async def test_quitting_for_real_deletes_every_picture_while_the_terminal_still_listens(make_sandbox, monkeypatch):
    monkeypatch.setenv("COLORTERM", "truecolor")
    server = make_sandbox(seed=12)
    with HostileServer() as files:
        [media_id] = pictures_from(files, server, 1)
        app = kitty_app(server, "kitty")
        async with app.run_test(size=(120, 40)) as pilot:
            sent = await picture_shown(pilot, app, media_id)
            [shown] = transmissions(sent)
            await quit_for_real(pilot)
            assert delete(shown) in "".join(sent)  # sent before the driver stopped, not at unmount (too late)
        assert "".join(sent).count(delete(shown)) == 1


async def test_an_app_that_showed_kitty_pictures_is_freed_when_it_ends(make_sandbox, monkeypatch):
    import asyncio
    import gc

    monkeypatch.setenv("COLORTERM", "truecolor")
    server = make_sandbox(seed=12)
    with HostileServer() as files:
        [media_id] = pictures_from(files, server, 1)
        gone = await run_kitty_and_quit(server, media_id)
    for _ in range(3):  # the callbacks Textual's ending left on the loop
        await asyncio.sleep(0)
    gc.collect()
    assert gone() is None  # nothing (the record of the terminal's images above all) keeps it alive


async def run_kitty_and_quit(server, media_id: int):
    import weakref

    app = kitty_app(server, "kitty")
    async with app.run_test(size=(120, 40)) as pilot:
        sent = await picture_shown(pilot, app, media_id)
        assert transmissions(sent)
        await quit_for_real(pilot)
    return weakref.ref(app)


def big_picture(files, server) -> int:
    """A media whose picture (1200×600) is larger than the screen, so that each zoom draws it larger."""
    from PIL import Image

    image = Image.linear_gradient("L").resize((1200, 600)).convert("RGB")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    data = buf.getvalue()
    files.route("GET", "/big.png", lambda h: send(h, 200, data, "image/png"))
    [media_id] = own_media(server, 1)
    with MediaClient(server.url, server.token) as client:
        client.patch(media_id, {"image": f"{files.url}/big.png"})
    return media_id


def facts(app) -> str:
    return plain(app.screen.query_one("#preview-facts").content)


async def open_full_screen(pilot, media_id: int) -> None:
    from mediatui.tui.screens.preview_modal import PreviewModal

    app = pilot.app
    await settle(pilot)
    await go_to(pilot, media_id)
    await wait_for(pilot, lambda: app.screen.query_one(MediaPreview).content, what="the slot")
    await settle(pilot)
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(app.screen, PreviewModal) and "px" in facts(app), what="the picture")
    await settle(pilot)


def decodes_running() -> int:
    """Decodes still in their threads (a thread ends after its result is handed to the UI loop)."""
    return sum(t.name == "mediatui-preview" and t.is_alive() for t in threading.enumerate())


@pytest.mark.parametrize("late", ["after the current one", "while the current one loads"])
async def test_a_zoom_result_that_arrives_late_is_dropped(make_sandbox, monkeypatch, late):
    """+ twice quickly: the 2× decode finishing last (or first, while 4× still loads) never shows nor sends."""
    import mediatui.tui.screens.preview_modal as screen_module

    monkeypatch.setenv("COLORTERM", "truecolor")
    real = screen_module.picture
    calls: list[int] = []
    gates = {2: threading.Event(), 3: threading.Event()}  # the 2nd decode (2×) and the 3rd (4×) wait for these

    def slow_decode(data, cols, rows, **kw):  # a fault: a decode that takes as long as the test says
        calls.append(cols)
        gate = gates.get(len(calls))
        if gate is not None:
            gate.wait(10)
        return real(data, cols, rows, **kw)

    monkeypatch.setattr(screen_module, "picture", slow_decode)
    server = make_sandbox(seed=12)
    with HostileServer() as files:
        media_id = big_picture(files, server)
        app = kitty_app(server, "kitty")
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                sent = record(app)
                await open_full_screen(pilot, media_id)
                screen = app.screen
                first = transmissions(sent)[-1]
                before = len(transmissions(sent))
                if late == "after the current one":
                    gates[3].set()
                await pilot.press("plus", "plus")
                if late == "after the current one":
                    await wait_for(pilot, lambda: len(transmissions(sent)) == before + 1, what="the 4× picture")
                    gates[2].set()
                    await wait_for(pilot, lambda: decodes_running() == 0, what="the late 2× decode")
                    for _ in range(3):  # its result, handed to the loop, is handled
                        await pilot.pause()
                else:
                    await wait_for(pilot, lambda: len(calls) == 3, what="both decodes started")
                    gates[2].set()
                    await wait_for(pilot, lambda: decodes_running() == 1, what="the 2× decode to end")
                    for _ in range(3):
                        await pilot.pause()
                    assert screen.pending()  # the 4× decode still runs: still loading
                    assert len(transmissions(sent)) == before and named_ids(app) == {first}  # 2× never shown
                    gates[3].set()
                    await wait_for(pilot, lambda: len(transmissions(sent)) == before + 1, what="the 4× picture")
                await settle(pilot)
                assert not screen.pending()
                assert len(transmissions(sent)) == before + 1  # the 4× picture alone was sent
                current = transmissions(sent)[-1]
                assert named_ids(app) == {current} and delete(current) not in "".join(sent)
                [(control, _)] = [c for c in COMMAND.findall("".join(sent)) if f"i={current}," in c[0]]
                assert "c=297," in control  # the 4× picture (as wide as a placement goes), not the 2×
        finally:
            for gate in gates.values():
                gate.set()


@pytest.mark.parametrize(
    "mode, labels", [("kitty", ["zoom 1×", "zoom 2×", "zoom 2.5×"]), ("halfblock", ["zoom 1×", "zoom 2×", "zoom 4×"])]
)
async def test_the_zoom_label_says_how_much_larger_the_picture_really_is(make_sandbox, monkeypatch, mode, labels):
    """At 120 columns a Kitty placement (297 cells at most) makes 4× about 2.5×: the label says 2.5×."""
    monkeypatch.setenv("COLORTERM", "truecolor")
    server = make_sandbox(seed=12)
    with HostileServer() as files:
        media_id = big_picture(files, server)
        app = kitty_app(server, mode)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_full_screen(pilot, media_id)
            seen = [facts(app)]
            for _ in range(2):
                await pilot.press("plus")
                await wait_for(pilot, lambda b=seen[-1]: not app.screen.pending() and facts(app) != b, what="zoom")
                seen.append(facts(app))
            assert [label for text in seen for label in re.findall(r"zoom [0-9.]+×", text)] == labels


async def test_with_no_color_pictures_are_half_blocks_never_kitty(make_sandbox, monkeypatch):
    """NO_COLOR greys every colour, and a grey placeholder names no picture: half blocks, nothing sent."""
    from mediatui.tui.widgets.media_preview import drawing_mode

    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.setenv("NO_COLOR", "1")
    server = make_sandbox(seed=12)
    with HostileServer() as files:
        [media_id] = pictures_from(files, server, 1)
        app = kitty_app(server, "kitty")
        async with app.run_test(size=(120, 40)) as pilot:
            assert app.no_color
            sent = record(app)
            assert drawing_mode(app, app.previews.mode) == "halfblock"
            await settle(pilot)
            await go_to(pilot, media_id)
            await wait_for(pilot, lambda: "▀" in frame(app), what="the half blocks")
            assert PLACEHOLDER not in frame(app) and not transmissions(sent)

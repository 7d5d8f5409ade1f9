"""One measurement of the list screen, in a fresh process (bench/list.py runs it several times).

Modes:
  paint-bare             process start → first paint of a bare Textual app (Header + DataTable + Footer)
  paint-app URL          process start → first paint of mediatui's list screen
  scroll URL             first rows visible, key latency while pages load, RSS after scrolling 5 pages
"""

import time

START = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

from textual import events  # noqa: E402
from textual.app import App  # noqa: E402
from textual.widgets import DataTable, Footer, Header  # noqa: E402

TOKEN = "sandbox-token"
SIZE = (100, 30)


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_ready(self) -> None:  # sent once the first screen has been rendered
        self.exit(time.perf_counter() - START)


def app_class():
    from mediatui.tui.app import MediaTuiApp

    class Probe(MediaTuiApp):
        def on_ready(self) -> None:
            self.exit(time.perf_counter() - START)

    return Probe


async def scroll(url: str) -> dict:
    from mediatui.settings.config import Secret, Settings
    from mediatui.tui.app import MediaTuiApp

    app = MediaTuiApp(Settings(url, Secret(TOKEN)))
    result: dict = {}
    async with app.run_test(size=SIZE):
        started = time.perf_counter()
        table = None
        while True:
            await asyncio.sleep(0.001)
            table = app.screen.query("#table").first() if app.screen.query("#table") else None
            if table is not None and table.row_count:
                break
        result["first_rows_s"] = time.perf_counter() - started
        # A key is posted as the terminal would send it; its wait is the time until the cursor moved.
        # Meanwhile a ticker measures how late the event loop runs (what any key would wait).
        lags: list[float] = []
        stop = asyncio.Event()

        async def ticker() -> None:
            while not stop.is_set():
                t = time.perf_counter()
                await asyncio.sleep(0.002)
                lags.append(time.perf_counter() - t - 0.002)

        tick = asyncio.create_task(ticker())
        waits = []
        last = min(249, app.screen.total - 1)  # five pages of 50, or all there is
        while table.cursor_row < last:
            row = table.cursor_row
            t = time.perf_counter()
            app.post_message(events.Key("j", "j"))
            while table.cursor_row == row and time.perf_counter() - t < 5:
                await asyncio.sleep(0)
            waits.append(time.perf_counter() - t)
            await asyncio.sleep(0.02)  # a fast typist's key repeat: 50 keys a second
        stop.set()
        await tick
        result["max_key_wait_ms"] = max(waits) * 1000
        result["median_key_wait_ms"] = sorted(waits)[len(waits) // 2] * 1000
        result["max_loop_lag_ms"] = max(lags) * 1000
        result["rows"] = table.row_count
        result["rss_mb"] = rss_mb()
    return result


def main() -> None:
    mode = sys.argv[1]
    with tempfile.TemporaryDirectory() as data:
        import os

        os.environ["MEDIATUI_DATA_DIR"] = data
        if mode == "paint-bare":
            print(json.dumps({"paint_s": Bare().run(headless=True, size=SIZE)}))
        elif mode == "paint-app":
            from mediatui.settings.config import Secret, Settings

            cls = app_class()
            print(json.dumps({"paint_s": cls(Settings(sys.argv[2], Secret(TOKEN))).run(headless=True, size=SIZE)}))
        elif mode == "scroll":
            print(json.dumps(asyncio.run(scroll(sys.argv[2]))))


if __name__ == "__main__":
    main()

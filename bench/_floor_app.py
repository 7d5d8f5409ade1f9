"""The fair floor for bench/terminal.py: the least a Textual app can do to show page one from the network.

Header + DataTable + Footer, like the bare app, but its rows come from the server: on mount a plain
thread loads httpx and asks for page one (GET /api/v2/media/?limit=50&offset=0 with the token), and
the rows go into the table as soon as they come. No tricks (no child process, no gc tuning), and no
mediatui. Run: python bench/_floor_app.py URL
"""

import sys
import threading

from rich.text import Text
from textual.app import App
from textual.widgets import DataTable, Footer, Header

URL = sys.argv[1]


def title(media: dict) -> str:
    """Like mediatui's display_title: the title, else the URL, else the image, else type and id."""
    for text in (media.get("title"), media.get("url"), media.get("image")):
        if text and text.strip():
            return text.strip()
    return f"{media.get('type') or 'media'} #{media.get('id')}"


class Floor(App):
    TITLE = "floorbench"

    def compose(self):
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("id", "type", "title", "added", "size")
        table.focus()
        threading.Thread(target=self.fetch, daemon=True).start()

    def fetch(self) -> None:
        import httpx  # in the thread, as a plain app with httpx would load it lazily

        with httpx.Client(headers={"Authorization": "Bearer sandbox-token"}) as client:
            answer = client.get(f"{URL}/api/v2/media/", params={"limit": 50, "offset": 0})
            answer.raise_for_status()
            media = answer.json()["results"]
        rows = [[str(m["id"]), str(m["type"]), title(m)[:40], "", ""] for m in media]
        self.call_from_thread(self.show, rows)

    def show(self, rows: list[list[str]]) -> None:
        table = self.query_one(DataTable)
        for row in rows:
            table.add_row(*map(Text, row))  # literal, like mediatui's cells


if __name__ == "__main__":
    Floor().run()

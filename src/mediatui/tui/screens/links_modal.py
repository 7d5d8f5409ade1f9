"""`O` on the list: the media's links, each as a hyperlink (OSC 8) and as plain text.

Over SSH, a hyperlink is opened by the moderator's own terminal, on their own
machine: the server mediatui runs on opens nothing. Where the terminal (or tmux
without `set -as terminal-features ',*:hyperlinks'`) does not follow links, the
whole URL is there to select. A URL that could break out of the sequence, or
is not http(s), is shown inert and never made a link.
"""

from __future__ import annotations

from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from mediatui.sanitize import inert, link_target


class LinksModal(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,O", "close", "Close")]

    def __init__(self, heading: str, links: list[tuple[str, str]]) -> None:
        """`heading`: inert already ("#12 Harbour at dawn"); `links`: (name, raw URL) from media.links."""
        super().__init__()
        self.heading = heading
        self.links = links

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold", ratio=1)  # the whole URL, wrapped: never cut
        for name, url in self.links:
            target = link_target(url)
            if target is not None:
                table.add_row(Text(name), Text(target, style=Style(link=target, underline=True)))
            else:
                table.add_row(Text(name), Text(f"{inert(url, limit=600)} (not a web link)", style="dim"))
        if not self.links:
            table.add_row(Text(""), Text("This media has no links.", style="dim"))
        with VerticalScroll(id="dialog", classes="links"):
            yield Static(Text(f"Links of {self.heading}", style="bold"))
            yield Static(table, id="links-body")
            yield Static(
                Text("your terminal opens them (often ctrl+ or shift+click) · escape closes", style="dim"), id="hint"
            )

    def action_close(self) -> None:
        self.dismiss(None)

"""What a list screen is given: the community it shows, and the app's parts it works with.

Why a bundle: the list screen needs the community (its settings and
whether it may change anything), that community's connection and uploads,
the key pump, the previews and the clock. The app builds one per list
(`MediaTuiApp.list_context`), so no screen reaches into app attributes,
and a test can see what a screen depends on at a glance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mediatui.api import ApiError
    from mediatui.community import Community
    from mediatui.pictures.preview_state import Previews
    from mediatui.tui.communities import Communities
    from mediatui.tui.key_pump import KeyPump
    from mediatui.tui.list_connection import ListConnection


@dataclass(frozen=True)
class ListContext:
    community: Community  # the one shown: settings, label, the changes it refuses
    connection: ListConnection  # its client and page one
    communities: Communities  # its uploads, and those of communities left
    keys: KeyPump  # keys typed after a box opens wait for it
    previews: Previews  # on or off, the pictures kept
    clock: Callable[[], datetime]  # fixed in tests, so that relative times are stable
    connected: Callable[[bool], None]  # the header says connected or not
    rows_shown: Callable[[], None]  # the first rows are out: what waited for them may start
    refused: Callable[[ApiError], None]  # the community refused the token: the connect screen asks for one

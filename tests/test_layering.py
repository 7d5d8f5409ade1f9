"""The data layers stay usable without the TUI: importing them must not import Textual."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "mediatui.api",
        "mediatui.upload",
        "mediatui.sandbox",
        "mediatui.config",
        "mediatui.cli",
        "mediatui.cli.upload",
        "mediatui.cli.media",
        "mediatui.sanitize",
        "mediatui.upload.console",
        "mediatui.localdb",
        "mediatui.catalogue",
        "mediatui.listing",
        "mediatui.edits",
        "mediatui.saving",
        "mediatui.cli.update",
        "mediatui.profiles",
        "mediatui.logsetup",
        "mediatui.connect_check",
        "mediatui.first_page",
    ],
)
def test_module_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, {module}; bad = sorted(m for m in sys.modules "
        "if m.split('.')[0] == 'textual' or m.startswith('mediatui.tui')); print(bad); assert not bad"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_command_line_loads_no_http_client_before_the_tui() -> None:
    """`mediatui` starts the TUI after parsing every verb's flags: httpx, the upload engine and rich's bars

    load when a verb runs, not on each start (they cost the first frame ~70 ms; the list's first page
    is fetched by a forked child, mediatui.first_page, which loads httpx itself).
    """
    code = (
        "import sys, mediatui.cli, mediatui.first_page; mediatui.cli.build_parser(); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('httpx', 'httpcore') "
        "or m in ('mediatui.upload.engine', 'mediatui.upload.session', 'rich.progress')); print(bad); assert not bad"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr

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
        "mediatui.settings.config",
        "mediatui.cli",
        "mediatui.cli.upload",
        "mediatui.cli.media",
        "mediatui.sanitize",
        "mediatui.upload.console",
        "mediatui.localdb",
        "mediatui.media.catalogue",
        "mediatui.media.listing",
        "mediatui.media.edits",
        "mediatui.media.saving",
        "mediatui.cli.update",
        "mediatui.settings.profiles",
        "mediatui.settings.logsetup",
        "mediatui.settings.connect_check",
        "mediatui.runtime.first_page",
    ],
)
def test_module_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, {module}; bad = sorted(m for m in sys.modules "
        "if m.split('.')[0] == 'textual' or m.startswith('mediatui.tui')); print(bad); assert not bad"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr

"""The data layers stay usable without the TUI: importing them must not import Textual.

Every module of mediatui outside `tui/` is imported, one after another, in one fresh interpreter; the first
that brings Textual (or any of the TUI) is named. `tui/guard_time.py` is Textual-free too (its rule is tested
with a fake clock), though it lives with the screens that use it.
"""

import subprocess
import sys

CODE = """
import importlib, pkgutil, sys
import mediatui

def bad():
    return sorted(m for m in sys.modules if m.split('.')[0] == 'textual' or m.startswith('mediatui.tui'))

names = []
for top in pkgutil.iter_modules(mediatui.__path__, 'mediatui.'):
    if top.name in ('mediatui.tui', 'mediatui.__main__'):
        continue  # walking the TUI's packages would import them
    names.append(top.name)
    if top.ispkg:
        package = importlib.import_module(top.name)
        names += [m.name for m in pkgutil.walk_packages(package.__path__, top.name + '.')]
for name in sorted(names) + ['mediatui.tui.guard_time']:
    importlib.import_module(name)
    found = [m for m in bad() if m not in ('mediatui.tui', 'mediatui.tui.guard_time')]
    assert not found, f'{name} imports {found[:5]}'
print(len(names))
"""


def test_no_module_outside_the_tui_imports_textual() -> None:
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert int(result.stdout.split()[-1]) > 60  # every module was walked, not just a few

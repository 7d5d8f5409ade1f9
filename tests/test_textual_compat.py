"""Contracts for the private Textual names in mediatui.tui.textual_compat: each fails loudly on a Textual upgrade."""

from __future__ import annotations

import ast
import functools
import inspect
import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from textual.app import App
from textual.screen import Screen
from textual.widgets import Header as TextualHeader
from textual.widgets import Static

from mediatui.tui import textual_compat
from mediatui.tui.textual_compat import Header
from tui_helpers import wait_for


def test_written_for_the_pinned_textual():
    assert version("textual") == textual_compat.WRITTEN_FOR, "read textual_compat.py against this Textual again"


def test_the_header_replaces_textuals_own_mount_and_nothing_else_changed():
    """Header._on_mount is copied with one more exception caught: Textual's must still be what was copied."""
    source = inspect.getsource(TextualHeader._on_mount)
    assert "self.query_one(HeaderTitle).update(self.format_title())" in source
    assert "except NoScreen:" in source
    for watched in ('self.app, "title"', 'self.app, "sub_title"', 'self.screen, "title"', 'self.screen, "sub_title"'):
        assert f"self.watch({watched}, set_title)" in source
    assert source.count("self.watch(") == 4
    # ours stops the walk up the classes: only Widget's _on_mount is left above, and ours calls it
    above = [cls.__name__ for cls in TextualHeader.__mro__ if "_on_mount" in cls.__dict__ or "on_mount" in cls.__dict__]
    assert above == ["Header", "Widget"]


class Titled(Screen[None]):
    def __init__(self, header: type[TextualHeader]) -> None:
        super().__init__()
        self.header = header

    def compose(self):  # noqa: ANN201
        yield self.header()
        yield Static("x")


async def replace_at_once(header: type[TextualHeader]) -> bool:
    """A screen with a header replaced before it is drawn while the app's sub_title changes (a quick second
    switch of community): whether the app still runs."""
    app = App[None]()
    async with app.run_test() as pilot:
        app.push_screen(Titled(header))
        await pilot.pause()
        for n in range(6):
            app.sub_title = f"community {n}"
            app.switch_screen(Titled(header))
        await pilot.pause()
        await pilot.pause()
        return app.is_running and app.screen.query_one(header).query_one("HeaderTitle") is not None


def test_textuals_header_still_crashes_when_its_screen_is_replaced_at_once():
    """Why ours exists; once this fails, Textual fixed it and ours can go. In a child process: the crashed app
    leaves its title watchers unawaited, and their warnings would land on whichever test collects them."""
    script = (
        "import asyncio, test_textual_compat as t\n"
        "from textual.widgets import Header\n"
        "try:\n    asyncio.run(t.replace_at_once(Header))\n"
        "except Exception as exc:\n    print('crashed:', type(exc).__name__, exc)\n"
    )
    child = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)},
    )
    assert "crashed: NoMatches" in child.stdout and "HeaderTitle" in child.stdout, child.stdout + child.stderr


async def test_our_header_survives_its_screen_being_replaced_at_once():
    assert await replace_at_once(Header)


def test_the_private_app_hooks_are_still_there_as_used():
    """HookedApp overrides and calls these; a Textual that renames one would skip mediatui's crash report (the
    token could show in Textual's locals), its uploads' shutdown on the way out, or its crash log."""
    from textual.app import App as TextualApp

    for name in ("_handle_exception", "_fatal_error", "_on_exit_app", "_close_messages_no_wait"):
        assert callable(getattr(TextualApp, name, None)), name
    assert list(inspect.signature(TextualApp._handle_exception).parameters) == ["self", "error"]
    assert list(inspect.signature(TextualApp._fatal_error).parameters) == ["self"]
    assert inspect.iscoroutinefunction(TextualApp._on_exit_app)
    app = TextualApp()
    assert app._exit_renderables == [] and app._driver is None and app._closed is False


async def test_the_private_layout_flags_are_still_there():
    from textual.widgets import Static as StaticWidget

    from mediatui.tui.textual_compat import layout_pending

    app = App[None]()
    async with app.run_test() as pilot:
        widget = StaticWidget("x")
        await app.screen.mount(widget)
        assert isinstance(widget._layout_required, bool) and isinstance(widget._repaint_required, bool)
        # laid out on the screen's next update, which a loaded machine may hold past one pause
        await wait_for(pilot, lambda: not layout_pending([widget]), what="the first layout")
        widget.update("y" * 50, layout=True)
        assert layout_pending([widget, app.screen])


def test_the_private_hover_cursor_hook_is_still_there():
    from textual.widgets import DataTable

    assert list(inspect.signature(DataTable._set_hover_cursor).parameters) == ["self", "active"]
    assert "self._show_hover_cursor" in inspect.getsource(DataTable._set_hover_cursor)


# -- only textual_compat.py names a private Textual attribute or module ---------------------------------------
# Only tui/ imports Textual (import-linter holds the rest to that), so tui/ is where to look.

TUI = Path(__import__("mediatui.tui").tui.__file__).parent
_SELF_PRIVATE = re.compile(r"self\.(_[a-z]\w*)\b")
_TEXTUAL_SET = re.compile(r"self\.(_[a-z]\w*)\s*[:=]")


def _textual_private_names() -> set[str]:
    """Every private name a Textual class defines or sets on its instances (from Textual's own source)."""
    import textual

    names: set[str] = set()
    for path in Path(textual.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(_TEXTUAL_SET.findall(text))
        names |= set(re.findall(r"^\s+(?:async )?def (_[a-z]\w*)\(", text, re.M))
        names |= set(re.findall(r"^    (_[a-z]\w*)\s*[:=]", text, re.M))
    return names


def _tui_modules() -> dict[Path, ast.AST]:
    return {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for path in TUI.rglob("*.py")
        if path.name != "textual_compat.py"
    }


def test_no_module_but_textual_compat_imports_a_private_textual_module_or_name():
    wrong = []
    for path, tree in _tui_modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "textual":
                parts = (node.module or "").split(".") + [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                parts = [
                    part for alias in node.names if alias.name.startswith("textual") for part in alias.name.split(".")
                ]
            else:
                continue
            if any(part.startswith("_") for part in parts):
                wrong.append(f"{path.relative_to(TUI)}:{node.lineno} imports {'.'.join(parts)}")
    assert not wrong, "private Textual modules belong in tui/textual_compat.py: " + "; ".join(wrong)


def test_no_module_but_textual_compat_touches_a_private_textual_attribute_of_another_object():
    """`x._name` (or getattr(x, "_name")) on anything but `self`, where Textual has a `_name`: only
    textual_compat.py may. Our own objects in tui/ keep their privates to themselves (`self._x`)."""
    textual_names = _textual_private_names()
    wrong = []
    for path, tree in _tui_modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in textual_names:
                if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                    wrong.append(f"{path.relative_to(TUI)}:{node.lineno} uses .{node.attr}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                named = node.func.id in ("getattr", "setattr", "hasattr", "delattr") and len(node.args) > 1
                text = node.args[1] if named else None
                if isinstance(text, ast.Constant) and isinstance(text.value, str) and text.value in textual_names:
                    wrong.append(f"{path.relative_to(TUI)}:{node.lineno} names {text.value!r}")
    assert not wrong, "private Textual names belong in tui/textual_compat.py: " + "; ".join(wrong)


@functools.cache
def _privates_of(base: type) -> frozenset[str]:
    """The private names one Textual class defines or sets (its source read once: each is a base of many)."""
    names = {n for n in vars(base) if n.startswith("_") and not n.startswith("__")}
    return frozenset(names | set(_TEXTUAL_SET.findall(inspect.getsource(base))))


def test_no_class_of_ours_reads_overrides_or_sets_a_private_name_of_its_textual_bases():
    """A subclass that uses `self._x` (or defines `_x`) where a Textual base has `_x` reaches into Textual."""
    import importlib
    import pkgutil

    from textual.widget import Widget

    import mediatui.tui

    class Plain(Widget):
        pass

    generated = set(vars(Plain)) | {"_abc_impl"}  # what Textual's metaclass (and abc's) put on every class
    wrong = []
    for info in pkgutil.walk_packages(mediatui.tui.__path__, "mediatui.tui."):
        if info.name.endswith("textual_compat"):
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            bases = [b for b in cls.__mro__[1:] if b.__module__.split(".")[0] == "textual"]
            if not bases:
                continue
            theirs = set().union(*(_privates_of(base) for base in bases))
            mine = {n for n in vars(cls) if n.startswith("_") and not n.startswith("__")} - generated
            mine |= set(_SELF_PRIVATE.findall(inspect.getsource(cls)))
            for name in sorted(mine & theirs):
                wrong.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert not wrong, "these reach into Textual's private names: " + "; ".join(wrong)


async def test_the_private_footer_key_still_names_its_binding():
    """KeysFooter hides the keys a narrow footer has no room for, by the binding key each FooterKey shows."""
    from textual.binding import Binding
    from textual.widgets import Footer

    from mediatui.tui.textual_compat import footer_keys, is_footer_key

    class Keys(App[None]):
        BINDINGS = [Binding("t", "bell", "Type"), Binding("space", "quit", "Mark")]

        def compose(self):
            yield Footer()

    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        found = footer_keys(app.screen.query_one(Footer))
        assert [key for _, key in found] == ["t", "space", "ctrl+p"]  # and the palette's
        assert all(is_footer_key(widget) == key for widget, key in found)

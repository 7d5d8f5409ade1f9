"""Issue 25: `mediatui --help` ends with what the environment changes and where the config file is; every
option of every verb says what it does."""

from __future__ import annotations

import argparse
import re

import pytest

from mediatui import cli
from mediatui.settings.profiles import config_path

VARIABLES = [
    "MEDIATUI_URL",
    "MEDIATUI_TOKEN",
    "MEDIATUI_PROFILE",
    "MEDIATUI_CONFIG",
    "MEDIATUI_DATA_DIR",
    "MEDIATUI_STATE_DIR",
    "MEDIATUI_INSECURE",
    "MEDIATUI_PLAIN",
    "NO_COLOR",
]


def top_help(capsys) -> str:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_help_ends_with_each_variable_and_what_it_does(capsys):
    out = top_help(capsys)
    tail = out[out.index("environment:") :]  # after the commands and options: the end of the help
    for name in VARIABLES:
        line = re.search(rf"^  {name} +(\S.*)$", tail, re.MULTILINE)
        assert line and len(line.group(1)) > 10, f"{name} has no line of its own saying what it does:\n{tail}"


def test_help_names_the_config_file_it_would_read(capsys, monkeypatch, tmp_path):
    chosen = tmp_path / "elsewhere" / "mediatui.toml"
    monkeypatch.setenv("MEDIATUI_CONFIG", str(chosen))
    out = top_help(capsys)
    assert f"config file: {chosen} (from MEDIATUI_CONFIG; not there yet)" in out
    chosen.parent.mkdir()
    chosen.write_text("")
    assert f"config file: {chosen} (from MEDIATUI_CONFIG)\n" in top_help(capsys)
    monkeypatch.delenv("MEDIATUI_CONFIG")  # the default: the user's config folder (only named, never read here)
    assert f"config file: {config_path()}" in top_help(capsys)


def test_help_names_the_data_and_state_folders_as_resolved(capsys, tmp_path):
    out = top_help(capsys)  # conftest points both into tmp_path
    assert f"data folder: {tmp_path / 'data'}" in out and f"state folder: {tmp_path / 'state'}" in out


def test_every_option_of_every_verb_says_what_it_does():
    parser = cli.build_parser()
    [verbs] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    said = {choice.dest: choice.help for choice in verbs._choices_actions}
    missing = [f"verb {name}" for name in verbs.choices if not said.get(name)]
    for name, sub in [("mediatui", parser), *verbs.choices.items()]:
        for action in sub._actions:
            if action.option_strings and not action.help:
                missing.append(f"{name} {'/'.join(action.option_strings)}")
    assert not missing, missing

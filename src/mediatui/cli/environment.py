"""The end of `mediatui --help`: each environment variable with what it really does, and the files in use.

As gh and kubectl do, so that a person can see from the help alone what an exported variable changes and
which config file is read. Each line says what the code that reads the variable does (the names are that
code's own constants); the paths are resolved as the next command would resolve them. Imported only when the
help is shown.
"""

from __future__ import annotations

import os
from pathlib import Path

from mediatui.media.catalogue import ENV_DATA_DIR, data_dir
from mediatui.runtime.plain import ENV_PLAIN
from mediatui.sanitize import inert
from mediatui.settings.config import ENV_INSECURE, ENV_PROFILE, ENV_TOKEN, ENV_URL
from mediatui.settings.profiles import ENV_CONFIG, config_path
from mediatui.upload.journal import ENV_STATE_DIR, state_dir

#: (name, what it does): one line each (within 80 columns), in the order a person needs them.
VARIABLES: tuple[tuple[str, str], ...] = (
    (ENV_URL, "the community URL, when --url is not given"),
    (ENV_TOKEN, "the access token (wins over the profile's token)"),
    (ENV_PROFILE, "the profile to use, when --profile is not given"),
    (ENV_CONFIG, "the config file to read instead of the default"),
    (ENV_DATA_DIR, "where the local catalogue of media seen (and the trash) is kept"),
    (ENV_STATE_DIR, "where the upload journal and the history are kept"),
    ("MEDIATUI_TRASH_MB", "a local trash of deleted files for this run, in MB (0: off)"),
    (ENV_INSECURE, "1/true/yes: do not verify TLS certificates (as --insecure)"),
    (ENV_PLAIN, "1/true/yes: turn off the start-up and latency tricks"),
    ("NO_COLOR", "not empty: no colours in the TUI or in the upload bars"),
)


def environment_help() -> str:
    """The variables, then the config file, the data folder and the state folder as they resolve now."""
    width = max(len(name) for name, _ in VARIABLES) + 2
    config = config_path()
    return "\n".join(
        [
            "environment:",
            *(f"  {name:<{width}}{meaning}" for name, meaning in VARIABLES),
            "",
            _where("config file", config, ENV_CONFIG, *([] if config.exists() else ["not there yet"])),
            _where("data folder", data_dir(), ENV_DATA_DIR),
            _where("state folder", state_dir(), ENV_STATE_DIR),
        ]
    )


def _where(what: str, path: Path, variable: str, *notes: str) -> str:
    said = [f"from {variable}"] if os.environ.get(variable) else []
    said += notes
    return f"{what}: {inert(path)}" + (f" ({'; '.join(said)})" if said else "")  # a path is the user's bytes

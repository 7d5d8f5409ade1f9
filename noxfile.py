"""`make matrix`: the whole suite on each Python mediatui supports, each in a venv of its own (.nox/).

    nox                      every interpreter found (one missing is skipped, and said so)
    nox -s tests-3.10        one of them
    nox -s tests-3.12 -- -k history    arguments after -- go to pytest (both parts, as PYTEST_ARGS in make test)

The suite runs as `make test` runs it: on WORKERS processes (pytest-xdist) without the tests marked `serial`,
then those alone. The checks before it (ruff, mypy, lint-imports) do not depend on the interpreter: `make test`
runs them. An interpreter is looked for among pyenv's versions first, if pyenv is there (its shims on PATH find
only the versions it has selected, and fail for the others), then on PATH.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
WORKERS = os.environ.get("WORKERS", "6")  # why 6 on 2 cores: see the Makefile

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True  # each run updates the install; `rm -r .nox` starts anew
nox.options.default_venv_backend = "venv"


def _pyenv_bins() -> list[str]:
    """The bin folder of pyenv's newest 3.X.Y for each X of PYTHONS that it has."""
    versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found: dict[str, tuple[int, Path]] = {}
    for folder in versions.glob("3.*.*") if versions.is_dir() else ():
        parts = folder.name.split(".")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and f"3.{parts[1]}" in PYTHONS:
            minor, patch = f"3.{parts[1]}", int(parts[2])
            if minor not in found or patch > found[minor][0]:
                found[minor] = (patch, folder / "bin")
    return [str(bin) for _, bin in found.values()]


os.environ["PATH"] = os.pathsep.join([*_pyenv_bins(), os.environ.get("PATH", "")])


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The suite, as `make test` runs it after its checks."""
    session.install("--disable-pip-version-check", "-e", ".[test]")
    serial_files = sorted(str(p) for p in Path("tests").glob("test_*.py") if "mark.serial" in p.read_text())
    session.run(
        "pytest", "-n", WORKERS, "--dist", "worksteal", "-m", "not serial", "--durations=15", *session.posargs,
        success_codes=[0, 5],  # 5: none selected, e.g. with arguments
    )  # fmt: skip
    session.run(
        "pytest", "-p", "no:xdist", "-m", "serial", "--durations=15", *(session.posargs or serial_files),
        success_codes=[0, 5],
    )  # fmt: skip

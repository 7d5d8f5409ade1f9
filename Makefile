# The two commands a person needs: `make demo` and `make test`. Contributors: `make matrix` (every Python).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint matrix smoke screenshots bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/mediatui demo

# Lint, format and types first: a submission that fails them does not get to the tests.
# Then the suite on WORKERS processes (pytest-xdist), and last, alone, the tests marked `serial` (they
# measure wall time, which other workers would distort); exit 5 is "none selected", e.g. with PYTEST_ARGS.
# Why 6 on a 2-core machine: most tests wait (on a loopback server, a pilot's frame, a guard time, a
# subprocess), so the cores idle at fewer workers; past 6 they only add CPU. The parallel part, measured
# there on 2026-12-06 (the machine's speed varies by ~20% from run to run): 98-113 s on 4 workers,
# 86-100 s on 5, 88-90 s on 6, 108 s on 8. The serial part collects only the files that hold serial tests.
# The 15 slowest tests of each part are printed: none may take over 10 s.
WORKERS ?= 6
SERIAL_FILES := $(shell grep -l 'mark.serial' tests/test_*.py)
test: lint
	$(BIN)/python -m pytest -n $(WORKERS) --dist worksteal -m "not serial" --durations=15 $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/python -m pytest -p no:xdist -m serial --durations=15 $(or $(PYTEST_ARGS),$(SERIAL_FILES)) || [ $$? -eq 5 ]

lint: $(VENV)/.installed-test
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench noxfile.py
	$(BIN)/ruff format --check src tests bench noxfile.py
	$(BIN)/mypy

# The checks, then the whole suite as `make test` runs it on each Python from 3.10 to 3.13 that is on PATH or
# in pyenv, each in a venv of its own under .nox/ (noxfile.py; a missing one is skipped, and said so).
# PYTEST_ARGS go to pytest, e.g. make matrix PYTEST_ARGS='-k history'.
matrix: lint $(VENV)/.installed-nox
	WORKERS=$(WORKERS) $(BIN)/nox $(if $(PYTEST_ARGS),-- $(PYTEST_ARGS))

$(VENV)/.installed-nox: | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check nox==2026.10.20
	touch $@

# .ci/run, after make test: the smoke tests (the CLI verbs against the sandbox, one pilot per screen) on
# Python 3.10, Ubuntu 22.04's and the oldest supported, in .venv310/ (pyenv's 3.10 if there, else python3.10).
PYTHON310 ?= $(or $(lastword $(sort $(wildcard $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions/3.10.*/bin/python3.10))),python3.10)
VENV310   := .venv310

$(VENV310)/bin/python:
	$(PYTHON310) -m venv $(VENV310)

$(VENV310)/.installed-test: pyproject.toml | $(VENV310)/bin/python
	$(VENV310)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

smoke: $(VENV310)/.installed-test
	$(VENV310)/bin/python -m pytest -m smoke -n 2 --durations=5 $(PYTEST_ARGS)

screenshots: $(VENV)/.installed-test
	PYTHONPATH=tests $(BIN)/python -m scenes screenshots

bench: $(VENV)/.installed
	$(BIN)/python bench/upload.py
	$(BIN)/python bench/list.py
	$(BIN)/python bench/terminal.py

clean:
	rm -rf $(VENV) $(VENV310) .nox build src/*.egg-info .pytest_cache

# The two commands a person needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint screenshots bench clean

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
# Why 4 on a 2-core machine: most tests wait (on a loopback server, a pilot's frame, a subprocess), so the
# cores idle at 1 or 2 workers; past 4 they only add CPU. The parallel part, measured there on a quiet
# machine: 431 s in one process, 134 s on 3 workers, 115-129 s on 4, 129 s on 6 (and 10% more CPU).
# The 15 slowest tests of each part are printed: none may take over 10 s.
WORKERS ?= 4
test: lint
	$(BIN)/python -m pytest -n $(WORKERS) --dist worksteal -m "not serial" --durations=15 $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/python -m pytest -p no:xdist -m serial --durations=15 $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: $(VENV)/.installed-test
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

screenshots: $(VENV)/.installed-test
	PYTHONPATH=tests $(BIN)/python -m scenes screenshots

bench: $(VENV)/.installed
	$(BIN)/python bench/upload.py
	$(BIN)/python bench/list.py
	$(BIN)/python bench/terminal.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache

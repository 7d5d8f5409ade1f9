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
test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

screenshots: $(VENV)/.installed-test
	$(BIN)/python -m mediatui.tui.screenshots screenshots

bench: $(VENV)/.installed
	$(BIN)/python bench/upload.py
	$(BIN)/python bench/list.py
	$(BIN)/python bench/terminal.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache

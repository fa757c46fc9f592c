# The two set-up commands of the README: `make serve` and `make test`.
# Both create .venv on first use and install the project into it.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: serve test lint format schema bench soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

serve: $(VENV)/.installed
	$(BIN)/blkg serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format server tests bench
	$(BIN)/ruff check --fix server tests bench

test: lint
	$(BIN)/python -m pytest

schema: $(VENV)/.installed
	$(BIN)/python -m blkg.api.schema > schema.graphql

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

# The long soak (tests/soak.py): three minutes at 48 connections on loopback; `make test` runs
# a 20-second form. SOAK_ARGS passes options, e.g. SOAK_ARGS="--duration 600".
soak: $(VENV)/.installed-test
	$(BIN)/python -m tests.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache

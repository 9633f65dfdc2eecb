# The two commands of the README are `make run` and `make test`; the rest are helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test lint openapi bench-load bench-accuracy bench-pairs bench-screen bench-bulk clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# Load every enabled list (from SCREENING_LISTS_DIR, else the official URLs), then serve.
run: install
	$(BIN)/screening serve

test: install
	$(BIN)/pytest

# Style and types: ruff and mypy, from the dev extra.
lint: install
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	$(BIN)/ruff check service tests bench
	$(BIN)/mypy service

# Rewrite openapi.yaml from the code (tests fail until the two agree).
openapi: install
	$(BIN)/screening openapi -o openapi.yaml

bench-load: install
	$(BIN)/python bench/load.py

bench-accuracy: install
	$(BIN)/python -m bench.accuracy --sweep

# The labelled name pairs of bench/pairs.py, scored per kind by every algorithm compare() offers.
bench-pairs: install
	$(BIN)/python -m bench.pair_accuracy --show-misses 10

bench-screen: install
	$(BIN)/python -m bench.screen

bench-bulk: install
	$(BIN)/python -m bench.bulk

clean:
	rm -rf $(VENV) var .pytest_cache

# Set-up and everyday commands. `make run` and `make test` work on a fresh machine with
# only Python 3.11+ and make: they create .venv and install the project into it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8001

.PHONY: setup run crawl serve demo lint test bench clean

setup: $(VENV)/.installed

# pip is upgraded first: the stock pip 23 skips lxml's html_clean extra, and trafilatura
# then fails to import.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

run: setup  ## crawl data/sources.yaml into data/prodops.db, then serve it
	$(BIN)/prodops crawl
	$(BIN)/prodops serve --host $(HOST) --port $(PORT)

crawl: setup
	$(BIN)/prodops crawl

serve: setup
	$(BIN)/prodops serve --host $(HOST) --port $(PORT)

demo: setup  ## offline tour on the bundled sample web
	$(BIN)/prodops demo --port $(PORT)

lint: setup  ## ruff and mypy, as configured in pyproject.toml
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint  ## lint and types first (fail fast), then the whole suite, on every core
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder --durations=25  # a module's tests on one worker: its fixtures made once; modules in collection order (the long ones first, tests/conftest.py), not by their number of tests; the slowest listed

bench: setup
	$(BIN)/python benchmarks/crawl.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

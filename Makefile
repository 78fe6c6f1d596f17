# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# torch first, pinned: an unpinned torch pulls gigabytes of CUDA packages.
TORCH  := torch==2.13.0

.PHONY: run test lint fmt install install-dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q $(TORCH)
	$(BIN)/pip install --disable-pip-version-check -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --disable-pip-version-check -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Build today's issue from seeds/ and preview it in the browser.
run: install
	$(BIN)/digest preview seeds --open

CODE := digest tests bench scheduler.py

## Install everything plus dev tools, then the checks (lint, format, types) and the whole test suite.
test: lint
	$(BIN)/python -m pytest

## ruff (lint rules and formatting, see pyproject.toml) and mypy --strict on digest/; any finding fails.
lint: install-dev
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/mypy

## Format the code and apply ruff's safe fixes.
fmt: install-dev
	$(BIN)/ruff format $(CODE)
	$(BIN)/ruff check --fix $(CODE)

## Benchmarks (not part of the test suite); dev data from $(SHARED)/data.
SHARED ?= ../shared
bench: install
	$(BIN)/digest bench --quiet build seeds --runs 3
	$(BIN)/digest bench --quiet summaries --corpus $(SHARED)/data/bbc-dev --runs 5
	$(BIN)/digest bench --quiet extraction --pages $(SHARED)/data/extraction-dev
	$(BIN)/digest bench --quiet blurbs --corpus $(SHARED)/data/mds-dev
	$(BIN)/digest bench --quiet dedup --pairs $(SHARED)/data/semeval-dev.csv --split holdout
	$(BIN)/digest bench --quiet cluster seeds $(SHARED)/data/bbc-dev/article
	$(BIN)/digest bench --quiet stories $(SHARED)/data/ecbplus-dev/articles --gold $(SHARED)/data/ecbplus-dev/gold.csv
	$(BIN)/python bench/semeval_pool.py $(SHARED)/data/semeval-dev.csv /tmp/digest-pool-1000 --count 1000
	$(BIN)/digest bench --quiet cluster /tmp/digest-pool-1000
	$(BIN)/digest bench --quiet fetch --runs 3
	$(BIN)/digest bench --quiet send --recipients 1000 --runs 3
	$(BIN)/digest bench --quiet send --recipients 10000 --suppressed 1000 --subscribers --runs 1
	$(BIN)/digest bench --quiet unsubscribe
	$(BIN)/digest bench --quiet readers
	$(BIN)/digest bench --quiet memory \
		--day $(SHARED)/data/ecbplus-dev-days/day1/articles $(SHARED)/data/ecbplus-dev-days/day1/gold.csv \
		--day $(SHARED)/data/ecbplus-dev-days/day2/articles $(SHARED)/data/ecbplus-dev-days/day2/gold.csv

clean:
	rm -rf $(VENV) out .digest

# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# torch first, pinned: an unpinned torch pulls gigabytes of CUDA packages.
TORCH  := torch==2.13.0

.PHONY: run test install install-dev bench clean

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

## Install everything plus dev tools, then run the whole test suite.
test: install-dev
	$(BIN)/python -m pytest

## Benchmarks against ../shared/data (not part of the test suite).
bench: install
	$(BIN)/python bench/run_all.py ../shared

clean:
	rm -rf $(VENV) out .digest

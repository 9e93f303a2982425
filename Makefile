# Two commands do all set-up on a fresh Debian machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup sysdeps demo test test-fast lint bench selftest clean

setup: sysdeps $(STAMP)

sysdeps:
	@bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[dev]"
	@touch $(STAMP)

demo: setup
	$(VENV)/bin/radio demo

selftest: setup
	$(VENV)/bin/radio selftest

lint: setup
	$(VENV)/bin/ruff check .

test: setup lint
	@EXTRA_BINS=chromium bash scripts/install-system-deps.sh
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not integration and not faults and not browser"

bench: setup
	$(VENV)/bin/pip install -q -e ".[bench]"
	$(PY) bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache

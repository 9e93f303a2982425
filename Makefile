# Two commands do all set-up on a fresh Debian machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

# Python packages come from hash-pinned lock files (requirements/*.txt, Python 3.11 on Linux), refreshed by
# `make lock` after a change to pyproject.toml; `make lock-upgrade` moves every pin to the newest release.
LOCK       := requirements/lock.txt
PIP_PIN    := pip==26.3
UV_PIN     := uv==0.13.9
UV_COMPILE := $(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
              --python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock"

.PHONY: setup sysdeps demo test test-fast lint bench selftest clean lock lock-upgrade

setup: sysdeps $(STAMP)

sysdeps:
	@bash scripts/install-system-deps.sh

# Re-installs when the lock or pyproject.toml changes. `pip check` fails when pyproject.toml needs a package
# the lock lacks (run `make lock`).
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q "$(PIP_PIN)"
	$(VENV)/bin/pip install -q --require-hashes -r $(LOCK)
	$(VENV)/bin/pip install -q --no-deps -e .
	$(VENV)/bin/pip check
	@touch $(STAMP)

# Needs only a venv with uv (not an up-to-date install: the lock may be what is out of date).
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q "$(UV_PIN)"
	$(UV_COMPILE) $(LOCK_ARGS) pyproject.toml --extra dev -o $(LOCK)
	$(UV_COMPILE) $(LOCK_ARGS) pyproject.toml -c $(LOCK) -o requirements/node.txt
	$(UV_COMPILE) $(LOCK_ARGS) pyproject.toml --extra dev --extra bench -c $(LOCK) -o requirements/bench.txt

lock-upgrade:
	$(MAKE) lock LOCK_ARGS=--upgrade

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
	$(VENV)/bin/pip install -q --require-hashes -r requirements/bench.txt
	$(PY) bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache

# The two commands of the README: `make run` and `make test`. Everything else is set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: setup system-packages run test test-postgres bench

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# Debian packages the tests use: pdftoppm renders report pages, Chromium drives the
# browser tests; HarfBuzz-subset lets WeasyPrint subset the report's fonts in C (about
# 0.25 s a report faster than its fontTools fallback, bench/report_bench.py). Installed
# only when missing, and only where we may (root).
SYSTEM_PACKAGES := poppler-utils chromium chromium-driver libharfbuzz-subset0
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (install them as root; the tests that need them are skipped)"; fi; \
	fi

setup: $(VENV)/.installed

## Set up, migrate the SQLite database, load the demo data and serve on 127.0.0.1:8000.
run: setup
	$(BIN)/procure db upgrade
	$(BIN)/procure demo
	$(BIN)/procure serve

## Set up and run the whole test suite on a fresh SQLite database.
test: setup system-packages
	$(BIN)/pytest -q

## The storage and service tests again, on a fresh database of the local PostgreSQL server.
test-postgres: setup
	PROCURE_TEST_POSTGRES_URL=$(POSTGRES_URL) $(BIN)/pytest -q -m storage

bench: setup
	$(BIN)/python bench/engine_bench.py

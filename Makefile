# The two commands of the README: `make run` and `make test`. Everything else is set-up.
# `make help` lists the targets (the `## ` line above each one).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PROCURE_HOST ?= 127.0.0.1
PROCURE_PORT ?= 8000
DOCS_SITE ?= .docs-site

.PHONY: help setup setup-runtime system-packages check-port run test lint test-postgres docs rules-doc api-doc bench

## List the targets.
help:
	@awk '/^## /{text=substr($$0, 4); next} /^[a-z-]+:/{if (text) {split($$0, t, ":"); printf "  make %-16s %s\n", t[1], text}; text=""}' $(MAKEFILE_LIST)

# The runtime only (make run): the project and its dependencies, no test tools.
$(VENV)/.installed-runtime: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

# Everything the tests and the documentation build need (make test, make setup).
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,docs]'
	touch $(VENV)/.installed-runtime $@

# Debian packages the tests use: pdftoppm renders report pages, Chromium drives the
# browser tests; HarfBuzz-subset lets WeasyPrint subset the report's fonts in C (about
# 0.25 s a report faster than its fontTools fallback, bench/report_bench.py). Installed
# only when missing, and only where we may (root).
SYSTEM_PACKAGES := poppler-utils chromium chromium-driver libharfbuzz-subset0
## Install the Debian packages the tests use, when missing (as root).
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (install them as root; the tests that need them are skipped)"; fi; \
	fi

## Create .venv with everything the tests and the docs need.
setup: $(VENV)/.installed

## Create .venv with the runtime dependencies only.
setup-runtime: $(VENV)/.installed-runtime

# Before any install work: is the port free?
check-port:
	@$(PYTHON) -c 'import socket, sys; host, port = sys.argv[1:]; s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((host, int(port)))' \
	  "$(PROCURE_HOST)" "$(PROCURE_PORT)" 2>/dev/null \
	  || { echo "cannot listen on $(PROCURE_HOST):$(PROCURE_PORT) (in use, or not a port): try PROCURE_PORT=8001 make run"; exit 1; }

## Set up (runtime only), migrate the SQLite database, load the demo data, serve on 127.0.0.1:8000.
run: check-port setup-runtime
	$(BIN)/procure db upgrade
	$(BIN)/procure demo
	PROCURE_HOST=$(PROCURE_HOST) PROCURE_PORT=$(PROCURE_PORT) $(BIN)/procure serve

## Set up and run the whole test suite on a fresh SQLite database.
test: setup system-packages
	$(BIN)/pytest -q

## The linter (ruff) and the type checker (mypy), on src/, as configured in pyproject.toml.
lint: setup
	$(BIN)/ruff check src
	$(BIN)/mypy

## The storage and service tests again, on a fresh database of the local PostgreSQL server.
test-postgres: setup
	PROCURE_TEST_POSTGRES_URL=$(POSTGRES_URL) $(BIN)/pytest -q -m storage

## Build the documentation site (MkDocs, strict) into .docs-site/.
docs: setup
	$(BIN)/mkdocs build --strict --quiet -f docs/mkdocs.yml -d ../$(DOCS_SITE)

## Regenerate docs/manual/rules.md from the rule classes.
rules-doc: setup
	$(BIN)/python -m procure.docs_rules > docs/manual/rules.md

## Regenerate docs/manual/openapi.json and api-routes.md from the application.
api-doc: setup
	$(BIN)/python -m procure.docs_api docs/manual

## The rules engine benchmark (see docs/manual/benchmarks.md for the others).
bench: setup
	$(BIN)/python bench/engine_bench.py

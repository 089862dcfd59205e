# qms: `make demo` runs the demo marketplace, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SEED ?= 42
MERCHANTS ?= 60
PG_URL ?= postgres://postgres@127.0.0.1:5432/qms
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help install assets demo serve test test-sqlite test-postgres test-browser lint bench openapi messages clean

help:
	@echo "make demo      set up and run the demo marketplace on http://127.0.0.1:$(PORT) (PORT= to change)"
	@echo "make test      set up and run the whole test suite (SQLite, then PostgreSQL when reachable)"
	@echo "make lint      ruff, mypy and import-linter"
	@echo "make bench     run the benchmarks (NAME=x for one)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/uv pip sync --python $(BIN)/python --quiet requirements.lock
	$(BIN)/uv pip install --python $(BIN)/python --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed assets ## the virtualenv in .venv with everything

# Front-end assets come from the npm registry (no third-party code is committed).
qms/web/static_build/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	node scripts/build-assets.mjs
	touch $@

assets: qms/web/static_build/.built

demo: install
	$(BIN)/qms demo --port $(PORT) --seed $(SEED) --merchants $(MERCHANTS)

serve: install
	$(BIN)/qms serve --port $(PORT)

test: install
	bash scripts/test.sh

test-sqlite: install
	$(BIN)/pytest -q -m "not browser"

test-postgres: install
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy qms config
	$(BIN)/lint-imports

bench: install
	$(BIN)/python -m bench $(NAME)

openapi: install
	$(BIN)/qms export_openapi docs/api/openapi.json

messages: install
	cd qms && ../$(BIN)/qms makemessages -l zh_Hans -l en --no-obsolete && ../$(BIN)/qms compilemessages

clean:
	rm -rf $(VENV) node_modules qms/web/static_build var

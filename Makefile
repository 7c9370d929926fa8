# Ecosystem: `make run` serves the app with demo data; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test lint translations messages worker bench clean system-packages mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

translations: $(VENV)/.runtime-installed
	$(BIN)/pybabel -q compile -d translations

## Serve on http://127.0.0.1:5000 with demo data (SQLite under instance/).
run: export ECOSYSTEM_CONFIG ?= development
run: translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## The e-mail outbox worker (production: run one or more beside gunicorn).
worker: translations
	$(BIN)/flask outbox run

## Debian's Chromium for the browser tests (installed when missing).
system-packages:
	@command -v chromium >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq chromium >/dev/null; }

## Ruff, bandit, and import-linter's layer contract ([tool.importlinter] in pyproject.toml).
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check ecosystem tests config.py wsgi.py
	$(BIN)/bandit -q -r ecosystem -c pyproject.toml
	$(BIN)/lint-imports --no-cache

## Everything: lint, security scan, the suite on SQLite, then on PostgreSQL.
test: $(VENV)/.dev-installed system-packages translations lint
	$(BIN)/pytest --db sqlite
	$(BIN)/pytest --db postgresql

## Extract new strings and merge them into the catalogs (then translate translations/vi).
messages: $(VENV)/.dev-installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o messages.pot .
	$(BIN)/pybabel -q update -i messages.pot -d translations --no-fuzzy-matching
	rm -f messages.pot

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts mutants

## Page latency and SQL statements per request (BENCH_DB=postgresql://... for PostgreSQL).
bench: translations
	$(BIN)/python bench/pages.py

## Mutation testing of the seat rules (slow: not part of `make test`). mutmut mutates events/registration.py
## ([tool.mutmut] in pyproject.toml), runs the events tests against each mutant, then prints the score.
mutation: $(VENV)/.dev-installed translations
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2
	$(BIN)/python bench/mutation_score.py

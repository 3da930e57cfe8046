# E4E Case: `make run` serves a seeded demo; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.12 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV := DEBUG=true E4E_REQUIRE_2FA=false

.PHONY: help install assets run migrate test test-fast lint format bench load backup restore-check clean

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(STAMP) ## Create .venv and install the locked dependencies (idempotent)

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else "E4E Case needs Python 3.12 (see .python-version); set PYTHON=/path/to/python3.12")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	@touch $(STAMP)

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

assets: node_modules/.package-lock.json ## Rebuild the compiled CSS/JS under static/ (needs Node)
	npm run build

migrate: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input

run: install ## Set up, load the demo data and serve on http://127.0.0.1:8000
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install ## Run the whole suite (browser tests need Chromium and `npm ci`)
	@if command -v npm >/dev/null && [ ! -d node_modules/axe-core ]; then npm ci --no-audit --no-fund; fi
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install ## ruff, import-linter layers, ruff format --check, djLint, mypy, makemigrations --check
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --check
	$(BIN)/djlint templates --lint
	DEBUG=true $(BIN)/mypy e4e core referrals caseload enterprise_fund reporting evaluation legacy_import privacy bench
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

format: install ## Apply ruff and djLint formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat

bench: install ## Measure performance: the pages at each size, the return against hand-written SQL, the PDF, the import
	$(DEMO_ENV) $(BIN)/python bench/run.py
	$(DEMO_ENV) $(BIN)/python bench/handwritten.py
	$(DEMO_ENV) $(BIN)/python bench/pdf.py
	$(if $(BENCH_IMPORT_DATABASE_URL),DATABASE_URL=$(BENCH_IMPORT_DATABASE_URL),env -u DATABASE_URL) \
	  $(DEMO_ENV) $(BIN)/python bench/imports.py

load: install ## Load test: 50 specialists browsing and logging contacts for 60 s on 127.0.0.1 (locust)
	$(BIN)/python bench/load.py

backup: install ## Back up the database and private files together to backups/ (or BACKUP_DIR=...)
	$(BIN)/python manage.py backup --output $(or $(BACKUP_DIR),backups)

restore-check: install ## Restore BACKUP=path into a scratch copy and check it (invariants, checksums)
	@test -n "$(BACKUP)" || { echo "Give the archive: make restore-check BACKUP=backups/e4e-backup-....tar.gz"; exit 2; }
	$(BIN)/python manage.py restore_check "$(BACKUP)"

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles

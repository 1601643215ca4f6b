# Havering Improve — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
PYTEST_WORKERS ?= auto

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed ## Create .venv and install the pinned requirements

# `make run` runs a real Celery worker and beat beside the web app, on kombu's filesystem
# transport (messages are files under var/broker/), so the scheduled jobs happen with nothing
# else installed. Set CELERY_BROKER_URL to use another broker. It runs with the demo's settings
# (havering_improve/settings/demo.py): DEBUG off, so nobody sees a technical error page, and
# DEMO on for the demo's users, mail in var/mail/ and static files; its files are private.
RUN_PORT ?= 8000
run: export DJANGO_SETTINGS_MODULE := havering_improve.settings.demo
run: export CELERY_BROKER_URL ?= filesystem://
run: export SITE_URL ?= http://127.0.0.1:$(RUN_PORT)
run: export PYTHONUNBUFFERED := 1
run: install ## Set up and run the app, a worker and the schedule at http://127.0.0.1:8000 with the demo programme
	$(BIN)/python manage.py demo_database
	$(BIN)/python manage.py load_programme --demo
	@echo "Starting the worker (scheduled jobs; e-mail the demo sends is in var/mail/) and the web app ..."
	@echo "Sign in at http://127.0.0.1:$(RUN_PORT)/accounts/login/ (password: improve-demo-2026, or DEMO_PASSWORD)."
	$(BIN)/celery -A havering_improve worker --beat --schedule var/celerybeat-schedule \
		--concurrency 1 --loglevel INFO & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(BIN)/python manage.py runserver --noreload 127.0.0.1:$(RUN_PORT)

# `make test` runs on PostgreSQL when DATABASE_URL is unset and PostgreSQL answers on
# 127.0.0.1:5432 (tests/database_url.py), uses Redis and Chromium when they answer, and ends by
# listing what it skipped and why. Tests that restart a shared service run alone, after the rest
# (a selection in PYTEST_ARGS may hold none of them: that is not a failure).
SKIP_LOG := $(CURDIR)/.test-skips.jsonl

test: install ## Run the whole test suite on the services that answer; lists what it skipped, and why
	@url="$$($(BIN)/python -m tests.database_url)" || exit 1; \
	export DATABASE_URL="$$url" TEST_SKIP_LOG="$(SKIP_LOG)"; \
	echo "Database: $${url:-SQLite (db.sqlite3)}"; \
	rm -f "$(SKIP_LOG)"; status=0; \
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not serial" $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 0 ]; then \
	  $(BIN)/pytest -m serial $(PYTEST_ARGS) || status=$$?; \
	  [ $$status -ne 5 ] || status=0; \
	fi; \
	$(BIN)/python -m tests.skip_report "$(SKIP_LOG)"; \
	exit $$status

lint: install ## ruff lint and format check, and the missing-migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install ## Run a Celery worker (needs CELERY_BROKER_URL)
	$(BIN)/celery -A havering_improve worker --loglevel=INFO

beat: install ## Run Celery beat — exactly one per deployment (needs CELERY_BROKER_URL)
	$(BIN)/celery -A havering_improve beat --loglevel=INFO

bench: install ## Benchmark pages and jobs at 10 years of data on PostgreSQL (see README, Performance)
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

frontend: ## Rebuild static/ from GOV.UK Frontend (needs Node.js and npm)
	cd frontend && npm install --no-audit --no-fund && npm run build

.PHONY: help install run test lint format worker beat bench frontend

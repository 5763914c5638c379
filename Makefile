# CXPlan: `make run` and `make test` do all set-up on a machine with Python 3.11.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is the embedded developer default: DEBUG on, SQLite (WAL) in var/,
# and a real Celery worker (with beat) beside the web server, on a broker in files
# under var/broker/, unless DATABASE_URL / REDIS_URL say otherwise (with REDIS_URL,
# start `make worker` and `make beat` yourself). Migrating and seeding run tasks
# inline; the web server and the worker get CXPLAN_EAGER=0.
RUN_ENV := DEBUG=$${DEBUG:-1}
WORK_ENV := $(RUN_ENV) CXPLAN_EAGER=$${CXPLAN_EAGER:-0}
QUEUES := imports,analytics,deck
SCHEDULE := $${CXPLAN_VAR_DIR:-var}/celerybeat-schedule

.PHONY: run test worker beat lint format bench migrate seed clean e2e audit \
	deck-screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

var/.seeded: | migrate
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@mkdir -p var && touch var/.seeded

seed: migrate var/.seeded

run: migrate var/.seeded
	@if [ -n "$$REDIS_URL" ]; then \
	  $(WORK_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload; \
	  exit $$?; \
	fi; \
	echo "embedded worker (with beat) on the broker in files: $${CXPLAN_VAR_DIR:-var}/broker"; \
	$(WORK_ENV) $(BIN)/celery -A cxplan worker -B -s $(SCHEDULE) -Q $(QUEUES) \
	  --concurrency 1 -l info --without-gossip --without-mingle --without-heartbeat & \
	worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(WORK_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload

worker: $(STAMP)
	$(WORK_ENV) $(BIN)/celery -A cxplan worker -Q $(QUEUES) --concurrency 2 -l info

beat: $(STAMP)
	$(WORK_ENV) $(BIN)/celery -A cxplan beat -l info -s $(SCHEDULE)

test: $(STAMP)
	$(BIN)/pytest

# Browser journeys on Debian's Chromium; `make e2e E2E_FLAGS=--screenshots` also
# saves the end of each journey to docs/screenshots/.
e2e: $(STAMP)
	$(BIN)/pytest tests/e2e $(E2E_FLAGS)

# One picture per slide of a deck built on a fresh demo database (SQLite in a
# temporary CXPLAN_VAR_DIR, so var/ is untouched) into docs/deck/, with a README.
deck-screenshots: $(STAMP)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	export CXPLAN_VAR_DIR="$$tmp" DEBUG=1; unset DATABASE_URL REDIS_URL; \
	$(BIN)/python manage.py migrate --noinput -v0 && \
	$(BIN)/python manage.py seed_demo --items 600 --customers 300 >/dev/null && \
	$(BIN)/python manage.py deck_screenshots --out docs/deck

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/python manage.py check

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Known-vulnerability scan of the pins: first the offline PyPA advisory copy
# (ADVISORY_DB, default ../shared/advisories; any match fails; .ci/advisories.py),
# then pip-audit, which asks its service: without it pip-audit lists packages
# it "could not audit" and passes, so the offline check is what holds there.
# PIP_AUDIT_FLAGS=--strict makes those look-up failures fatal. Then bandit
# (medium and high); findings reviewed as false positives are in the baseline,
# see docs/RELIABILITY.md.
ADVISORY_DB ?= $(abspath ../shared/advisories)
audit: $(STAMP)
	ADVISORY_DB="$(ADVISORY_DB)" $(BIN)/python .ci/advisories.py
	$(BIN)/pip-audit -r requirements.txt --progress-spinner off $(PIP_AUDIT_FLAGS)
	$(BIN)/bandit -q -ll -r cxplan charts feedback roi initiatives strategy deck \
		-b tests/reliability/bandit-baseline.json

bench: $(STAMP)
	bash bench/run_all.sh

clean:
	rm -rf var/cxplan.sqlite3 var/.seeded var/media

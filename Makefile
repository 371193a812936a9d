# Yinling: `make run` sets everything up and runs the app; `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test lint format install migrate clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

## Set up (virtualenv, packages, database, demo data) and run web + worker + beat.
run: migrate
	$(BIN)/python manage.py seed_demo --if-empty
	@# A database that has never planned gets today's digests now (to var/mail/), not at 07:30 tomorrow.
	$(BIN)/python manage.py send_reminders --if-never-planned
	@echo ""
	@echo "银龄 Yinling: http://$${YINLING_HOST:-127.0.0.1}:$${YINLING_PORT:-8000}/  (管理后台 /admin/)"
	@echo "Mail is written to var/mail/. Press Ctrl-C to stop web, worker and beat."
	@echo ""
	$(BIN)/honcho start

## Run the whole test suite.
test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/ .pytest_cache .ruff_cache

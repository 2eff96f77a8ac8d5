# Two environments (see README): .venv/rasa runs the Rasa server (Rasa pins
# SQLAlchemy 1.4); .venv/app runs actions, web page, CLI and tests (SQLAlchemy 2).
SHELL := /bin/bash
PYTHON310 ?= $(shell test -x $(HOME)/.pyenv/versions/3.10.13/bin/python && echo $(HOME)/.pyenv/versions/3.10.13/bin/python || command -v python3.10)
RASA_VENV := .venv/rasa
APP_VENV := .venv/app
APP := $(APP_VENV)/bin/python
WEB := bot/web
# Browser tests use Debian's Chromium, never a downloaded browser.
CHROMIUM := /usr/bin/chromium
# The load balancer of `make run-cluster` and the cluster tests: Debian's HAProxy.
HAPROXY := /usr/sbin/haproxy
SUDO := $(shell test "$$(id -u)" = 0 || echo sudo)
export TF_CPP_MIN_LOG_LEVEL := 3

.DEFAULT_GOAL := help
.PHONY: help setup run run-cluster test test-fast bench chaos screenshots lint lock train validate purge clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

# Every release, the transitive ones too, from the lock files with their hashes
# (requirements/*.in are what we ask for; `make lock` writes the *.txt).
$(RASA_VENV)/.installed: requirements/rasa.txt
	test -d $(RASA_VENV) || $(PYTHON310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/rasa.txt
	touch $@

# The development environment: the runtime's lock (app.txt) and the tools of dev.txt.
$(APP_VENV)/.installed: requirements/dev.txt
	test -d $(APP_VENV) || $(PYTHON310) -m venv $(APP_VENV)
	$(APP_VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $@

# The widget's browser packages (socket.io client; axe-core for the tests), from the lock file.
$(WEB)/node_modules/.installed: $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CHROMIUM):
	$(SUDO) apt-get install -y --no-install-recommends chromium chromium-driver \
	  || ($(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends chromium chromium-driver)

$(HAPROXY):
	$(SUDO) apt-get install -y --no-install-recommends haproxy \
	  || ($(SUDO) apt-get update && $(SUDO) apt-get install -y --no-install-recommends haproxy)

var/spacy/source.json: $(RASA_VENV)/.installed bot/rasa_server/spacy_pipeline.py
	$(RASA_VENV)/bin/python bot/rasa_server/spacy_pipeline.py

setup: $(RASA_VENV)/.installed $(APP_VENV)/.installed $(WEB)/node_modules/.installed var/spacy/source.json
	@$(RASA_VENV)/bin/python -c "import json; print('spaCy pipeline in use:', json.load(open('var/spacy/source.json'))['source'])"
	$(APP) -m bot setup
	$(APP) -m bot train

run: setup ## Set up what is missing, then run the assistant and the chat page
	$(APP) -m bot run

run-cluster: setup $(HAPROXY) ## The assistant on 2 Rasa and 2 action servers behind HAProxy (PostgreSQL, Redis)
	$(APP) -m bot run --replicas 2

test: setup $(CHROMIUM) $(HAPROXY) ## Set up what is missing, then run every test (SQLite, PostgreSQL, Redis, HAProxy, Chromium)
	$(APP) -m pytest

test-fast: $(APP_VENV)/.installed ## The inner loop: every test that needs no server, no Rasa and no model
	$(APP) -m pytest -q -m "not e2e and not rasa" -n 2

bench: setup ## NLU F1, training time, peak memory, latency, the conversation replay (ONLY=nlu, sms, latency, conversations or cluster: one section)
	$(APP) -m tests.bench.run $(ONLY)

screenshots: setup $(CHROMIUM) ## The staff app's pages photographed into docs/screenshots/ (for the README)
	$(APP) -m tests.bench.screenshots

chaos: setup ## Faults (kill -9, locked stores) during 20 concurrent enrolments: turns lost, rows half-written, recovery
	$(APP) -m tests.bench.chaos

LOCK := $(APP_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock: $(APP_VENV)/.installed ## Re-lock requirements/*.txt from *.in (keeps the pins it can; --upgrade-package X to move one)
	cd requirements && ../$(LOCK) -o app.txt app.in && ../$(LOCK) -o dev.txt dev.in && ../$(LOCK) -o rasa.txt rasa.in

lint: $(APP_VENV)/.installed ## ruff (checks and formatting) and mypy
	$(APP_VENV)/bin/ruff check bot actions tests
	$(APP_VENV)/bin/ruff format --check bot actions tests
	$(APP_VENV)/bin/mypy

train: setup ## Train the model if data, domain or config changed

validate: $(RASA_VENV)/.installed $(APP_VENV)/.installed ## rasa data validate, failing on warnings
	$(APP) -m bot validate

purge: $(APP_VENV)/.installed ## Delete conversations and personal data past their retention age
	$(APP) -m bot purge

clean: ## Remove databases, logs, the spaCy pipeline and trained models (keeps the venvs)
	rm -rf var models/*.tar.gz .pytest_cache .mypy_cache .ruff_cache $(WEB)/node_modules

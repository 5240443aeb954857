# Two commands do all set-up (see README): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
APP_STAMP := $(VENV)/.app-installed
DEV_STAMP := $(VENV)/.dev-installed
PORT ?= 8501

.PHONY: run test check db bench i18n system-deps clean stack stack-stop stack-status audit

## make run: create the venv, install pinned requirements, build the database (when its inputs changed), start the explorer
run: $(APP_STAMP)
	$(PY) -m lib.pipeline
	@echo "Explorer: http://localhost:$(PORT)/  (Ctrl-C stops it)"
	$(PY) -m lib.serve run app.py --server.port $(PORT)

## make test: system packages, venv with test requirements, then the whole test suite; a test whose
## system package is still missing fails (tests/conftest.py)
test: system-deps $(DEV_STAMP)
	$(PY) -m pytest --require-system-packages

## make check: the fast tier, about a minute: no browser, no nginx stack, nothing marked slow (pytest.ini);
## installs no system package, and a test whose package is missing is skipped with the reason
check: $(DEV_STAMP)
	$(PY) -m pytest -m "not browser and not stack and not slow"

## make db: build the database and static files when their inputs changed (python -m lib.pipeline --force: always)
db: $(APP_STAMP)
	$(PY) -m lib.pipeline

## make bench: the websocket benchmark (see bench/README.md)
bench: $(DEV_STAMP)
	$(PY) -m bench.run

## make i18n: extract UI text into the catalog template and merge it into each language's catalog
i18n: $(APP_STAMP)
	$(VENV)/bin/pybabel -q extract --no-wrap -F lib/locale/babel.cfg -k N_ --no-location --sort-output \
		--project wenzhou-st-plan-explorer -o lib/locale/messages.pot app.py pages lib
	test -f lib/locale/en/LC_MESSAGES/messages.po || \
		$(VENV)/bin/pybabel -q init -D messages -i lib/locale/messages.pot -d lib/locale -l en
	$(VENV)/bin/pybabel -q update --no-wrap -D messages -i lib/locale/messages.pot -d lib/locale -l en \
		--no-fuzzy-matching --ignore-obsolete

system-deps:
	bash scripts/install_system_deps.sh

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(APP_STAMP): requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): $(APP_STAMP) requirements-dev.txt geo/requirements-build.txt
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) data/build tests/artifacts bench/results

## make stack: nginx on 127.0.0.1:$(STACK_PORT) in front of $(PROCESSES) Streamlit processes (deploy/stack.py); returns
PROCESSES ?= 2
STACK_PORT ?= 8080
stack: system-deps $(APP_STAMP)
	$(PY) -m deploy.stack start --processes $(PROCESSES) --port $(STACK_PORT)

## make stack-stop: stop everything make stack started
stack-stop:
	$(PY) -m deploy.stack stop

stack-status:
	$(PY) -m deploy.stack status

## make audit: known-vulnerability audit of the pinned requirements (OSV where reachable, else PyPI's JSON API)
audit: $(DEV_STAMP)
	$(PY) scripts/audit_requirements.py

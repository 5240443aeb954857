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
	$(PY) -m lib.web.serve run app.py --server.port $(PORT)

## make test: system packages, venv with test requirements, then the whole test suite; a test whose
## system package is still missing fails (tests/conftest.py)
test: system-deps $(DEV_STAMP)
	$(PY) -m pytest --require-system-packages

## make check: the fast tier, about a minute: no browser, no stack (HAProxy), nothing marked slow (pytest.ini);
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

# The venv's own tools pinned too (the audit covers them: pip 23.2 and setuptools 65.5, as Python 3.11.7's
# ensurepip gives them, have published advisories).
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet pip==26.3 setuptools==84.2.1

$(APP_STAMP): requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(DEV_STAMP): $(APP_STAMP) requirements-dev.txt geo/requirements-build.txt deploy/requirements.txt
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

# The stack's process manager and its plugins (deploy/requirements.txt; also in requirements-dev.txt).
DEPLOY_STAMP := $(VENV)/.deploy-installed
$(DEPLOY_STAMP): $(APP_STAMP) deploy/requirements.txt
	$(VENV)/bin/pip install --quiet -r deploy/requirements.txt
	touch $@

clean:
	rm -rf $(VENV) data/build tests/artifacts bench/results

## make stack: HAProxy on 127.0.0.1:$(STACK_PORT) in front of $(PROCESSES) Streamlit processes, all run by
## supervisord (deploy/stack.sh, deploy/*.template); returns when it answers
PROCESSES ?= 2
STACK_PORT ?= 8080
STACK_RUN_DIR ?= deploy/run
STACK_ENV = PYTHON=$(PY) STACK_RUN_DIR=$(STACK_RUN_DIR) PROCESSES=$(PROCESSES) STACK_PORT=$(STACK_PORT)
stack: system-deps $(DEPLOY_STAMP)
	$(PY) -m lib.pipeline
	$(STACK_ENV) bash deploy/stack.sh start

## make stack-stop: stop everything make stack started (supervisord stops its programs; anything left in its
## session is killed)
stack-stop:
	$(STACK_ENV) bash deploy/stack.sh stop

stack-status:
	$(STACK_ENV) bash deploy/stack.sh status

## make audit: pip-audit --strict over the pinned requirements and the venv's own pip/setuptools, against OSV's
## API; where there is no network, OSV_DB=PATH (OSV's PyPI all.zip, or a folder of its records; refused when
## empty or older than a week)
audit: $(DEV_STAMP)
	$(PY) scripts/audit_requirements.py $(if $(OSV_DB),--osv-db $(OSV_DB))

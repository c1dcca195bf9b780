# JMAPPA Case Manager. `make run` to start it, `make test` to test it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test stop lint clean-var frontend

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[embedded,dev]'
	touch $(STAMP)

install: $(STAMP)

## Start the web server, a Celery worker and Celery beat (embedded PostgreSQL
## and Redis unless DATABASE_URL/REDIS_URL are set). Ctrl-C stops everything.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) -m jmappa.run

## The whole test suite against a real PostgreSQL and Redis.
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

## Stop the embedded PostgreSQL and Redis (their data stays in ./var/).
stop: $(STAMP)
	$(PY) -c 'from jmappa import embedded; embedded.stop()'

## Style, and the layering of DESIGN.md (import-linter contracts in pyproject.toml).
lint: $(STAMP)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

## Rebuild GOV.UK Frontend and MoJ Frontend into jmappa/static/vendor/design-system/
## (needs Node.js and npm; the built files are committed, see frontend/README.md).
frontend:
	sh frontend/build.sh

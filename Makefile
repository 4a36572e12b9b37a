# OnDijon — `make run` starts the product, `make test` runs every check.
# Python 3.11, 3.12 or 3.13: the first of these found on the PATH, unless PYTHON names one.
SUPPORTED_PYTHON := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))
PYTHON ?= $(firstword $(foreach candidate,python3.11 python3.12 python3.13 python3,\
	$(shell $(candidate) -c '$(SUPPORTED_PYTHON)' >/dev/null 2>&1 && echo $(candidate))) python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The project catalogue (locale/) and one per app that has its own (<app>/locale/).
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po */locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test lint typecheck pytest translations messages bench clean

run: $(VENV)/.run-deps translations
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_territory --if-empty
	ONDIJON_PUBLIC_URL=$${ONDIJON_PUBLIC_URL:-http://$(HOST):$(PORT)} $(PY) manage.py seed_demo --if-empty
	$(PY) manage.py serve --host $(HOST) --port $(PORT) --simulate

test: $(VENV)/.dev-deps translations lint typecheck pytest

lint: $(VENV)/.dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(VENV)/.dev-deps
	$(VENV)/bin/mypy $(wildcard */services.py */selectors.py */services/*.py */selectors/*.py)

# In parallel, one worker per core (PYTEST_WORKERS=0 runs in one process); tests.parallel
# gives each worker a Redis database of its own, pytest-django a test database of its own.
# The fault-injection tests then run alone: they kill workers and time recoveries, which
# another worker's browser tests on the same cores would distort.
PYTEST_WORKERS ?= auto
pytest: $(VENV)/.dev-deps translations
	PYTHONPATH=. $(VENV)/bin/pytest -p tests.parallel -n $(PYTEST_WORKERS) --dist worksteal -m "not faults" $(PYTEST_ARGS)
	$(VENV)/bin/pytest -m faults $(PYTEST_ARGS)

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; (3, 11) <= v <= (3, 13) or sys.exit("OnDijon needs Python 3.11, 3.12 or 3.13; $(PYTHON) is " + sys.version.split()[0] + ". Name another: make run PYTHON=python3.12")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-deps: requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev-deps: requirements-dev.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.run-deps

translations: $(MO_FILES)

%/LC_MESSAGES/django.mo: %/LC_MESSAGES/django.po $(VENV)/.run-deps
	$(VENV)/bin/pybabel compile --input-file $< --output-file $@ --use-fuzzy --statistics

# Extracting strings needs GNU gettext (xgettext); compiling them does not. Apps with their
# own locale/ folder keep their strings there; the project catalogue holds the rest.
APP_CATALOGUES := $(patsubst %/locale/,%,$(wildcard */locale/))
messages:
	$(PY) manage.py makemessages --locale fr --locale en --no-obsolete --ignore '.venv/*' \
		--ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' $(foreach app,$(APP_CATALOGUES),--ignore '$(app)/*')
	for app in $(APP_CATALOGUES); do (cd $$app && ../$(PY) ../manage.py makemessages --locale fr --locale en --no-obsolete); done

# Benchmarks (not tests): the real stack, a database and a Redis database of their own.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ondijon_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/15
bench: $(VENV)/.dev-deps translations
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) bench/run_all.py $(BENCH)

clean:
	rm -rf $(VENV) var

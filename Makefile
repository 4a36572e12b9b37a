# OnDijon — `make run` starts the product, `make test` runs every check.
PYTHON ?= python3
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
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py mobility_simulator & feeds=$$!; trap 'kill $$feeds 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py serve --host $(HOST) --port $(PORT) --simulate

test: $(VENV)/.dev-deps translations lint typecheck pytest

lint: $(VENV)/.dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(VENV)/.dev-deps
	$(VENV)/bin/mypy $(wildcard */services.py */selectors.py */services/*.py */selectors/*.py)

pytest: $(VENV)/.dev-deps translations
	$(VENV)/bin/pytest

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "OnDijon needs Python 3.11, found " + sys.version.split()[0]'
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

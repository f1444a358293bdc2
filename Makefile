# Referatarkivet: `make run` serves the archive with the seed minutes; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Finds or starts PostgreSQL (see archive/localdb.py) and prints its URL.
DB_URL = $$($(PY) -m archive.localdb --database $(1))

.PHONY: install run test lint format bench clean-db

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# DEBUG is off unless asked for; a local run asks (static files unhashed, the development key).
run: install
	@export DEBUG=true DATABASE_URL="$(call DB_URL,referatarkivet)" && \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py ingest fixtures --no-progress && \
	echo "Referatarkivet: http://127.0.0.1:$(PORT)" && \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	@export DJANGO_SETTINGS_MODULE=archive.test_settings DATABASE_URL="$(call DB_URL,referatarkivet)" && \
	$(PY) -m ruff check . && \
	$(PY) -m ruff format --check . && \
	$(PY) manage.py makemigrations --check --dry-run && \
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix . && $(PY) -m ruff format .

# Options: ITEMS=200000 PARTS=load,search,pages SEED=1 WORKERS=2 REPEAT=5 (`python -m bench -h`).
# Its own database BENCH_DB (bench refuses one not named *_bench); a corpus already loaded there
# is reused, so PARTS=search,pages re-measures without reloading. Another size reloads it: give
# the scale run its own, e.g. `make bench ITEMS=1000000 BENCH_DB=referatarkivet_1m_bench`.
BENCH_DB ?= referatarkivet_bench
bench: install
	@export DEBUG=true DATABASE_URL="$(call DB_URL,$(BENCH_DB))" && \
	$(PY) manage.py migrate --noinput -v0 && \
	$(PY) -m bench $(if $(ITEMS),--items $(ITEMS)) $(if $(PARTS),--parts $(PARTS)) $(if $(SEED),--seed $(SEED)) \
		$(if $(WORKERS),--workers $(WORKERS)) $(if $(REPEAT),--repeat $(REPEAT))

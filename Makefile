# Referatarkivet: `make run` serves the archive with the seed minutes; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Finds or starts PostgreSQL (see archive/localdb.py) and prints its URL.
DB_URL = $$($(PY) -m archive.localdb --database $(1))

.PHONY: install run dev test fuzz lint format bench loadtest loadtest-profile clean-db

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# `make run` serves the archive as production does (DEBUG off: the Danish 404/500 pages, static
# files hashed and served by whitenoise), over plain HTTP on this machine (LOCAL_HTTP) with a key
# of its own (archive/localkey.py, var/secret_key). `make dev` is the same with DEBUG on:
# Django's error pages with tracebacks, templates and static files read as they change.
RUN_STEPS = $(PY) manage.py migrate --noinput && \
	$(PY) manage.py ingest fixtures --no-progress && \
	echo "Referatarkivet: http://127.0.0.1:$(PORT)"
# A worker for the background jobs (uploads, `ingest --queue`) beside the web server, stopped
# with it (SIGTERM: it finishes the job it is on, then stops).
WITH_WORKER = $(PY) manage.py worker -v0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM;

run: install
	@export LOCAL_HTTP=true DATABASE_URL="$(call DB_URL,referatarkivet)" && \
	export SECRET_KEY="$${SECRET_KEY:-$$($(PY) -m archive.localkey)}" && \
	$(PY) manage.py collectstatic --noinput -v0 && \
	$(RUN_STEPS) && { \
	$(WITH_WORKER) $(PY) manage.py runserver --noreload 127.0.0.1:$(PORT); }

dev: install
	@export DEBUG=true DATABASE_URL="$(call DB_URL,referatarkivet)" && \
	$(RUN_STEPS) && { \
	$(WITH_WORKER) $(PY) manage.py runserver 127.0.0.1:$(PORT); }

test: install
	@export DJANGO_SETTINGS_MODULE=archive.test_settings DATABASE_URL="$(call DB_URL,referatarkivet)" && \
	$(PY) -m ruff check . && \
	$(PY) -m ruff format --check . && \
	$(PY) manage.py makemigrations --check --dry-run && \
	$(PY) -m pytest $(PYTEST_ARGS)

# The long fuzz run (tests/fuzz.py): 10,000 HTTP requests and 20,000 parser inputs with the hostile
# PDFs, counts printed at the end. Options: REQUESTS=10000 INPUTS=20000 TIME_LIMIT=20 SEED=0.
fuzz: install
	@export DJANGO_SETTINGS_MODULE=archive.test_settings DATABASE_URL="$(call DB_URL,referatarkivet)" && \
	$(PY) -m tests.fuzz $(if $(REQUESTS),--requests $(REQUESTS)) $(if $(INPUTS),--inputs $(INPUTS)) \
		$(if $(TIME_LIMIT),--time-limit $(TIME_LIMIT)) $(if $(SEED),--seed $(SEED))

lint: install
	$(PY) -m ruff check . && $(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix . && $(PY) -m ruff format .

# Options: ITEMS=200000 PARTS=load,search,pages,live SEED=1 WORKERS=2 REPEAT=5 (`python -m bench -h`),
# PEER=tantivy: the same queries in tantivy too, interleaved, with the ratio (installs the
# `peer` extra first).
# Its own database BENCH_DB (bench refuses one not named *_bench); a corpus already loaded there
# is reused, so PARTS=search,pages re-measures without reloading. Another size reloads it: give
# the scale run its own, e.g. `make bench ITEMS=1000000 BENCH_DB=referatarkivet_1m_bench`.
BENCH_DB ?= referatarkivet_bench
bench: install $(if $(PEER),$(VENV)/.peer)
	@export DEBUG=true DATABASE_URL="$(call DB_URL,$(BENCH_DB))" && \
	$(PY) manage.py migrate --noinput -v0 && \
	$(PY) -m bench $(if $(ITEMS),--items $(ITEMS)) $(if $(PARTS),--parts $(PARTS)) $(if $(SEED),--seed $(SEED)) \
		$(if $(WORKERS),--workers $(WORKERS)) $(if $(REPEAT),--repeat $(REPEAT)) $(if $(PEER),--peer $(PEER))

$(VENV)/.peer: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[peer]'
	touch $@

# The mixed workload (home, meeting, case, search, API) against gunicorn on 127.0.0.1, with
# locust headless: each level SECONDS long, so a run is bounded (about a minute per server).
# Reads the bench's corpus (LOADTEST_DB, only read; `make bench PARTS=load` fills it) or any
# database with meetings, e.g. LOADTEST_DB=referatarkivet (`make run`'s seed minutes).
# Options: CLIENTS=50,200 SECONDS=20 SERVERS=gthread:3x8,sync:3x1 NOTE='…' CACHE_URL=redis://…
# Figures: bench/results/loadtest/ (`python -m loadtest -h`).
LOADTEST_DB ?= referatarkivet_bench
$(VENV)/.loadtest: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[dev,loadtest]'
	touch $@

loadtest: install $(VENV)/.loadtest
	@export LOCAL_HTTP=true DATABASE_URL="$(call DB_URL,$(LOADTEST_DB))" && \
	export SECRET_KEY="$${SECRET_KEY:-$$($(PY) -m archive.localkey)}" && \
	$(PY) manage.py collectstatic --noinput -v0 && \
	$(PY) manage.py migrate --noinput -v0 && \
	$(PY) -m loadtest $(if $(CLIENTS),--clients $(CLIENTS)) $(if $(SECONDS),--seconds $(SECONDS)) \
		$(if $(SERVERS),--servers $(SERVERS)) $(if $(NOTE),--note "$(NOTE)")

# Where a request's time goes, per kind of page of the mix (loadtest/profile.py): wall, CPU, SQL
# time and statements, one request at a time in one process. Options: ROUNDS=3 PROFILE=search
# (cProfile's top functions for those kinds).
loadtest-profile: install $(VENV)/.loadtest
	@export LOCAL_HTTP=true DATABASE_URL="$(call DB_URL,$(LOADTEST_DB))" && \
	export SECRET_KEY="$${SECRET_KEY:-$$($(PY) -m archive.localkey)}" && \
	$(PY) manage.py collectstatic --noinput -v0 && \
	$(PY) -m loadtest.profile $(if $(ROUNDS),--rounds $(ROUNDS)) $(if $(PROFILE),--profile $(PROFILE))

# Two commands for a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: serve test lint check bench corpus loadtest faulttest validate install install-dev browsers clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

serve: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_roles
	$(PY) manage.py load_seeds
	$(PY) manage.py load_seed_pictures
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo
	@echo "Newsroom is starting on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "Create an account for the admin in another terminal:"
	@echo "    $(PY) manage.py create_editor yourname --name 'Your Name' --role editor"
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

# Benchmark every public page at BENCH_STORIES (100000) stories; writes docs/performance.md.
bench: $(VENV)/.runtime
	$(PY) -m bench.run

# Only build the corpus `make bench` would use (BENCH_STORIES, BENCH_SEED; DATABASE_URL for PostgreSQL), cached.
corpus: $(VENV)/.runtime
	$(PY) -m bench.corpus_cache

# Readers for LOADTEST_SECONDS (60) while a writer publishes, edits and unpublishes; fails on errors or leaks.
loadtest: $(VENV)/.runtime
	$(PY) -m bench.loadtest

# Faults under load: private PostgreSQL and Redis, two gunicorns; Redis down and stalled, an old
# Redis snapshot, PostgreSQL restarted and hung, a worker killed. Fails when a target is missed.
faulttest: $(VENV)/.runtime
	$(PY) -m bench.faulttest

# The standards gate: every public page type, feed and sitemap through the W3C Nu Html Checker, the
# feed validator's rules, the sitemaps.org schemas and Google's rules (bench/validate.py). Needs Java
# and npm; the checker's version is pinned here.
VNU_VERSION := 26.9.27
VNU_DIR := $(VENV)/validators/vnu-$(VNU_VERSION)
VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_JAR):
	npm install --prefix $(VNU_DIR) --no-save --no-audit --no-fund --silent vnu-jar@$(VNU_VERSION)

validate: $(VENV)/.dev $(VNU_JAR)
	VNU_JAR=$(VNU_JAR) $(PY) -m bench.validate

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

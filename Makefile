# PortLab: `make run` serves the demo on SQLite, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run serve test test-fast typecheck bench bench-national lint install install-dev messages browser clean mutate

$(BIN)/portlab: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(BIN)/portlab

install: $(BIN)/portlab

$(VENV)/.dev: $(BIN)/portlab
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.dev

install-dev: $(VENV)/.dev

# A random secret key, generated once into var/ (ignored by git) and read through
# PORTLAB_SECRET_KEY_FILE, so neither the demo nor `make serve` ever runs on a published key.
SECRET_KEY_FILE := $(CURDIR)/var/secret-key
$(SECRET_KEY_FILE):
	mkdir -p $(dir $@)
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Demo mode: plain HTTP on this machine (no HTTPS redirect, no secure-only cookies).
run: export PORTLAB_DEMO = 1
run: export PORTLAB_SECRET_KEY_FILE ?= $(SECRET_KEY_FILE)
run: install $(SECRET_KEY_FILE)
	$(BIN)/portlab migrate --no-input -v 0
	$(BIN)/portlab collectstatic --no-input -v 0
	$(BIN)/portlab keys-init
	$(BIN)/portlab demo
	$(BIN)/portlab risk-demo
	$(BIN)/portlab audit-checkpoint
	@echo "PortLab is serving on http://$(HOST)/ (Ctrl-C stops it)"
	BIN=$(BIN) bash scripts/run-all.sh $(HOST)

# Production-style: gunicorn, one worker process per core, 4 threads each, on DATABASE_URL;
# HTTPS settings on (put it behind a TLS proxy, or set PORTLAB_HTTPS=0 for a plain-HTTP trial).
serve: export PORTLAB_SECRET_KEY_FILE ?= $(SECRET_KEY_FILE)
serve: install $(SECRET_KEY_FILE)
	$(BIN)/portlab migrate --no-input -v 0
	$(BIN)/portlab collectstatic --no-input -v 0
	$(BIN)/portlab keys-init
	$(BIN)/gunicorn config.wsgi:application --bind $(HOST) --workers $$(nproc) \
		--worker-class gthread --threads 4 --keep-alive 30

# Browser tests need Debian's Chromium and CJK fonts; scripts/system-packages.sh installs them.
browser:
	bash scripts/system-packages.sh

# PYTEST_ARGS narrows the run (CI runs the browser tests, schemathesis and the route matrix
# once, on PostgreSQL: see .ci/run).
test: install-dev browser
	$(BIN)/ruff check .
	$(MAKE) --no-print-directory typecheck
	$(BIN)/portlab makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

# mypy with django-stubs over the set listed in pyproject.toml ([tool.mypy] files).
typecheck: install-dev
	$(BIN)/mypy

test-fast: install-dev
	$(BIN)/pytest -m "not e2e"

bench: install-dev
	$(BIN)/python bench/run_all.py

# The national year on PostgreSQL (BENCH_POSTGRES_URL, default the local `portlab` role):
# generate with COPY, database size, the board per scope. SCALE=0.02 builds a fiftieth.
SCALE ?= 1
bench-national: install-dev
	$(BIN)/python bench/bench_national.py --scale $(SCALE)

# Mutation testing of the pure modules (docs/mutation.md): CPU heavy, so one module at a time,
# niced, on 2 workers; not part of `make test` or CI. `$(BIN)/mutmut results` lists survivors.
MUTATE_MODULES := portlab.quality.westgard portlab.quality.decision portlab.quality.robust \
	portlab.quality.scores portlab.testing.units portlab.accounts.credit_code \
	portlab.transfers.routing

mutate: install-dev
	for module in $(MUTATE_MODULES); do \
		nice -n 10 $(BIN)/mutmut run --max-children 2 "$$module*" || exit 1; \
	done
	$(BIN)/mutmut results

lint: install-dev
	$(BIN)/ruff check .

messages: install-dev
	cd portlab && ../$(BIN)/portlab makemessages -l zh_Hans --no-obsolete
	cd portlab && ../$(BIN)/portlab compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) portlab.sqlite3 portlab.sqlite3-*

# PortLab: `make run` serves the demo on SQLite, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run serve test test-fast bench lint install install-dev messages browser clean mutate

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

run: install
	$(BIN)/portlab migrate --no-input -v 0
	$(BIN)/portlab collectstatic --no-input -v 0
	$(BIN)/portlab keys-init
	$(BIN)/portlab demo
	$(BIN)/portlab risk-demo
	@echo "PortLab is serving on http://$(HOST)/ (Ctrl-C stops it)"
	$(BIN)/portlab runserver $(HOST) --noreload

# Production-style: gunicorn, one worker process per core, 4 threads each, on DATABASE_URL.
serve: install
	$(BIN)/portlab migrate --no-input -v 0
	$(BIN)/portlab collectstatic --no-input -v 0
	$(BIN)/portlab keys-init
	$(BIN)/gunicorn config.wsgi:application --bind $(HOST) --workers $$(nproc) \
		--worker-class gthread --threads 4 --keep-alive 30

# Browser tests need Debian's Chromium and CJK fonts; scripts/system-packages.sh installs them.
browser:
	bash scripts/system-packages.sh

test: install-dev browser
	$(BIN)/ruff check .
	$(BIN)/portlab makemigrations --check --dry-run -v 0
	$(BIN)/pytest

test-fast: install-dev
	$(BIN)/pytest -m "not e2e"

bench: install-dev
	$(BIN)/python bench/run_all.py

# Mutation testing of the pure modules (docs/mutation.md): CPU heavy, so one module at a time,
# niced, on 2 workers; not part of `make test` or CI. `$(BIN)/mutmut results` lists survivors.
MUTATE_MODULES := portlab.quality.westgard portlab.quality.decision portlab.quality.robust \
	portlab.quality.scores portlab.testing.units portlab.accounts.credit_code \
	portlab.network.routing

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

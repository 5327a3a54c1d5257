# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-wire test-browser screenshots messages lint format bench load fuzz clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "needs $(PY) on PATH (or make PY=python3)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m portal.serve

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The browser suite: Debian's chromium + chromium-driver (apt-get install -y chromium
# chromium-driver), axe-core from npm (package.json) into node_modules.
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $(NODE_STAMP)

test-browser: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider browser_tests

# Screenshots of every page at 1280 and 375 px into docs/screenshots/
screenshots: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m browser_tests.screenshots

# Extract the pages' strings into their catalogs (portal/web/translations/*.po)
messages: $(STAMP)
	$(BIN)/python tools/catalogs.py

test-fast: $(STAMP)
	PORTAL_TEST_BACKEND=mock $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/pages.py

# 60 s of reads, searches, downloads, pushes and uploads against gunicorn (2 workers)
load: $(STAMP)
	$(BIN)/python bench/load.py

# A long schemathesis run over the OpenAPI spec (make test runs a short one)
fuzz: $(STAMP)
	FUZZ_EXAMPLES=200 FUZZ_RANDOM=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz_api.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Two commands do everything on a fresh machine:
#   make run    - set up .venv, then compare the three strategies on the default scenario
#   make test   - set up .venv (and Chromium for the browser test, when root), then run the tests
# Python 3.12 or newer is needed (Mesa 3.5); the first suitable interpreter on PATH is used
# (.python-version selects one under pyenv). Override with `make PYTHON=/path/to/python3.12 ...`.

PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	>/dev/null 2>&1 && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
REPS ?= 50
OUT ?= results/default

.PHONY: run test test-fast lint bench clean

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "error: Python 3.12 or newer not found on PATH (install it, or make PYTHON=...)" >&2; exit 2; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	-scripts/install-page-assets $(BIN)/python
	@touch $(STAMP)

# the main job: compare the strategies, explain the gap (decomposition, knockouts), map where the
# strict method works, check the known patterns, and write the report in English and Dutch
run: $(STAMP)
	$(BIN)/snf compare --scenario scenarios/default.yaml \
		--strategies care_as_usual,resource,flexible --reps $(REPS) --jobs $(JOBS) --out $(OUT)
	$(BIN)/snf decompose --scenario scenarios/default.yaml --workers $(JOBS) --out $(OUT)/decompose --quiet
	$(BIN)/snf mechanisms --scenario scenarios/default.yaml --workers $(JOBS) --out $(OUT)/mechanisms --quiet
	$(BIN)/snf threshold-map --workers $(JOBS) --out $(OUT)/threshold-map --quiet
	-$(BIN)/snf validate --workers $(JOBS) --out $(OUT)/validate --quiet
	$(BIN)/snf report $(OUT) --lang en --out $(OUT)/report_en.html
	$(BIN)/snf report $(OUT) --lang nl --out $(OUT)/report_nl.html

# the browser test needs Debian's Chromium: installed here when root (else the test is skipped, saying why)
test: $(STAMP)
	-scripts/install-browser
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser" -x -q --durations=5

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

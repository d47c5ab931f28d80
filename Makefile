# Two commands do everything on a fresh machine:
#   make run    - set up .venv, then compare the three strategies on the default scenario
#   make test   - set up .venv, then run the test suite
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
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/snf compare --scenario scenarios/default.yaml \
		--strategies care_as_usual,resource,flexible --reps $(REPS) --jobs $(JOBS) --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -x -q

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

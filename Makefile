# Two commands do everything on a fresh machine:
#   make run    - set up .venv, then compare the three strategies on the default scenario
#   make test   - set up .venv (and Chromium for the browser test, when root), then run the tests
#                 (all but those marked slow; `make test-all` runs those too)
# Python 3.12 or newer is needed (Mesa 3.5); the first suitable interpreter on PATH is used
# (.python-version selects one under pyenv). Override with `make PYTHON=/path/to/python3.12 ...`.

PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	>/dev/null 2>&1 && echo $$p && break; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
REPS ?= 5
DRAWS ?= 10
# Steps 2 and 3 (decomposition, knockouts) run over the same DRAWS posterior draws as step 1, with
# ANALYSIS_REPS replications per draw: 2 is the fewest that still tell the parameters' share of the
# spread from chance, and 10 draws give that share 9 degrees of freedom where 4 draws x 5 runs, at the
# same cost, would give 3. Measured (default scenario, one process, 2026-12): a run costs 0.99 CPU-s
# in decompose at fixed parameters and 0.77 over draws, 0.84 and 0.75 in mechanisms; with --reps 2,
# 4 draws took 198 CPU-s (decompose) and 180 (mechanisms) against 64 and 50 without. Steps 2+3 cost
# about 9.5 CPU-minutes at fixed parameters with 10 replications (before), 16 with 10 draws x 2
# (now), 31 with 4 draws x 10 and 79 with 10 draws x 10; halve for wall time on 2 free cores.
ANALYSIS_REPS ?= 2
OUT ?= results/default

.PHONY: run test test-all test-fast lint bench docs-numbers clean

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "error: Python 3.12 or newer not found on PATH (install it, or make PYTHON=...)" >&2; exit 2; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# setuptools prints a boxed notice on every editable install; silenced here (install errors still show)
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e ".[dev]"
	-scripts/install-page-assets $(BIN)/python
	@touch $(STAMP)

# the main job: compare the strategies, explain the gap (decomposition, knockouts), map where the
# strict method works, check the known patterns, and write the report in English and Dutch
run: $(STAMP)
	@echo "== step 1 of 7: compare the strategies over $(DRAWS) draws of the calibrated parameters x $(REPS) runs -> $(OUT)"
	$(BIN)/snf compare --scenario scenarios/default.yaml --posterior calibration/posterior --draws $(DRAWS) \
		--strategies care_as_usual,resource,flexible --reps $(REPS) --jobs $(JOBS) --out $(OUT)
	@echo "== step 2 of 7: decomposition of the gap between the strict and the flexible method, over $(DRAWS) draws x $(ANALYSIS_REPS) runs"
	$(BIN)/snf decompose --scenario scenarios/default.yaml --posterior calibration/posterior --draws $(DRAWS) \
		--reps $(ANALYSIS_REPS) --workers $(JOBS) --out $(OUT)/decompose --quiet
	@echo "== step 3 of 7: mechanism knockouts, over $(DRAWS) draws x $(ANALYSIS_REPS) runs"
	$(BIN)/snf mechanisms --scenario scenarios/default.yaml --posterior calibration/posterior --draws $(DRAWS) \
		--reps $(ANALYSIS_REPS) --workers $(JOBS) --out $(OUT)/mechanisms --quiet
	@echo "== step 4 of 7: threshold map (where the strict method works)"
	$(BIN)/snf threshold-map --workers $(JOBS) --out $(OUT)/threshold-map --quiet
	@echo "== step 5 of 7: validation against known patterns (a failed check is reported, not fatal)"
	-$(BIN)/snf validate --workers $(JOBS) --out $(OUT)/validate --quiet
	@echo "== step 6 of 7: report in English"
	$(BIN)/snf report $(OUT) --lang en --out $(OUT)/report_en.html
	@echo "== step 7 of 7: report in Dutch"
	$(BIN)/snf report $(OUT) --lang nl --out $(OUT)/report_nl.html
	@echo "== done: open $(OUT)/report_en.html (English) or $(OUT)/report_nl.html (Nederlands) in a browser"

# the browser test needs Debian's Chromium: installed here when root (else the test is skipped, saying why)
test: $(STAMP)
	-scripts/install-browser
	$(BIN)/python -m pytest -m "not slow"

# everything, the slow tests included (patterns over many replications, kill-and-resume, Dask,
# calibration recovery, wrong model variants, the documentation's numbers): tens of minutes
test-all: $(STAMP)
	-scripts/install-browser
	$(BIN)/python -m pytest

# the model's specification (rules, shelter flow, invariants, reproducibility, pinned outputs, Mesa
# habits, layering): what a student runs after changing a rule. The command line, sweeps, report and
# page have their own end-to-end tests in `make test`.
MODEL_TESTS := tests/test_rule_specs.py tests/test_rules.py tests/test_shelter.py tests/test_invariants.py \
	tests/test_reproducibility.py tests/test_pinned.py tests/test_mesa_compat.py tests/test_peer_first.py \
	tests/test_mechanisms.py tests/test_architecture.py tests/test_documentation.py
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser" -x -q --durations=5 $(MODEL_TESTS)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# regenerate the numbers quoted in README.md and docs/tutorial.md after a change to the model
docs-numbers: $(STAMP)
	$(BIN)/python scripts/doc-numbers --write

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# One command to set up and run, one to set up and test: the venv is made on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test bench lint mutate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/rotation app

test: setup
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2

bench: setup
	$(BIN)/python -m tests.bench

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# Mutation testing of solver/ ([tool.mutmut] in pyproject.toml): which changes to the solver no test notices.
# Starts afresh each time (mutmut keeps verdicts between runs and would not retry a survivor after a test is
# strengthened). Survivors are reported, never a failure; a broken run (tests failing unmutated) still fails.
# MUTANTS narrows the run to mutmut's names, e.g. make mutate MUTANTS='solver.check*' (all of solver/ takes hours).
MUTATE_CHILDREN ?= 2
MUTANTS ?=
mutate: setup
	rm -rf mutants
	set -f; $(BIN)/mutmut run --max-children $(MUTATE_CHILDREN) $(MUTANTS)
	@echo "--- mutants not killed (mutmut results) ---"
	$(BIN)/mutmut results
	$(BIN)/mutmut export-cicd-stats
	@cat mutants/mutmut-cicd-stats.json; echo

clean:
	rm -rf $(VENV) build *.egg-info mutants

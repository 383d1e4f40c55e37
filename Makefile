# One command to set up and run, one to set up and test: the venv is made on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO := resources/demo/grade3-math.xlsx
OUT := out

.PHONY: setup run test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $(STAMP)

setup: $(STAMP)

run: setup
	@mkdir -p $(OUT)
	$(BIN)/rotation plan $(DEMO) --out $(OUT)/grade3-plan.xlsx --seed 1
	@echo "The plan workbook is $(CURDIR)/$(OUT)/grade3-plan.xlsx"

test: setup
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2

bench: setup
	$(BIN)/python -m tests.bench

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info

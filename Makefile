# Quick start: `make demo` and `make test`; both build the virtual environment first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

SITE ?= catalogs/sites/xiaolan-town.yaml

demo: $(STAMP)
	$(BIN)/roadmap run $(SITE) --force
	@echo "open output/$(notdir $(basename $(SITE)))/report.html"

test: $(STAMP)
	$(BIN)/ruff check roadmap tests tools bench
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check roadmap tests tools bench

bench: $(STAMP)
	$(BIN)/python bench/bench_sensitivity.py
	$(BIN)/python bench/bench_gantt.py
	$(BIN)/python bench/bench_run.py
	$(BIN)/python bench/bench_pathway.py
	$(BIN)/python bench/bench_uncertainty.py

docs: $(STAMP)
	$(BIN)/python tools/validate.py
	$(BIN)/python tools/readme_figures.py
	$(BIN)/python tools/review_top_ten.py

clean:
	rm -rf $(VENV) .pytest_cache

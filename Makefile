# Quick start: `make demo` and `make test`; both build the virtual environment first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/roadmap catalog summary

test: $(STAMP)
	$(BIN)/ruff check roadmap tests tools
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check roadmap tests tools bench

clean:
	rm -rf $(VENV) .pytest_cache

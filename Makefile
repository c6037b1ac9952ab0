# Two commands for a fresh machine (see README.md):
#   make run   – set up .venv from the pinned dependencies and build the follow-up from data/
#   make test  – set up .venv and run ruff and the test suite
# Each works alone: both depend on the same .venv stamp, rebuilt when the pins change.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= build

.PHONY: run test lint setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (found %d.%d); set PYTHON=python3.11" % sys.version_info[:2])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/pip check
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mvk run --out $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache

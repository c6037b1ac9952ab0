# Two commands for a fresh machine (see README.md):
#   make run   – set up .venv from the pinned dependencies and build the follow-up from data/
#   make test  – set up .venv and run ruff and the test suite (the slow tests too when CI=true; make test-all)
# Each works alone: both depend on the same .venv stamp, rebuilt when the pins change.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= build

COMPLETION := $(VENV)/share/bash-completion/completions/mvk

# Python's default: keep compiled modules in __pycache__. Some machines (this one) export
# PYTHONDONTWRITEBYTECODE=1, and then pytest rewrites the assertions of every test module again in each
# worker on every run: collection took 7.6-8.9 s that way and 3.9-4.1 s with the rewritten modules kept.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test test-all lint setup clean

setup: $(STAMP) $(COMPLETION)

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (found %d.%d); set PYTHON=python3.11" % sys.version_info[:2])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==26.3
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/pip check
	touch $(STAMP)

# Shell completion for mvk, regenerated when the command line changes; `source .venv/bin/activate`
# in bash loads it (zsh: add .venv/share/zsh/site-functions to fpath).
$(COMPLETION): $(STAMP) pipelines/cli.py indicators/messages/cli.yaml
	mkdir -p $(dir $(COMPLETION)) $(VENV)/share/zsh/site-functions
	$(BIN)/mvk completion bash > $(COMPLETION)
	$(BIN)/mvk completion zsh > $(VENV)/share/zsh/site-functions/_mvk
	grep -q 'bash-completion/completions/mvk' $(BIN)/activate || \
	  echo '[ -n "$${BASH_VERSION:-}" ] && . "$$VIRTUAL_ENV/share/bash-completion/completions/mvk"' >> $(BIN)/activate

run: $(STAMP) $(COMPLETION)
	$(BIN)/mvk run --out $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check .

# The fast loop leaves out the tests marked slow (kill survey, concurrent runs, PostgreSQL, editions,
# full reruns); CI (CI=true) and `make test-all` run everything, and CI checks every page.
# Two pytest-xdist workers (the machine has two cores) that steal work from each other and share one
# session build (tests/conftest.py); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
PYTEST_ARGS := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist worksteal)

test: lint
	$(BIN)/pytest $(PYTEST_ARGS) $(if $(filter true,$(CI)),,-m "not slow")

test-all: lint
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache

# CaseDesk — two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell $(PYTHON) -c 'import hashlib,sys;print(hashlib.sha1(open("pyproject.toml","rb").read()).hexdigest()[:10])' 2>/dev/null)

.PHONY: run test bench crashtest lint format system-deps check-python clean

run: check-python
	@sh scripts/system-deps.sh run
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/casedesk

test: check-python
	@sh scripts/system-deps.sh test
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: check-python
	@$(MAKE) --no-print-directory $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/run.py

crashtest: check-python
	@$(MAKE) --no-print-directory $(STAMP)
	$(BIN)/python scripts/crashtest.py $(ARGS)

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "CaseDesk 需要 Python 3.11 或更高版本（当前：$$($(PYTHON) --version 2>&1)）。"; exit 1; }

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

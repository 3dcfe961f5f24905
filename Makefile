# Two commands for a fresh machine: `make demo` and `make test`. Both create .venv if missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench gui clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)  ## build a sample workspace through the real importers and write the reports
	$(BIN)/scorecard demo demo
	$(BIN)/scorecard info demo/demo.scorecard

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint  ## ruff, import contracts, then the whole test suite (Qt offscreen)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

gui: $(STAMP)
	$(BIN)/scorecard gui $(if $(wildcard demo/demo.scorecard),demo/demo.scorecard,)

clean:
	rm -rf demo .pytest_cache .ruff_cache build *.egg-info

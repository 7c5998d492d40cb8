# egov: two commands.
#   make demo   set up and run the demo city on the embedded default (SQLite, no server needed)
#   make test   set up and pass the whole suite (SQLite; then PostgreSQL + Redis when they answer)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test venv lint clean

demo: $(STAMP)
	$(BIN)/egov demo

test: $(STAMP)
	bash scripts/run-tests

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt scripts/bootstrap-venv
	PYTHON="$(PYTHON)" bash scripts/bootstrap-venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Two commands: `make run` and `make test`. Both set everything up on first use.
# `make serve`: the office server (sign-in on every page; README "Máy chủ của phòng").
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501
PLANNER_HOST ?= 0.0.0.0
PLANNER_PORT ?= 8501

.PHONY: run serve test lint e2e fuzz bench clean setup

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m streamlit run app.py --server.port $(PORT)

# The office server: PLANNER_DB (a SQLite file or a postgresql:// URL), PLANNER_HOST and
# PLANNER_PORT; the cookie secret is PLANNER_SECRET or .data/secret (created here, 0600).
serve: $(STAMP)
	$(PY) -m server secret
	$(PY) -m server check
	PLANNER_MODE=server $(PY) -m streamlit run serve.py \
		--server.address $(PLANNER_HOST) --server.port $(PLANNER_PORT) \
		--client.showErrorDetails none --server.fileWatcherType none

# ruff (lint and formatting) and mypy, strict on planner/: any finding fails `make test` and CI.
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

test: $(STAMP) lint
	$(PY) -m pytest -q

e2e: $(STAMP)
	$(PY) -m pytest -q -m e2e

# A longer fuzzing run than `make test` gives tests/test_fuzz.py.
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-300} $(PY) -m pytest -q tests/test_fuzz.py

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache

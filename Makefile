# The two sacred commands: `make run` (demo on the embedded default) and `make test` (full suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format translations clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/samverka demo

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check platform tests migrations infra
	$(BIN)/ruff format --check platform tests migrations infra

format: $(STAMP)
	$(BIN)/ruff format platform tests migrations infra
	$(BIN)/ruff check --fix platform tests migrations infra

translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o platform/samverka/translations/messages.pot platform/samverka
	test -f platform/samverka/translations/en/LC_MESSAGES/messages.po \
	  || $(BIN)/pybabel init -i platform/samverka/translations/messages.pot -d platform/samverka/translations -l en
	$(BIN)/pybabel update -i platform/samverka/translations/messages.pot -d platform/samverka/translations -l en
	$(BIN)/pybabel compile -d platform/samverka/translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

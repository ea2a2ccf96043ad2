# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format venv system-deps demo clean ci messages

$(STAMP): pyproject.toml
	@bash scripts/system-deps.sh
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

## make run: environment, migrations, demo data, Tripletex emulator, first sync, the pipeline
## and the portal on http://$(HOST):$(PORT) — all in one process; Ctrl-C stops it.
## Dev mode by name: DEBUG and a development key. Without it the settings refuse to start.
run: venv
	AUTOCOLLECT_DEV_MODE=1 $(PY) manage.py migrate --noinput
	AUTOCOLLECT_DEV_MODE=1 $(PY) manage.py run_demo --host $(HOST) --port $(PORT)

## make test: lint, format check, the layer contracts (import-linter, pyproject.toml) and the whole
## suite on the embedded default (SQLite, eager tasks).
## The tests run in dev mode: pytest-env sets AUTOCOLLECT_DEV_MODE=1 (pyproject.toml).
test: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	env -u DATABASE_URL -u CELERY_BROKER_URL $(VENV)/bin/pytest -q

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

ci:
	bash .ci/run

## make messages: the UI's strings into locale/*/LC_MESSAGES/django.po (translate the new ones:
## tests/test_catalogues.py fails on an untranslated or fuzzy one), then compiled to .mo, which
## the repository carries. Same options as the test's MAKEMESSAGES.
messages: venv
	AUTOCOLLECT_DEV_MODE=1 $(PY) manage.py makemessages -l sv -l nb -l fi -l en -e html,txt,py \
	  --add-location file -i '.venv/*' -i 'var/*' -i 'bench/*' -i 'tests/*' -i 'build/*'
	AUTOCOLLECT_DEV_MODE=1 $(PY) manage.py compilemessages -l sv -l nb -l fi -l en -i .venv -i var -i bench

clean:
	rm -rf $(VENV) var staticfiles

# PD Cycles: `make run` serves the demo; `make test` runs lint and the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: run test venv dev-venv lint lock migrate seed worker beat bench messages clean

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' || \
	  { echo "PD Cycles needs Python 3.10 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Try: make PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	touch $@

# constraints.txt pins every package, the dependencies' dependencies too, to the versions CI tested.
$(VENV)/.installed: requirements.txt constraints.txt $(VENV)/.python-ok
	$(PIP) install -q -c constraints.txt -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt constraints.txt $(VENV)/.installed
	$(PIP) install -q -c constraints.txt -r requirements-dev.txt
	touch $@

# After changing requirements*.txt: pin the new set (pip-tools), then `make test`.
lock: $(VENV)/.python-ok
	$(PIP) install -q -c constraints.txt pip-tools
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-find-links --no-emit-index-url \
	  --no-emit-trusted-host --output-file constraints.txt requirements-dev.txt

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev

migrate: venv
	DEBUG=1 $(PY) manage.py migrate --noinput

# manage.py runs in production mode unless told otherwise: the development targets say DEBUG=1.
run: venv
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo --if-empty
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: dev-venv lint
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

worker: venv
	$(VENV)/bin/celery -A pdcycles worker -l info

beat: venv
	$(VENV)/bin/celery -A pdcycles beat -l info

bench: dev-venv
	$(PY) bench/measures.py

# After marking or changing an interface string: update locale/*/LC_MESSAGES/django.po, translate
# the new entries, run this again to compile the .mo files, and commit both (needs GNU gettext).
messages: venv
	DEBUG=1 $(PY) manage.py makemessages --all --ignore=tests --ignore=bench --ignore=docs --ignore=.venv --no-obsolete
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles

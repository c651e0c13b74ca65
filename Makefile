# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo serve worker lint format migrations-check check-deploy bench bench-pg clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable --database cache

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo ""
	@echo "  The site:      http://$(HOST):$(PORT)/"
	@echo "  The admin:     http://$(HOST):$(PORT)/admin/"
	@echo "  Demo editor:   editor@example.com / gtws-demo-editor (created only while DEBUG is on)"
	@echo "  Sign-up e-mails (with the confirmation link) are printed below, on this console."
	@echo "  Your own:      $(BIN)/python manage.py createsuperuser"
	@echo "  Background worker (renders pages again after an editor's change): started beside the server."
	@echo ""
	$(BIN)/python manage.py db_worker --interval 0.5 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The background task worker on its own (production runs it as a process of its own: docs/deploy.md).
worker: migrate
	$(BIN)/python manage.py db_worker --interval 0.5

serve: migrate
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn --config gunicorn.conf.py gtws_site.wsgi

# Tests close database connections after each request (the browser tests' live server would
# otherwise keep the test database open past its teardown).
test: install
	CONN_MAX_AGE=0 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

check-deploy: install
	DEBUG=0 SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-string-for-the-check-only \
	  ALLOWED_HOSTS=gtws.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

# The benchmark (scripts/bench.py) runs on its own scratch database, never on yours.
BENCH_DB ?= /tmp/gtws-bench.sqlite3
BENCH_ENV = DATABASE_URL=sqlite:///$(BENCH_DB)
bench: install
	rm -f $(BENCH_DB) $(BENCH_DB:.sqlite3=-cache.sqlite3)
	$(BENCH_ENV) $(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BENCH_ENV) $(BIN)/python manage.py createcachetable --database cache
	$(BENCH_ENV) $(BIN)/python scripts/bench.py $(BENCH_ARGS)

# The same on PostgreSQL and Redis, as in production (a scratch database on the local server; the
# pages in a Redis db of their own, so the benchmark can count their entries). Both dbs start empty.
BENCH_PG_HOST ?= 127.0.0.1
BENCH_PG_DB ?= gtws_bench
BENCH_REDIS ?= redis://127.0.0.1:6379/5
BENCH_PAGE_REDIS ?= redis://127.0.0.1:6379/6
BENCH_PG_ENV = DATABASE_URL=postgres://postgres@$(BENCH_PG_HOST):5432/$(BENCH_PG_DB) \
  REDIS_URL=$(BENCH_REDIS) PAGE_CACHE_URL=$(BENCH_PAGE_REDIS)
bench-pg: install
	dropdb --if-exists -h $(BENCH_PG_HOST) -U postgres $(BENCH_PG_DB)
	createdb -h $(BENCH_PG_HOST) -U postgres $(BENCH_PG_DB)
	redis-cli -u $(BENCH_REDIS) FLUSHDB >/dev/null
	redis-cli -u $(BENCH_PAGE_REDIS) FLUSHDB >/dev/null
	$(BENCH_PG_ENV) $(BIN)/python manage.py migrate --noinput --verbosity 0
	$(BENCH_PG_ENV) $(BIN)/python manage.py createcachetable --database cache
	$(BENCH_PG_ENV) $(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

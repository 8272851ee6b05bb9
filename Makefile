# Two commands on a fresh machine: `make run` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# Every local file (databases, broker, beat schedule, sandbox storage, logins) lives here.
VAR_DIR ?= $(CURDIR)/var
export VAR_DIR

# migrate, demo and run work in the environment of a local trial run: DEBUG off, this machine's
# secrets in $(VAR_DIR)/local-secrets.env (scripts/run_env.sh; `DEBUG=1 make run` to debug).
RUN_ENV := . scripts/run_env.sh &&

.PHONY: run test test-fast install lock messages migrate demo lint format bench bench-scale sandbox worker web ci clean

# Exactly the versions in requirements.lock (with their hashes), then the project itself.
$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

install: $(BIN)/.installed

# Resolve pyproject.toml's ranges again (e.g. after changing a dependency) into the lock file.
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --output-file requirements.lock --quiet

messages: install
	$(BIN)/python scripts/compile_messages.py

migrate: install messages
	$(RUN_ENV) $(BIN)/python manage.py migrate --verbosity 0

demo: migrate
	$(RUN_ENV) $(BIN)/python manage.py demo_data --login-file $(VAR_DIR)/demo-login.txt \
		--operator-login-file $(VAR_DIR)/operator-login.txt

run: demo
	@echo "Back office: http://$${WEB_HOST:-127.0.0.1}:$${WEB_PORT:-8000}/  ·  Sendcloud sandbox: http://$${SANDBOX_HOST:-127.0.0.1}:$${SANDBOX_PORT:-8001}/"
	@# /metrics counters of the previous run's processes would count on (docs/deploy.md)
	rm -rf "$${PROMETHEUS_MULTIPROC_DIR:-$${VAR_DIR:-var}/prometheus}"
	$(RUN_ENV) $(BIN)/honcho start

test: install messages
	bash scripts/ensure_chromium.sh
	$(BIN)/pytest $(PYTEST_ARGS)

# No servers, worker processes or browsers: the lane to run while working.
test-fast: install messages
	$(BIN)/pytest -m "not http and not browser and not worker" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python benchmarks/parcel_walk.py
	$(BIN)/python benchmarks/webhook_intake.py
	$(BIN)/python benchmarks/sync_benchmark.py
	$(BIN)/python benchmarks/order_push_benchmark.py
	$(BIN)/python benchmarks/label_benchmark.py
	$(BIN)/python benchmarks/export_benchmark.py
	$(BIN)/python benchmarks/shipping_day_benchmark.py
	$(BIN)/python benchmarks/dashboard_benchmark.py
	$(BIN)/python benchmarks/printer_benchmark.py
	$(BIN)/python benchmarks/packing_benchmark.py

# Many companies, many workers (docs/deploy.md): PostgreSQL and Redis on this machine.
bench-scale: install messages
	$(BIN)/python benchmarks/scale_benchmark.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(VAR_DIR)/*.sqlite3* staticfiles

# The two commands a new user needs: `make run` and `make test`. Both set up the
# virtualenv themselves (and refresh it when pyproject.toml changes).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: setup run test test-fast test-deploy lint bench browser oidc-provider lock clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch is pinned to the CPU build that pip finds locally; install it first so no
	# other requirement can pull a CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## Build the index if it is missing, then serve http://127.0.0.1:8000
run: setup
	$(BIN)/assistant serve

## Chromium for the browser tests (Debian package; needs root or sudo)
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi

## The OpenID provider the oidc browser test signs in with (npm oidc-provider, tests/oidc)
oidc-provider:
	@if command -v npm >/dev/null; then npm ci --prefix tests/oidc --no-audit --no-fund --silent; \
	else echo "npm not found: the oidc browser test will be skipped"; fi

## Every test: lint, unit, integration (real model, real Chroma embedded and server), browser
test: setup browser oidc-provider
	$(BIN)/lint-imports
	$(BIN)/ruff check assistant tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider

## The deployment topology alone: nginx, two app processes, PostgreSQL, `chroma run`
## (Debian nginx-light and postgresql; `make test` runs it too)
test-deploy: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider -m deploy

## Unit tests only (seconds)
test-fast: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not integration and not e2e"

lint: setup
	$(BIN)/ruff check assistant tests benchmarks
	$(BIN)/ruff format --check assistant tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

## Quality and speed benchmarks; writes docs/benchmarks.md
bench: setup
	$(BIN)/python -m benchmarks.run --write docs/benchmarks.md

## Regenerate requirements.lock: the runtime dependencies pinned with hashes (Linux x86_64,
## CPython 3.11; torch from the local CPU wheel in $(TORCH_WHEELS), as `make setup` installs)
TORCH_WHEELS ?= /opt/wheels
lock: setup
	$(BIN)/uv pip compile pyproject.toml --quiet --generate-hashes --emit-find-links \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	  --find-links $(TORCH_WHEELS) --custom-compile-command "make lock" -o requirements.lock

clean:
	rm -rf data test-artifacts .pytest_cache .mypy_cache .ruff_cache

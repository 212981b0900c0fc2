#!/usr/bin/env bash
# Runs every test, slow ones included (rendering, site build, browser), and the linter.
# Extra arguments go to pytest, e.g. scripts/test.sh -m "not slow" for the quick ones.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.cache/tools/node/bin/node --test "tests/js/*.test.mjs"
.venv/bin/python -m pytest "$@"

#!/usr/bin/env bash
# Builds the whole course site into site/: installs what is missing, builds the assets that are
# stale (QUALITY=low|medium|high, default medium), then runs mkdocs build --strict.
set -euo pipefail
export NO_MKDOCS_2_WARNING=1  # a notice about the theme's future, printed on every build
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python build_assets.py --quality "${QUALITY:-medium}"
.venv/bin/mkdocs build --strict
echo "site built in $(pwd)/site (preview: .venv/bin/mkdocs serve)"

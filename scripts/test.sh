#!/usr/bin/env bash
# Set up everything, then run every check CI runs: lint and types (Python and JS), JS unit
# tests, the Python test suite (unit, embedded model, real kernels), the notebooks under
# nbval, and the real-browser tests. Ends with pytest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser

export SYNALINKS_NB_HOME="${SYNALINKS_NB_HOME:-$(mktemp -d)}"
export SYNALINKS_NB_APPROVAL="${SYNALINKS_NB_APPROVAL:-}"
PY=.venv/bin/python

echo "==> ruff"
$PY -m ruff check synalinks_nb tests bench scripts
echo "==> mypy (strict)"
$PY -m mypy
echo "==> JS lint, types and unit tests"
npm run --silent lint
npm run --silent typecheck
npm run --silent test
echo "==> pytest (unit, doctests, embedded model, kernels, notebooks, browser)"
$PY -m pytest -q -p no:cacheprovider --doctest-modules synalinks_nb tests \
  $( [ -d notebooks ] && ls notebooks/*.ipynb >/dev/null 2>&1 && echo "--nbval-lax notebooks" ) "$@"

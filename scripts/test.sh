#!/usr/bin/env bash
# Set up everything, then run every check CI runs: lint and types (Python and JS), JS unit
# tests, the Python test suite (unit, embedded model, real kernels), the notebooks under
# nbval, and the real-browser tests. Ends with pytest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser

# A second, minimal environment with ipykernel 6, for the approval test on old kernels.
# Made again when the package's core dependencies grow (jinja2 did): the import check fails.
if ! .venv-ipk6/bin/python -c "import ipykernel, anywidget, jinja2, jsonschema" 2>/dev/null; then
  echo "==> creating .venv-ipk6 (ipykernel 6) for the kernel-compatibility test"
  .venv/bin/python -m venv .venv-ipk6
  .venv-ipk6/bin/python -m pip install --quiet "ipykernel>=6.29,<7" anywidget pydantic \
    jsonschema numpy tqdm jinja2
  .venv-ipk6/bin/python -m pip install --quiet --no-deps -e .
fi
export SYNALINKS_NB_IPYKERNEL6_PYTHON="$PWD/.venv-ipk6/bin/python"
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
# llama_cpp leaves two /dev/null handles open at import; silence that shutdown-time warning
# so pytest's summary stays the last line.
PYTHONWARNINGS="ignore::ResourceWarning" $PY -m pytest -q -p no:cacheprovider --doctest-modules synalinks_nb tests \
  $( [ -d notebooks ] && ls notebooks/*.ipynb >/dev/null 2>&1 && echo "--nbval-lax notebooks" ) "$@"

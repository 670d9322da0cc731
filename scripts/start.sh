#!/usr/bin/env bash
# Set up everything, then open JupyterLab on the tutorials (embedded model as default,
# no API key needed). `--headless` instead executes the tutorials and writes an HTML
# report, printing where it is.
set -euo pipefail
cd "$(dirname "$0")/.."
headless=0
[ "${1:-}" = "--headless" ] && headless=1
bash scripts/setup.sh
if [ "$headless" = 1 ]; then
  exec .venv/bin/python scripts/run_tutorials.py "${@:2}"
fi
exec .venv/bin/jupyter lab --notebook-dir=notebooks 01_quickstart.ipynb

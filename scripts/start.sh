#!/usr/bin/env bash
# Set up everything, then open JupyterLab on the tutorials (embedded model as default,
# no API key needed). `--headless` instead executes the tutorials and writes a
# self-contained HTML report, printing only its progress and where the report is (the
# set-up's own output goes to reports/setup.log, shown only when the set-up fails).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--headless" ]; then
  mkdir -p reports
  echo "setting up (log: reports/setup.log) ..."
  if ! bash scripts/setup.sh >reports/setup.log 2>&1; then
    tail -n 40 reports/setup.log >&2
    exit 1
  fi
  exec .venv/bin/python scripts/run_tutorials.py "${@:2}"
fi
bash scripts/setup.sh
exec .venv/bin/jupyter lab --notebook-dir=notebooks 01_quickstart.ipynb

#!/usr/bin/env bash
# Build the widget bundles into synalinks_nb/static/ (used by CI and developers;
# the wheel build hook, scripts/hatch_build.py, does the same from Python).
#   - runs `npm ci` only when node_modules is missing or package-lock.json changed;
#   - prints the bundle sizes and fails when they exceed 150 KB in total.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "build_js.sh: npm not found; install Node.js >= 20 to build the widget bundles." >&2
  exit 1
fi
# npm ci writes node_modules/.package-lock.json; an older one means the lock changed since.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build

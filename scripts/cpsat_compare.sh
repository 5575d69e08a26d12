#!/usr/bin/env bash
# Run OR-Tools CP-SAT on instance files, for comparison with hetsched's milp (docs/benchmarks.md).
# Installs ortools from the Python registry into a throwaway virtual environment
# (${CPSAT_VENV:-/tmp/hetsched-cpsat-venv}); the Rust tests never depend on it.
#   scripts/cpsat_compare.sh [--workers 2] [--time-limit 60] FILE.json...
set -euo pipefail
venv="${CPSAT_VENV:-/tmp/hetsched-cpsat-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet ortools
fi
exec "$venv/bin/python" "$(dirname "$0")/cpsat_compare.py" "$@"

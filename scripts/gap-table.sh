#!/usr/bin/env bash
# Solve OR-Library GAP problems with the exact solver and compare with optima.csv.
# Usage: scripts/gap-table.sh [SECONDS] [FILE...]   (default: 60 s, every file in optima.csv)
# Needs a release build (cargo build --release). Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-60}
shift || true
files=("$@")
bin=target/release/hetsched
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| file | problem | m × n | sense | optimum | hetsched value | status | seconds |"
echo "|---|---|---|---|---|---|---|---|"
tail -n +2 instances/orlib-gap/optima.csv | while IFS=, read -r file k m n sense opt _; do
  if [ ${#files[@]} -gt 0 ] && [[ ! " ${files[*]} " == *" $file "* ]]; then continue; fi
  "$bin" convert --from orlib-gap "instances/orlib-gap/$file" --problem "$k" --out "$tmp/p.json" 2>/dev/null
  "$bin" solve "$tmp/p.json" --solver milp --time-limit "$limit" --out "$tmp/s.json" >/dev/null || true
  read -r v st secs < <(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['value'], d['status'], round(d['seconds'],2))" "$tmp/s.json")
  echo "| $file | $k | $m × $n | $sense | $opt | $v | $st | $secs |"
done

#!/usr/bin/env bash
# Reproduce the Braun et al. 512×16 table of docs/benchmarks.md: every instance, each solver
# given, a time limit per run; prints a Markdown table with the gap to the best-known makespan.
# Usage: scripts/braun-table.sh [SECONDS] [SOLVER...]      (default: 10 s, ls ga)
# Needs a release build (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-10}
shift || true
solvers=("$@")
[ ${#solvers[@]} -eq 0 ] && solvers=(ls ga)
bin=target/release/hetsched
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
header="| instance | best known | Min-Min |"
rule="|---|---|---|"
for s in "${solvers[@]}"; do header+=" $s | gap |"; rule+="---|---|"; done
echo "$header"
echo "$rule"
tail -n +2 instances/braun-512x16/reference.csv | while IFS=, read -r name _ _ best _ minmin; do
  "$bin" convert --from etc "instances/braun-512x16/$name" --out "$tmp/$name.json" 2>/dev/null
  row="| $name | $best | $minmin |"
  for s in "${solvers[@]}"; do
    "$bin" solve "$tmp/$name.json" --solver "$s" --time-limit "$limit" --out "$tmp/$s.json" >/dev/null
    v=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['value'])" "$tmp/$s.json")
    gap=$(python3 -c "print(f'{100*($v-$best)/$best:.2f}%')")
    row+=" $(printf '%.2f' "$v") | $gap |"
  done
  echo "$row"
done

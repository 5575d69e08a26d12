#!/bin/bash
# HEFT / CPOP / PEFT makespans of the WfCommons and Pegasus workflows of
# shared/benchmarks/dag-comm on the default device set (4 CPUs of speed 1, 2 GPUs of
# speed 4), at the workflow's own CCR on 125 MB/s and with the bandwidth scaled to
# CCR 0.1, 1 and 10 (`convert --ccr`), and best-greedy's at CCR 10. Prints the Markdown
# table of docs/import.md.
#
#   scripts/workflow_ccr_table.sh [DAG_COMM_DIR]    (default ../shared/benchmarks/dag-comm)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-$here/../shared/benchmarks/dag-comm}
bin=${HETSCHED:-$here/target/release/hetsched}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
value() { "$bin" solve "$1" --solver "$2" 2>/dev/null | awk '/^value/{print $2}'; }
echo "| workflow | tasks | edges (with data) | data (MB) | own CCR | HEFT / CPOP / PEFT, CCR 0.1 | CCR 1 | CCR 10 | best-greedy, CCR 10 |"
echo "|---|---|---|---|---|---|---|---|---|"
for f in "$src"/wfcommons/*.json "$src"/pegasus/*.xml; do
  case $f in *.json) fmt=wfcommons ;; *) fmt=dax ;; esac
  name=$(basename "${f%.*}")
  summary=$("$bin" convert --from "$fmt" "$f" --out "$tmp/x.json" 2>&1 | sed -n 1p)
  # "<file>: N tasks, M devices, E edges (D with data, X MB in all), CCR C"
  read -r tasks edges data mb ccr < <(echo "$summary" |
    sed -E 's/.*: ([0-9]+) tasks, [0-9]+ devices, ([0-9]+) edges \(([0-9]+) with data, ([0-9.]+) MB in all\), CCR (.*)/\1 \2 \3 \4 \5/')
  row="| $name | $tasks | $edges ($data) | $mb | $ccr"
  for r in 0.1 1 10; do
    "$bin" convert --from "$fmt" "$f" --ccr "$r" --out "$tmp/$r.json" 2>/dev/null
    row="$row | $(value "$tmp/$r.json" heft) / $(value "$tmp/$r.json" cpop) / $(value "$tmp/$r.json" peft)"
  done
  echo "$row | $(value "$tmp/10.json" best-greedy) |"
done

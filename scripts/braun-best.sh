#!/bin/bash
# Run `auto` on each Braun-style instance of SET (default instances/braun-1024x32; also
# instances/hcsp-2048x64 after scripts/fetch-hcsp.sh) for LIMIT seconds (default 60) and keep
# every schedule that beats the published best-known makespan (and the schedule kept there by an
# earlier run, if any) in SET/best/NAME.json (each one passes `hetsched check`); prints one CSV
# line per instance:
# instance,published,auto,relative change,status.
#   bash scripts/braun-best.sh [LIMIT] [SET]
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-60}
bin=${HETSCHED:-target/release/hetsched}
set_dir=${2:-instances/braun-1024x32}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$set_dir/best"
echo "instance,published,auto,change,status"
tail -n +2 "$set_dir/reference.csv" | while IFS=, read -r name _ _ published _; do
  # A set fetched in part (scripts/fetch-hcsp.sh reports what it could not fetch): say so, go on.
  if [ ! -f "$set_dir/$name" ]; then
    echo "$name,$published,,,missing"
    continue
  fi
  "$bin" convert --from etc "$set_dir/$name" --out "$work/$name.json" >/dev/null
  out=$("$bin" solve "$work/$name.json" --time-limit "$limit" --out "$work/$name.sched.json")
  value=$(echo "$out" | awk '$1 == "value" {print $2}')
  status=$(echo "$out" | awk '$1 == "status" {print $2}')
  change=$(python3 -c "print(f'{($value - $published) / $published * 100:+.3f}%')")
  # Keep the schedule when it beats the published value and any schedule kept before.
  kept=$(python3 -c "import json, os; p = '$set_dir/best/$name.json'; print(json.load(open(p))['value'] if os.path.exists(p) else 'inf')")
  if python3 -c "import sys; sys.exit(0 if $value < min($published, float('$kept')) else 1)"; then
    "$bin" check "$work/$name.json" "$work/$name.sched.json" >/dev/null
    cp "$work/$name.sched.json" "$set_dir/best/$name.json"
  fi
  echo "$name,$published,$value,$change,$status"
done

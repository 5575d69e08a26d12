#!/usr/bin/env bash
# Worst time-limit overrun per solver over every instance family (docs/reliability.md):
# `hetsched bench` runs the time-limited solvers one run at a time (--jobs 1, two threads each)
# on a sample of each instance set (`--shard 1/K` takes every K-th instance), at a 1 s and a
# 10 s limit, and the summary gives, per solver and limit, the largest solve time (model build
# included) over the limit.
#
#   scripts/overrun.sh [OUT-DIR]      (default target/overrun; about 25 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/overrun}
mkdir -p "$out"
bin=${HETSCHED:-target/release/hetsched}
[ -x "$bin" ] || cargo build --release --bin hetsched
solvers=auto,milp,ls,ga,best-greedy
# set-or-folder and the shard count for about 6 instances at 1 s and 2 at 10 s.
sets=(
    "instances/ai-cluster 2 6" "instances/braun-512x16 2 6" "instances/braun-1024x32 4 12"
    "instances/gavel 1 1" "instances/orlib-gap 10 30" "instances/orlib-wt 60 180"
    "instances/psplib-j30 80 240" "instances/psplib-j120 100 300" "instances/stg 3 8"
    "instances/dag-comm 1 1" "instances/sequencing 4 12" "instances/examples 1 2"
)
for limit in 1 10; do
    for entry in "${sets[@]}"; do
        read -r path k1 k10 <<<"$entry"
        k=$([ "$limit" = 1 ] && echo "$k1" || echo "$k10")
        name=$(basename "$path")
        shard=()
        [ "$k" -gt 1 ] && shard=(--shard "1/$k")
        echo "== $name at $limit s (${shard[*]:-all})" >&2
        "$bin" bench "$path" --solvers "$solvers" --time-limit "$limit" --jobs 1 --no-lower-bound \
            "${shard[@]}" --format json --out "$out/$name-$limit.json" || true
    done
done
python3 - "$out" <<'PY'
import json, sys, glob, os
worst = {}
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    run = json.load(open(f))
    limit = run["time_limit"]
    for r in run["rows"]:
        key = (r["solver"], limit)
        over = r["seconds"] - limit
        if key not in worst or over > worst[key][0]:
            worst[key] = (over, r["seconds"], r["instance"], r.get("set") or os.path.basename(f))
print("| solver | limit | runs | worst time | over the limit | instance |")
print("|---|---|---|---|---|---|")
count = {}
for f in glob.glob(os.path.join(sys.argv[1], "*.json")):
    run = json.load(open(f))
    for r in run["rows"]:
        count[(r["solver"], run["time_limit"])] = count.get((r["solver"], run["time_limit"]), 0) + 1
for (solver, limit), (over, secs, inst, s) in sorted(worst.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    print(f"| {solver} | {limit:g} s | {count[(solver, limit)]} | {secs:.3f} s | {over:+.3f} s ({100 * over / limit:+.1f} %) | {s}/{inst} |")
PY

#!/usr/bin/env bash
# `auto` against its components (`milp`, `ls`, `best-greedy`) at equal time on every instance
# set, one run at a time (`--jobs 1`): the tables of docs/auto.md. About 35 minutes at 10 s.
#
#   scripts/auto-vs-components.sh [SECONDS] [OUT_PREFIX]
#
# Writes OUT_PREFIX_graphs.csv (STG graphs, task graphs with transfers, the examples),
# OUT_PREFIX.csv (Braun 512×16, ai-cluster, sequencing, Gavel, workflows-ccr, every 48th PSPLIB
# j30 file, every 24th j120 file, OR-Library gapa) and OUT_PREFIX_wt100.csv (OR-Library wt100
# problems 1, 13, …, 109); the default prefix is /tmp/auto_vs_components_SECONDSs (the runs in
# docs/auto.md used docs/data/auto_vs_components_10s_sharing). Then prints per set and solver:
# proven optima, wins (best value of the four on an instance, ties counted for each), mean gap
# to the best bound any solver proved, and total time.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${HETSCHED:-target/release/hetsched}
seconds=${1:-10}
out=${2:-/tmp/auto_vs_components_${seconds}s}
solvers=auto,milp,ls,best-greedy
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mapfile -t j30 < <(ls instances/psplib-j30/*.sm | sort | awk 'NR % 48 == 1')
mapfile -t j120 < <(ls instances/psplib-j120/*.sm | sort | awk 'NR % 24 == 1')
mkdir "$tmp/wt"
for p in $(seq 1 12 109); do
    "$bin" convert --from orlib-wt instances/orlib-wt/wt100.txt --problem "$p" \
        --out "$tmp/wt/wt100-$p.json" >/dev/null
done

run() { # run OUT PATHS...
    local csv=$1
    shift
    "$bin" bench "$@" --solvers "$solvers" --time-limit "$seconds" --jobs 1 \
        --format csv --out "$csv" >/dev/null
    echo "wrote $csv"
}
run "${out}_graphs.csv" instances/stg instances/dag-comm instances/examples
run "$out.csv" instances/braun-512x16 instances/ai-cluster instances/sequencing instances/gavel \
    instances/workflows/ccr "${j30[@]}" "${j120[@]}" instances/orlib-gap/gapa.txt
run "${out}_wt100.csv" "$tmp"/wt/*.json

python3 - "${out}_graphs.csv" "$out.csv" "${out}_wt100.csv" <<'EOF'
import csv, sys
from collections import defaultdict
for path in sys.argv[1:]:
    rows = list(csv.DictReader(open(path)))
    table = defaultdict(lambda: [0, 0, [], 0.0, 0])
    for r in rows:
        # Files given one by one have no set: name them by their folder.
        name = r["set"] or r["file"].rsplit("/", 2)[-2]
        s = table[(name, r["solver"])]
        s[0] += r["status"] == "optimal"
        s[1] += r["win"] == "true"
        if r["gap_to_bound"]:
            s[2].append(float(r["gap_to_bound"]))
        else:
            s[4] += 1
        s[3] += float(r["seconds"])
    print(f"\n{path}\n| set | solver | optimal | wins | mean gap to best bound | total time |")
    print("|---|---|---|---|---|---|")
    for (name, solver), (opt, wins, gaps, secs, missing) in table.items():
        gap = f"{100 * sum(gaps) / len(gaps):.2f} %" if gaps else "–"
        if missing:
            gap += f" ({missing} no value)"
        print(f"| {name} | `{solver}` | {opt} | {wins} | {gap} | {secs:.1f} s |")
EOF

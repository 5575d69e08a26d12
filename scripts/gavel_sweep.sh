#!/usr/bin/env bash
# Gavel's JCT-vs-rate experiment with hetsched (docs/simulation.md, "Gavel's experiment").
#
# For each GPU mix (single, multi), arrival rate and trace seed: generate a Poisson trace of
# $JOBS jobs on Gavel's 36 V100 + 36 P100 + 36 K80 cluster (`generate --family trace`), simulate
# fcfs and las (quantum 0.1 h = Gavel's 360 s round) with placement any (heterogeneity-agnostic),
# relative and fastest (aware), and fcfs with --preemption (re-placed every 0.1 h, as Gavel's
# aware FIFO re-allocates every round) with relative and fastest; write the mean JCT of jobs
# 4000-4999 (Gavel's window) beside the value the Gavel authors published for the same trace
# kind, rate and policy.
#
# Usage: scripts/gavel_sweep.sh            (from the repository root; writes docs/data/gavel_sweep.csv)
# Environment (defaults in brackets):
#   HETSCHED      the binary [target/release/hetsched; built with cargo build --release if missing]
#   GAVEL_DIR     Gavel's data [../shared/benchmarks/gavel, beside the repository], for published/gavel_notebook_jct_by_rate.csv
#   OUT           the CSV [docs/data/gavel_sweep.csv]
#   JOBS          jobs per trace [8000]; the window is jobs WINDOW_FROM..WINDOW_TO-1 [4000, 5000]
#   SEEDS         trace seeds (also the seed of placement any) ["0 1 2"]
#   SINGLE_RATES  jobs per hour, single-GPU mix [0.4 0.8 … 6.0, Gavel's grid]
#   MULTI_RATES   jobs per hour, multi-GPU mix [0.2 0.4 … 3.0, Gavel's grid]
#   PARALLEL      simulations at once [2]
set -euo pipefail

cd "$(dirname "$0")/.."
HETSCHED=${HETSCHED:-target/release/hetsched}
GAVEL_DIR=${GAVEL_DIR:-../shared/benchmarks/gavel}
OUT=${OUT:-docs/data/gavel_sweep.csv}
JOBS=${JOBS:-8000}
WINDOW_FROM=${WINDOW_FROM:-4000}
WINDOW_TO=${WINDOW_TO:-5000}
SEEDS=${SEEDS:-0 1 2}
SINGLE_RATES=${SINGLE_RATES:-0.4 0.8 1.2 1.6 2.0 2.4 2.8 3.2 3.6 4.0 4.4 4.8 5.2 5.6 6.0}
MULTI_RATES=${MULTI_RATES:-0.2 0.4 0.6 0.8 1.0 1.2 1.4 1.6 1.8 2.0 2.2 2.4 2.6 2.8 3.0}
PARALLEL=${PARALLEL:-2}
PUBLISHED="$GAVEL_DIR/published/gavel_notebook_jct_by_rate.csv"

# One trace: generate it, run the eight simulations, print one CSV row per simulation.
one() {
    local mix=$1 rate=$2 seed=$3 dir
    dir=$(mktemp -d "$WORK/run.XXXXXX")
    "$HETSCHED" generate --family trace --gpu-counts "$mix" --tasks "$JOBS" \
        --arrival-rate "$rate" --seed "$seed" --out "$dir/trace.json" 2>/dev/null
    for policy in fcfs las fcfs-preempt; do
        local options=(--policy "${policy%-preempt}") placements=(any relative fastest)
        [ "$policy" = las ] && options+=(--quantum 0.1)
        if [ "$policy" = fcfs-preempt ]; then
            options+=(--preemption --quantum 0.1)
            placements=(relative fastest)
        fi
        for placement in "${placements[@]}"; do
            local t0 t1 stats
            t0=$(date +%s.%N)
            "$HETSCHED" simulate "$dir/trace.json" "${options[@]}" \
                --placement "$placement" --seed "$seed" --out "$dir/schedule.json" >/dev/null
            t1=$(date +%s.%N)
            stats=$(python3 scripts/gavel_window_jct.py "$dir/trace.json" "$dir/schedule.json" \
                "$WINDOW_FROM" "$WINDOW_TO")
            # stats: window mean JCT, window jobs, window done before the last arrival, mean JCT
            read -r window n done all <<<"$stats"
            printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$mix" "$rate" "$seed" "$policy" \
                "$placement" "$window" "$n" "$done" "$all" \
                "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
        done
    done
    rm -rf "$dir"
}

if [ "${1:-}" = --one ]; then
    one "$2" "$3" "$4"
    exit 0
fi

if [ ! -x "$HETSCHED" ]; then
    cargo build --release --bin hetsched
fi
[ -f "$PUBLISHED" ] || { echo "missing $PUBLISHED (set GAVEL_DIR)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export HETSCHED JOBS WINDOW_FROM WINDOW_TO WORK

{
    for seed in $SEEDS; do
        for rate in $SINGLE_RATES; do echo "single $rate $seed"; done
        for rate in $MULTI_RATES; do echo "multi $rate $seed"; done
    done
} | xargs -P "$PARALLEL" -L 1 bash "$0" --one >"$WORK/rows.csv"

mkdir -p "$(dirname "$OUT")"
python3 - "$WORK/rows.csv" "$PUBLISHED" "$OUT" "$JOBS" "$WINDOW_FROM" "$WINDOW_TO" <<'EOF'
import csv
import sys

rows_file, published_file, out_file, jobs, lo, hi = sys.argv[1:7]
# Gavel's names: fifo / fifo_perf, LAS = max_min_fairness / max_min_fairness_perf; "_perf" is
# heterogeneity-aware, beside both of our aware placements (relative and fastest).
names = {("fcfs", False): "fifo", ("fcfs", True): "fifo_perf", ("fcfs-preempt", True): "fifo_perf",
         ("las", False): "max_min_fairness", ("las", True): "max_min_fairness_perf"}
trace = {"single": "continuous-single", "multi": "continuous-multiple"}
published = {}
with open(published_file) as f:
    for r in csv.DictReader(f):
        if r["metric"] != "avg_jct_hours" or r["jobs"] != f"{lo}-{hi}":
            continue
        key = (r["trace"], round(float(r["input_job_rate_per_hr"]), 2), r["policy"])
        # The single-GPU LAS numbers appear in two notebooks' outputs, equal.
        if key in published and published[key] != r["value"]:
            sys.exit(f"conflicting published values for {key}")
        published[key] = r["value"]
fields = ["mix", "rate_jobs_per_h", "seed", "policy", "placement", "mean_jct_h_window",
          "window_jobs", "window_done_before_last_arrival", "mean_jct_h_all", "sim_seconds",
          "jobs", "gavel_policy", "gavel_mean_jct_h"]
rows = []
with open(rows_file) as f:
    for line in f:
        v = line.strip().split(",")
        mix, rate, seed, policy, placement = v[0], float(v[1]), int(v[2]), v[3], v[4]
        name = names[(policy, placement != "any")]
        rows.append([mix, f"{rate:g}", seed, policy, placement, *v[5:10], jobs, name,
                     published.get((trace[mix], round(rate, 2), name), "")])
order = {"any": 0, "relative": 1, "fastest": 2}
policies = {"fcfs": 0, "fcfs-preempt": 1, "las": 2}
rows.sort(key=lambda r: (r[0] != "single", float(r[1]), r[2], policies[r[3]], order[r[4]]))
with open(out_file, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(fields)
    w.writerows(rows)
print(f"wrote {out_file} ({len(rows)} rows)")
EOF

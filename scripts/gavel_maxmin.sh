#!/usr/bin/env bash
# Gavel's experiment (docs/simulation.md) with the `maxmin` policy: heterogeneity-aware max-min
# fairness by Gavel's LP, beside Gavel's own (`max_min_fairness_perf`). One LP per change of
# the jobs present makes it far slower than the list policies, so this runs apart from
# scripts/gavel_sweep.sh, on fewer rates.
#
# Usage: scripts/gavel_maxmin.sh          (from the repository root)
# Environment: HETSCHED [target/release/hetsched], OUT [docs/data/gavel_maxmin.csv],
#   POLICIES ["maxmin"], JOBS [8000], SEEDS ["0"], SINGLE_RATES ["2.8 4.8 5.6"], MULTI_RATES ["2.4 2.8"] (empty: none).
# Columns: mix, rate (jobs/h), seed, policy, mean JCT of jobs 4000-4999 (h), window jobs,
#   window done before the last arrival (1/0), mean JCT of all jobs (h), seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
HETSCHED=${HETSCHED:-target/release/hetsched}
OUT=${OUT:-docs/data/gavel_maxmin.csv}
JOBS=${JOBS:-8000}
SEEDS=${SEEDS:-0}
POLICIES=${POLICIES:-maxmin}
SINGLE_RATES=${SINGLE_RATES-2.8 4.8 5.6}
MULTI_RATES=${MULTI_RATES-2.4 2.8}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "mix,rate,seed,policy,window_mean_jct_h,window_jobs,window_done_before_last_arrival,mean_jct_h,seconds" > "$OUT"
run() {
    local mix=$1 rate=$2 seed=$3
    "$HETSCHED" generate --family trace --gpu-counts "$mix" --tasks "$JOBS" \
        --arrival-rate "$rate" --seed "$seed" --out "$WORK/trace.json" 2>/dev/null
    local t0 t1 policy
    for policy in $POLICIES; do
        t0=$(date +%s.%N)
        "$HETSCHED" simulate "$WORK/trace.json" --policy "$policy" --quantum 0.1 \
            --out "$WORK/schedule.json" >/dev/null
        t1=$(date +%s.%N)
        read -r window n done all < <(python3 scripts/gavel_window_jct.py "$WORK/trace.json" \
            "$WORK/schedule.json" 4000 5000)
        printf '%s,%s,%s,%s,%s,%s,%s,%s,%s\n' "$mix" "$rate" "$seed" "$policy" "$window" "$n" \
            "$done" "$all" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" |
            tee -a "$OUT"
    done
}
for seed in $SEEDS; do
    for rate in $SINGLE_RATES; do run single "$rate" "$seed"; done
    for rate in $MULTI_RATES; do run multi "$rate" "$seed"; done
done

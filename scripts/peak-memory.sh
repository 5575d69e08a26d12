#!/usr/bin/env bash
# Peak memory (maximum resident set size, /usr/bin/time) and wall time of whole `hetsched solve`
# processes on the largest instances of each family (docs/reliability.md).
#
#   scripts/peak-memory.sh            (about 2 minutes; needs scripts/fetch-hcsp.sh 2048x64 for that row)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${HETSCHED:-target/release/hetsched}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" convert --from etc instances/braun-1024x32/A.u_c_hihi --out "$tmp/braun-1024x32.json" >/dev/null
if [ -f instances/hcsp-2048x64/A.u_c_hihi ]; then
    "$bin" convert --from etc instances/hcsp-2048x64/A.u_c_hihi --out "$tmp/hcsp-2048x64.json" >/dev/null
fi
"$bin" convert --from orlib-wt instances/orlib-wt/wt100.txt --problem 1 --out "$tmp/wt100-1.json" >/dev/null
"$bin" convert --from psplib instances/psplib-j120/$(ls instances/psplib-j120 | grep '\.sm$' | head -1) --out "$tmp/j120.json" >/dev/null
"$bin" generate --family etc --tasks 5000 --devices 64 --seed 1 --out "$tmp/etc-5000x64.json" >/dev/null
"$bin" generate --family etc --tasks 50000 --devices 64 --seed 1 --out "$tmp/etc-50000x64.json" >/dev/null
echo "| instance | file | solver | limit | peak memory | wall time |"
echo "|---|---|---|---|---|---|"
row() {
    local name=$1 file=$2 solver=$3 limit=$4
    [ -f "$file" ] || return 0
    local size
    size=$(du -h "$file" | cut -f1)
    /usr/bin/time -f "%M %e" -o "$tmp/time" "$bin" solve "$file" --solver "$solver" \
        ${limit:+--time-limit "$limit"} >/dev/null 2>&1 || true
    read -r kb secs <"$tmp/time"
    echo "| $name | $size | $solver | ${limit:-–} | $((kb / 1024)) MB | $secs s |"
}
row "ai-cluster-200x16-s1" instances/ai-cluster/ai-cluster-200x16-s1.json auto 10
row "braun-1024x32 A.u_c_hihi" "$tmp/braun-1024x32.json" auto 10
row "hcsp-2048x64 A.u_c_hihi" "$tmp/hcsp-2048x64.json" auto 10
row "orlib-wt wt100-1" "$tmp/wt100-1.json" auto 10
row "psplib-j120 (first)" "$tmp/j120.json" auto 10
row "gavel minimize-makespan" instances/gavel/minimize-makespan.json auto 10
row "etc 5000 x 64" "$tmp/etc-5000x64.json" min-min ""
row "etc 5000 x 64" "$tmp/etc-5000x64.json" auto 10
row "etc 50000 x 64" "$tmp/etc-50000x64.json" min-min ""

#!/usr/bin/env bash
# Whole `hetsched solve` processes on large generated instances (issue 16's targets): median wall
# time of RUNS runs (hyperfine when installed, else a timed loop) and peak memory, for the
# 5000 × 64 and 50,000 × 64 `etc` files (explicit times for every task on every device). The
# schedule is not written (`--out` adds the file and its fsync: outputs are written atomically).
#
#   scripts/large.sh [RUNS]           (RUNS = 10 by default; about a minute)
#   HETSCHED=/path/to/other/hetsched scripts/large.sh   (e.g. an older build, for a comparison)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${HETSCHED:-target/release/hetsched}
runs=${1:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" generate --family etc --tasks 5000 --devices 64 --seed 1 --out "$tmp/etc-5000x64.json" >/dev/null
"$bin" generate --family etc --tasks 50000 --devices 64 --seed 1 --out "$tmp/etc-50000x64.json" >/dev/null

# median SECONDS... : the median of its arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "| instance | file | solver | median of $runs | min | max | peak memory |"
echo "|---|---|---|---|---|---|---|"
row() {
    local name=$1 file=$2 solver=$3
    local size times=() kb
    size=$(du -h "$file" | cut -f1)
    "$bin" solve "$file" --solver "$solver" >/dev/null # warm the page cache
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" solve "$file" --solver "$solver" >/dev/null
        read -r secs kb <"$tmp/time"
        times+=("$secs")
    done
    if command -v hyperfine >/dev/null; then
        # hyperfine's millisecond resolution (/usr/bin/time has 10 ms).
        hyperfine -N -w 1 -r "$runs" --export-json "$tmp/h.json" \
            "$bin solve $file --solver $solver" >/dev/null 2>&1
        read -r med lo hi < <(python3 -c "import json; r = json.load(open('$tmp/h.json'))['results'][0]; print('%.1f ms' % (r['median'] * 1e3), '%.1f ms' % (r['min'] * 1e3), '%.1f ms' % (r['max'] * 1e3))" | awk '{ print $1 $2, $3 $4, $5 $6 }')
    else
        med="$(median "${times[@]}") s"
        lo="$(printf '%s\n' "${times[@]}" | sort -g | head -1) s"
        hi="$(printf '%s\n' "${times[@]}" | sort -g | tail -1) s"
    fi
    echo "| $name | $size | $solver | $med | $lo | $hi | $((kb / 1024)) MB |"
}
for solver in olb min-min max-min sufferage; do
    row "etc 5000 × 64" "$tmp/etc-5000x64.json" "$solver"
done
row "etc 50000 × 64" "$tmp/etc-50000x64.json" min-min

#!/usr/bin/env bash
# Two (or more) builds of one criterion bench, run alternately (this machine is shared and
# noisy): per binary and benchmark, the least and the median over ROUNDS of criterion's median
# estimate, in milliseconds.
#
#   scripts/ab-criterion.sh ROUNDS FILTER BENCH_BINARY...
#
# A bench binary is what `cargo bench --bench greedy --no-run` prints after "Executable"; build
# the code before a change in a git worktree and copy both binaries aside under distinct names:
#   scripts/ab-criterion.sh 4 'greedy/5000x64/(sufferage|max-min|min-min)$' /tmp/greedy-before /tmp/greedy-after
set -euo pipefail
rounds=$1
filter=$2
shift 2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "$rounds"); do
    for b in "$@"; do
        # A result reads "NAME time: [low unit median unit high unit]", NAME sometimes on the
        # line before; --discard-baseline leaves the saved criterion baselines alone.
        "$b" --bench "$filter" --warm-up-time 1 --measurement-time 3 --discard-baseline 2>/dev/null |
            awk -v b="$b" '
                BEGIN { scale["ns"] = 1e-6; scale["µs"] = 1e-3; scale["us"] = 1e-3; scale["ms"] = 1; scale["s"] = 1e3 }
                /^[a-z]/ { name = $1 }
                /time:/ { for (i = 1; i <= NF; i++) if ($i == "time:") print b, name, $(i + 3) * scale[$(i + 4)] }' >>"$out"
    done
done
sort -k1,1 -k2,2 -k3,3g "$out" | awk '{ k = $1 " " $2; v[k] = v[k] " " $3 }
    END { for (k in v) { n = split(v[k], a, " ");
        med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2;
        printf "%s least %.2f ms, median %.2f ms (%d rounds)\n", k, a[1], med, n } }' | sort

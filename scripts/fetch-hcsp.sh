#!/usr/bin/env bash
# Fetch the large Braun-style ETC sets of chgogos/hcsp (Apache-2.0) that are too big to commit:
# 2048x64 (24 files, 33 MB) and 4096x128 (24 files, about 130 MB), into instances/hcsp-SIZE/.
# Every file is checked against the git blob id listed in instances/hcsp-SIZE/BLOBS (taken from
# the repository's tree at the pinned commit), so what `hetsched bench` reads is exactly what
# the published best-known values (reference.csv) refer to.
#
#   scripts/fetch-hcsp.sh 2048x64|4096x128 [--from CLONE]
#
# --from CLONE copies from a local git clone of chgogos/hcsp (`git show COMMIT:SIZE/NAME`)
# instead of downloading from raw.githubusercontent.com.
set -euo pipefail
cd "$(dirname "$0")/.."
COMMIT=6bcdd85199b65fbeb591a4a795214ec026c4acc4
size=${1:?usage: scripts/fetch-hcsp.sh 2048x64|4096x128 [--from CLONE]}
dir=instances/hcsp-$size
[ -f "$dir/BLOBS" ] || { echo "fetch-hcsp.sh: no set $dir" >&2; exit 2; }
clone=
[ "${2:-}" = --from ] && clone=${3:?--from needs a clone}
# A file that cannot be had (download refused, object absent from a partial clone) is reported
# and skipped; the others are still fetched, and the exit status is 1 if any is missing.
missing=()
while read -r blob name; do
    out=$dir/$name
    if [ -f "$out" ] && [ "$(git hash-object "$out")" = "$blob" ]; then
        continue
    fi
    if [ -n "$clone" ]; then
        got_file=$(git -C "$clone" show "$COMMIT:$size/$name" >"$out.part" 2>/dev/null && echo yes || echo no)
    else
        got_file=$(curl -fsSL "https://raw.githubusercontent.com/chgogos/hcsp/$COMMIT/$size/$name" \
            -o "$out.part" && echo yes || echo no)
    fi
    if [ "$got_file" = no ]; then
        rm -f "$out.part"
        echo "fetch-hcsp.sh: $size/$name: could not be fetched" >&2
        missing+=("$name")
        continue
    fi
    got=$(git hash-object "$out.part")
    if [ "$got" != "$blob" ]; then
        rm -f "$out.part"
        echo "fetch-hcsp.sh: $size/$name has blob $got, expected $blob" >&2
        exit 1
    fi
    mv "$out.part" "$out"
    echo "$out"
done <"$dir/BLOBS"
total=$(wc -l <"$dir/BLOBS")
if [ "${#missing[@]}" -gt 0 ]; then
    echo "fetch-hcsp.sh: $dir has $((total - ${#missing[@]})) of $total files; missing: ${missing[*]}" >&2
    exit 1
fi
echo "fetch-hcsp.sh: $dir complete ($total files)"

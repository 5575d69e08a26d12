#!/bin/sh
# Regenerates the ai-cluster instance set byte for byte:
#   instances/ai-cluster/generate.sh [OUT_DIR]
# OUT_DIR defaults to this script's folder. HETSCHED names the binary to run (default: the
# release build of the source tree, built first if needed). tests/generate.rs runs this script
# into a temporary folder and compares every file with the committed one.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
if [ -z "${HETSCHED:-}" ]; then
    cargo build --release --quiet --manifest-path "$here/../../Cargo.toml"
    HETSCHED="$here/../../target/release/hetsched"
fi
# 4 sizes x 3 seeds (1, 2, 3), every other parameter at the ai-cluster default.
for size in 12x3 20x4 60x8 200x16; do
    "$HETSCHED" generate --family ai-cluster --tasks "${size%x*}" --devices "${size#*x}" \
        --seed 1 --count 3 --out-dir "$out"
done

#!/bin/sh
# Regenerates this folder (byte for byte) from the bundled workflows of instances/workflows:
# each on the default device set (4 CPUs of speed 1, 2 GPUs of speed 4) with the bandwidth
# scaled to a communication-to-computation ratio of 0.1, 1 and 10 (`convert --ccr`).
# Run from the repository root: sh instances/workflows/ccr/convert.sh [path/to/hetsched]
set -eu
bin=${1:-target/release/hetsched}
src=instances/workflows
out=$src/ccr
for f in "$src"/*.json "$src"/*.xml; do
  case $f in *.json) fmt=wfcommons ;; *) fmt=dax ;; esac
  name=$(basename "${f%.*}")
  for r in 0.1 1 10; do
    "$bin" convert --from "$fmt" "$f" --ccr "$r" --name "$name-ccr$r" --out "$out/$name-ccr$r.json" >/dev/null 2>&1
  done
done

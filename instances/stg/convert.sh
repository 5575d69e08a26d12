#!/bin/sh
# Regenerates the instances of this folder from the STG files in src/ (byte for byte):
# each graph on 2, 4 and 8 identical processors, and reference.csv with the proven optima.
# Run from the repository root: sh instances/stg/convert.sh [path/to/hetsched]
set -eu
bin=${1:-target/release/hetsched}
dir=instances/stg
echo "file,optimum" > "$dir/reference.csv"
for stg in "$dir"/src/rand*.stg; do
  base=$(basename "$stg" .stg)
  for p in 2 4 8; do
    "$bin" convert --from stg --machines "$p" "$stg" --name "$base-p$p" --out "$dir/$base-p$p.json" >/dev/null
    opt=$(grep "^$base.stg,$p," "$dir/src/optima.csv" | cut -d, -f3)
    echo "$base-p$p.json,$opt" >> "$dir/reference.csv"
  done
done

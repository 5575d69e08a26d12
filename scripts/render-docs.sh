#!/usr/bin/env bash
# Render the pictures of the docs with headless Chromium and write them as PNGs under docs/img/:
#   plan-ai-cluster.png   Gantt chart of the demo plan (`make demo`: best-greedy on
#                         instances/examples/ai-cluster.json), with precedence arrows
#   plan-gpu-nodes.png    Gantt chart of the shared GPU nodes example, with resource profiles
#   plan-preemptive.png   an srpt simulation of the pipeline example: a bar per run segment
#   bench-report.png      charts of an HTML bench report (docs/benchmarks.md)
#   sim-report.png        charts of an HTML simulation report (docs/simulation.md)
# (SKIP_REPORTS=1 renders the plans only.)
# Run from the repository root: bash scripts/render-docs.sh  (installs chromium when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
cargo build --release --bin hetsched -q
bin=target/release/hetsched
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p docs/img

# shot FILE PNG WIDTH: screenshot FILE (svg or html) at WIDTH pixels, as tall as its content.
shot() {
  local file=$1 png=$2 width=$3 height
  # The page height: the tallest `height` of a top-level svg, plus the HTML page's headings.
  height=$(grep -o '<svg[^>]* height="[0-9.]*"' "$file" | sed 's/.*height="\([0-9.]*\)"/\1/' \
    | awk '{s += $1} END {printf "%d", s}')
  case $file in *.html) height=$((height + 110 + $(grep -c '<svg' "$file") * 24 + $(grep -c '<h2>' "$file") * 50 + $(grep -c '<tr>' "$file") * 22)) ;; esac
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="$width,$height" --screenshot="$png" "file://$(realpath "$file")" >/dev/null 2>&1
  echo "wrote $png (${width}x$height)"
}

$bin solve instances/examples/ai-cluster.json --gantt "$work/plan-ai-cluster.svg" --arrows >/dev/null
shot "$work/plan-ai-cluster.svg" docs/img/plan-ai-cluster.png 1200

$bin solve instances/examples/gpu-nodes.json --gantt "$work/plan-gpu-nodes.svg" >/dev/null
shot "$work/plan-gpu-nodes.svg" docs/img/plan-gpu-nodes.png 1200

$bin generate --family pipeline --tasks 24 --devices 4 --release-spread 1 --seed 3 --out "$work/pipe.json" 2>/dev/null
$bin simulate "$work/pipe.json" --policy srpt --out "$work/pipe-plan.json" >/dev/null
$bin plot "$work/pipe-plan.json" --instance "$work/pipe.json" --out "$work/plan-preemptive.svg" >/dev/null
shot "$work/plan-preemptive.svg" docs/img/plan-preemptive.png 1200

# charts PAGE PNG N...: the charts number N... (in page order, from 1) of an HTML report, one
# under the other, as one PNG (the whole report, with its tables, is much taller).
charts() {
  local page=$1 png=$2 out="$work/charts-$(basename "$2" .png)"
  shift 2
  mkdir -p "$out"
  awk -v dir="$out" '/^<svg/ {n++; f = sprintf("%s/%d.svg", dir, n)} f {print > f} /<\/svg>$/ {f = ""}' "$page"
  {
    echo '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;background:#fff}svg{display:block}</style></head><body>'
    for k in "$@"; do cat "$out/$k.svg"; done
    echo '</body></html>'
  } > "$out/page.html"
  local height=0 h
  for k in "$@"; do
    h=$(grep -o '^<svg[^>]* height="[0-9.]*"' "$out/$k.svg" | head -1 | sed 's/.*height="\([0-9.]*\)"/\1/')
    height=$((height + ${h%.*}))
  done
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size="960,$height" --screenshot="$png" "file://$out/page.html" >/dev/null 2>&1
  echo "wrote $png (960x$height)"
}

if [ -z "${SKIP_REPORTS:-}" ]; then
  # A bench report on six task graphs: mean gaps per solver, gap per instance, the mean anytime
  # curve and one instance's anytime curves.
  $bin bench instances/workflows/ccr/CyberShake_30-ccr*.json instances/workflows/ccr/Montage_25-ccr*.json \
    --solvers heft,ls,ga,milp --time-limit 2 --no-lower-bound --jobs 1 \
    --format html --out "$work/bench.html" 2>/dev/null || true
  charts "$work/bench.html" docs/img/bench-report.png 1 2 4 5
  # A simulation report: JCT distribution, queue and busy devices, utilization per kind.
  $bin generate --family gpu-cluster --tasks 300 --devices 24 --release-spread 1 --seed 1 --out "$work/gc.json" 2>/dev/null
  $bin simulate "$work/gc.json" --policy srpt --report "$work/sim.html" >/dev/null
  charts "$work/sim.html" docs/img/sim-report.png 1 2 3
fi

#!/usr/bin/env bash
# Coverage-guided fuzzing of hetsched's readers with libFuzzer (cargo-fuzz on the nightly
# toolchain; the targets are in fuzz/fuzz_targets/, see docs/reliability.md).
#
#   scripts/fuzz.sh list              the targets
#   scripts/fuzz.sh seed              (re)build the seed corpora from instances/
#   scripts/fuzz.sh TARGET [SECONDS]  fuzz one target (default 600 s)
#   scripts/fuzz.sh all [SECONDS]     fuzz every target in turn, SECONDS each
#
# Seeds go to fuzz/seeds/TARGET, what the fuzzer learns to fuzz/corpus/TARGET, crashing inputs to
# fuzz/artifacts/TARGET, logs to fuzz/logs/TARGET.log (none of them is committed). Each run
# stops at a crash, a panic, a hang of 10 s on one input or 2 GB of memory.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS=(instance pipeline schedule etc orlib psplib gavel workflow history)

need_tools() {
    rustup toolchain list | grep -q '^nightly' || {
        echo "fuzz.sh: the nightly toolchain is needed (rustup toolchain install nightly)" >&2
        exit 2
    }
    command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
}

# seed TARGET SELECTOR-BYTE FILE [MAX-BYTES]: one seed, the selector byte (if any) then the file
# (cut to MAX-BYTES at a line end, 16 KB by default).
seed() {
    local target=$1 selector=$2 file=$3 max=${4:-16384}
    local dir=fuzz/seeds/$target out
    mkdir -p "$dir"
    out="$dir/${selector:+$selector-}$(basename "$(dirname "$file")")-$(basename "$file")"
    {
        [ -n "$selector" ] && printf "\\x$(printf %02x "$selector")"
        awk -v max="$max" '{ n += length($0) + 1; if (n > max) exit; print }' "$file"
    } >"$out"
}

make_seeds() {
    rm -rf fuzz/seeds
    for f in instances/examples/*.json instances/ai-cluster/*.json instances/dag-comm/*.json \
        instances/sequencing/*.json instances/stg/rand000?-p2.json; do
        [ -f "$f" ] || continue
        seed instance 0 "$f"
        seed pipeline "" "$f"
    done
    for f in $(find instances -name '*.toml' | head -8); do seed instance 1 "$f"; done
    for f in instances/braun-512x16/u_*.0; do seed etc 16 "$f" 4096; done
    for f in instances/orlib-gap/gap1.txt instances/orlib-gap/gap5.txt instances/orlib-gap/gapa.txt; do
        seed orlib 0 "$f" 4096
        seed orlib 1 "$f" 4096
    done
    seed orlib 40 instances/orlib-wt/wt40.txt 2048
    for f in $(ls instances/psplib-j30/*.sm | head -20); do seed psplib "" "$f"; done
    for f in instances/gavel/*.trace; do seed gavel 0 "$f" 4096; done
    seed gavel 1 fuzz/data/throughputs.json
    for f in instances/workflows/*.xml; do seed workflow 0 "$f"; done
    for f in instances/workflows/*.json; do seed workflow 1 "$f"; done
    for f in instances/stg/src/*.stg; do seed workflow 2 "$f"; done
    seed history 0 instances/learn/history.csv 8192
    seed history 1 instances/learn/tasks.csv
    local bin=target/release/hetsched
    [ -x "$bin" ] || cargo build --release --bin hetsched
    mkdir -p fuzz/seeds/schedule
    for solver in best-greedy ls; do
        "$bin" solve instances/examples/ai-cluster.json --solver "$solver" --time-limit 0.2 \
            --out "fuzz/seeds/schedule/ai-cluster-$solver.json" >/dev/null
    done
    for t in "${TARGETS[@]}"; do echo "$t: $(ls fuzz/seeds/$t | wc -l) seeds"; done
}

run() {
    local target=$1 seconds=$2
    [ -d "fuzz/seeds/$target" ] || make_seeds
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target" fuzz/logs
    cargo +nightly fuzz run "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$target/" \
        2>&1 | tee "fuzz/logs/$target.log" | grep -E '^(#[0-9]+ +(DONE|INITED)|==|SUMMARY|Done|stat::number_of_executed_units|stat::peak_rss)' || true
    grep -q '^Done [0-9]* runs' "fuzz/logs/$target.log" || {
        echo "fuzz.sh: $target stopped early: see fuzz/logs/$target.log and fuzz/artifacts/$target/" >&2
        return 1
    }
}

case "${1:-}" in
list) printf '%s\n' "${TARGETS[@]}" ;;
seed) make_seeds ;;
all)
    need_tools
    for t in "${TARGETS[@]}"; do run "$t" "${2:-600}"; done
    ;;
"" | -h | --help) sed -n '2,13p' "$0" ;;
*)
    need_tools
    printf '%s\n' "${TARGETS[@]}" | grep -qx "$1" || { echo "fuzz.sh: no target '$1'" >&2; exit 2; }
    run "$1" "${2:-600}"
    ;;
esac

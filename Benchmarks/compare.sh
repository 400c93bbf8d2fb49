#!/usr/bin/env bash
# Runs an earlier revision's binary and this tree's in turn on the same inputs, three pairs each, so that the
# machine's drift does not decide a before/after ratio. Usage: bash Benchmarks/compare.sh REV [FAMILIES]
# (default 1000000 families; the CSV pairs use a tenth of them). Prints one line per run; take the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bash Benchmarks/compare.sh REV [FAMILIES]}
families=${2:-1000000}
work=${BENCH_DIR:-/tmp/screener-bench}
old=$(mktemp -d /tmp/screener-old.XXXXXX)
trap 'git worktree remove --force "$old" >/dev/null 2>&1 || true' EXIT
mkdir -p "$work"
git worktree add -q --detach "$old" "$rev"
(cd "$old" && swift build -c release --product screener >/dev/null && swift build -c release --product screener-bench >/dev/null)
swift build -c release --product screener >/dev/null
swift build -c release --product screener-bench >/dev/null
swift build -c release --product caseload >/dev/null
.build/release/caseload "$families" --seed 42 > "$work/compare.jsonl"
.build/release/caseload $(( families / 10 )) --seed 42 --format csv > "$work/compare.csv"
.build/release/caseload 20000 --seed 7 > "$work/compare-eval.jsonl"

timed() {  # label, binary, batch arguments...
    local label=$1 bin=$2; shift 2
    rm -f "$work/compare-out.jsonl"; sync
    /usr/bin/time -f "$label: %e s, %S s system" "$bin" batch "$@" --no-progress 2>&1 >/dev/null | tail -1
}
for round in 1 2 3; do
    for side in old new; do
        bin=$([ "$side" = old ] && echo "$old/.build/release/screener" || echo .build/release/screener)
        bench=$([ "$side" = old ] && echo "$old/.build/release/screener-bench" || echo .build/release/screener-bench)
        timed "$side jsonl brief 2 jobs to a file" "$bin" "$work/compare.jsonl" --detail brief --jobs 2 -o "$work/compare-out.jsonl"
        timed "$side csv brief 2 jobs to /dev/null" "$bin" "$work/compare.csv" --detail brief --jobs 2 -o /dev/null
        timed "$side csv parse-only 2 jobs" "$bin" "$work/compare.csv" --parse-only --jobs 2 -o /dev/null
        echo "$side $("$bench" evaluate "$work/compare-eval.jsonl" --rounds 5 --decisions-only | head -1)"
    done
done
rm -f "$work/compare-out.jsonl"

#!/usr/bin/env bash
# Reproduces every figure in BENCHMARKS.md. Usage: bash Benchmarks/run.sh [FAMILIES]   (default 1000000)
# Builds in release mode, generates a deterministic caseload, and prints medians (of RUNS runs for each batch
# configuration but full detail, default 3). Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
families=${1:-1000000}
work=${BENCH_DIR:-/tmp/screener-bench}
mkdir -p "$work"
swift build -c release --product screener >/dev/null
swift build -c release --product screener-bench >/dev/null
swift build -c release --product caseload >/dev/null
bin=.build/release

echo "== machine"
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== loading the shipped rules (read, parse, check, compile)"
$bin/screener-bench load --runs 30

echo "== evaluating one profile against every program, referral and tier (one core, no text)"
$bin/caseload 20000 --seed 7 > "$work/eval.jsonl"
$bin/screener-bench evaluate "$work/eval.jsonl" --rounds 5

echo "== screener screen as a whole process (rules loaded at startup), 40 runs"
for example in examples/kinship-grandmother-ca.json examples/screened-out-shutoff-mi.json; do
    times=()
    for i in $(seq 40); do
        start=$(date +%s%N)
        $bin/screener screen "$example" > /dev/null
        times+=($(( ($(date +%s%N) - start) / 1000 )))
    done
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    echo "$example: median $(( sorted[20] / 1000 )).$(( sorted[20] % 1000 / 100 )) ms, min $(( sorted[0] / 1000 )) ms, max $(( sorted[39] / 1000 )) ms"
done

echo "== batch: $families families"
$bin/caseload "$families" --seed 42 > "$work/caseload.jsonl"
ls -l "$work/caseload.jsonl" | awk '{printf "input: %.0f MB\n", $5 / 1e6}'
run() {  # label, how many runs, then batch arguments; prints the median run (the machine is shared and noisy)
    local label=$1 runs=$2; shift 2
    local times=() peak=0
    for _ in $(seq "$runs"); do
        # The previous run's output is removed and flushed first: freeing and writing back 3 GB is the file
        # system's work, not this run's.
        rm -f "$work/out.jsonl" "$work/out-full.jsonl"
        sync
        /usr/bin/time -f "%e %M" -o "$work/time.txt" $bin/screener batch "$work/caseload.jsonl" "$@" --no-progress 2> "$work/stderr.txt" > /dev/null || true
        read -r seconds kb < "$work/time.txt"
        times+=("$seconds")
        (( kb > peak )) && peak=$kb
    done
    local sorted median rate
    sorted=($(printf '%s\n' "${times[@]}" | sort -n))
    median=${sorted[$(( runs / 2 ))]}
    rate=$(awk -v n="$families" -v s="$median" 'BEGIN { printf "%.0f", n / s }')
    if (( runs > 1 )); then
        echo "$label: median $median s of $runs (${sorted[0]}-${sorted[$(( runs - 1 ))]}), $rate profiles/s, peak memory $(( peak / 1024 )) MB"
    else
        echo "$label: $median s, $rate profiles/s, peak memory $(( peak / 1024 )) MB"
    fi
    echo "$rate" > "$work/rate-${label//\//_}.txt"
}
runs=${RUNS:-3}
run "parse-only, 1 job" "$runs" --parse-only --jobs 1 -o /dev/null
run "parse-only, 2 jobs" "$runs" --parse-only --jobs 2 -o /dev/null
run "brief, 1 job" "$runs" --detail brief --jobs 1 -o "$work/out.jsonl"
run "brief, 2 jobs" "$runs" --detail brief --jobs 2 -o "$work/out.jsonl"
ls -l "$work/out.jsonl" | awk -v n="$families" '{printf "brief output: %.0f MB, %.0f bytes per family\n", $5 / 1e6, $5 / n}'
run "brief, 2 jobs, output to /dev/null" "$runs" --detail brief --jobs 2 -o /dev/null
run "full, 2 jobs" 1 --detail full --jobs 2 -o "$work/out-full.jsonl"
grep -E "records read" "$work/stderr.txt" || true
awk -v a="$(cat "$work/rate-brief, 2 jobs.txt")" -v b="$(cat "$work/rate-parse-only, 2 jobs.txt")" \
    'BEGIN { printf "screening (brief, 2 jobs) runs at %.2f of the parse-only floor (2 jobs)\n", a / b }'
echo "== this disk's own write speed: 1 GB through the page cache and flushed, then past the cache as batch outputs are written"
dd if=/dev/zero of="$work/dd.bin" bs=1M count=1000 conv=fdatasync 2>&1 | tail -1
rm -f "$work/dd.bin"; sync
dd if=/dev/zero of="$work/dd.bin" bs=4M count=250 oflag=direct 2>&1 | tail -1
rm -f "$work/dd.bin"
echo "== CSV input (one row per member), 1/10 of the caseload, brief, 2 jobs"
$bin/caseload $(( families / 10 )) --seed 42 --format csv > "$work/tenth.csv"
/usr/bin/time -f "%e %M" -o "$work/time.txt" $bin/screener batch "$work/tenth.csv" --detail brief --jobs 2 -o /dev/null --no-progress 2>/dev/null || true
read -r seconds kb < "$work/time.txt"
awk -v n="$(( families / 10 ))" -v s="$seconds" -v kb="$kb" 'BEGIN { printf "csv: %s s, %.0f profiles/s, peak memory %d MB\n", s, n / s, kb / 1024 }'
/usr/bin/time -f "%e %M" -o "$work/time.txt" $bin/screener batch "$work/tenth.csv" --parse-only --jobs 2 -o /dev/null --no-progress 2>/dev/null || true
read -r seconds kb < "$work/time.txt"
awk -v n="$(( families / 10 ))" -v s="$seconds" 'BEGIN { printf "csv, parse-only (read, group into households, validate), 2 jobs: %s s, %.0f profiles/s\n", s, n / s }'
echo "== memory does not grow with input size: 1/10 of the caseload, brief, 2 jobs"
head -n $(( families / 10 )) "$work/caseload.jsonl" > "$work/tenth.jsonl"
/usr/bin/time -f "%e %M" -o "$work/time.txt" $bin/screener batch "$work/tenth.jsonl" --detail brief --jobs 2 -o /dev/null --no-progress 2>/dev/null || true
read -r seconds kb < "$work/time.txt"
echo "tenth: peak memory $(( kb / 1024 )) MB"

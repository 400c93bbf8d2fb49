#!/bin/sh
# Measures interview mode on the example profiles (docs/interview.md): for each examples/*.json, starts from the
# profile with everything but case_id and state removed, answers every question from the full profile
# (--answers-from), counts the questions, and checks the result against `screener screen` on the full profile.
# Usage: Benchmarks/interview-measure.sh [SCREENER] (default .build/debug/screener; run `swift build` first)
set -eu
screener=${1:-.build/debug/screener}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| profile | people | programs | questions asked | of which skipped | fields in the contract | same result as screen | identical JSON |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"
for f in examples/*.json; do
  name=$(basename "$f" .json)
  case_id=$(grep -o '"case_id": *"[^"]*"' "$f" | head -1)
  state=$(grep -o '"state": *"[^"]*"' "$f" | head -1)
  printf '{ %s, %s }\n' "$case_id" "$state" > "$tmp/start.json"
  "$screener" interview --from "$tmp/start.json" --answers-from "$f" --format json --save "$tmp/saved.json" \
    > "$tmp/interview.json" 2> "$tmp/transcript.txt"
  "$screener" screen "$f" --format json > "$tmp/full.json"
  # "... 15 questions answered (0 skipped); a form with every field for this household has 51."
  summary=$(grep ' answered (' "$tmp/transcript.txt")
  asked=$(echo "$summary" | sed 's/.* \([0-9]*\) questions\{0,1\} answered.*/\1/')
  skipped=$(echo "$summary" | sed 's/.*answered (\([0-9]*\) skipped).*/\1/')
  fields=$(echo "$summary" | sed 's/.*household has \([0-9]*\)\..*/\1/')
  people=$(grep -A1 'How many people live in the home' "$tmp/transcript.txt" | sed -n 's/^> //p')
  programs=$(grep -c '"status"' "$tmp/full.json" || true)
  # The same result: everything but the programs' requirement lines (statuses, enrollment, unclaimed, benefits,
  # missing facts, tier, referrals, unclaimed benefits, questions, notes). The test suite checks the requirements:
  # every one the interview reports as not met is not met in the full screening too.
  result() { awk '/^      "requirements": \[$/ { skip = 1 } !skip { print } skip && /^      \],?$/ { skip = 0 }' "$1"; }
  if [ "$(result "$tmp/interview.json")" = "$(result "$tmp/full.json")" ]; then same=yes; else same=NO; fi
  if cmp -s "$tmp/interview.json" "$tmp/full.json"; then identical=yes; else identical=no; fi
  echo "| $name | $people | $programs | $asked | $skipped | $fields | $same | $identical |"
done

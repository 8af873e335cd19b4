#!/usr/bin/env bash
# Sums the TRX results of every test project into the closing line CI reads: "N passed, N failed".
set -euo pipefail
dir=${1:-artifacts/test-results}
passed=0; failed=0; skipped=0; files=0
for trx in "$dir"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  executed=$(get executed); total=$(get total)
  skipped=$((skipped + total - executed))
done
[ "$files" -gt 0 ] || { echo "test-summary: no TRX files in $dir" >&2; echo "0 passed, 1 failed"; exit 1; }
echo "$passed passed, $failed failed, $skipped skipped"

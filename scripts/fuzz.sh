#!/usr/bin/env bash
# fuzz.sh DURATION: run every Go fuzz target in the module for DURATION.
# `go test -fuzz` accepts one target per package per invocation, so this
# finds them (func FuzzXxx in *_test.go) and runs each in turn.
set -euo pipefail
dur=${1:-15s}
cd "$(dirname "$0")/.."
found=0
while IFS=: read -r file name; do
  pkg=./$(dirname "$file")
  echo "== fuzz $pkg $name ($dur)"
  go test -run '^$' -fuzz "^${name}\$" -fuzztime "$dur" "$pkg"
  found=$((found + 1))
done < <(grep -rHoE '^func (Fuzz[A-Za-z0-9_]+)' --include='*_test.go' . | sed -E 's/:func /:/' | sort)
echo "fuzzed $found targets"
[ "$found" -gt 0 ]

#!/usr/bin/env bash
# fuzz-race_test.sh: scripts/fuzz-race.sh on the recorded logs in
# scripts/testdata/fuzz-race/. A log named race-*.log must be taken for the
# fuzz-time deadline race (exit 0); one named real-*.log must not (exit 1).
set -uo pipefail
cd "$(dirname "$0")"
failed=0
n=0
for log in testdata/fuzz-race/*.log; do
  n=$((n + 1))
  case $(basename "$log") in
  race-*) want=0 ;;
  real-*) want=1 ;;
  *) echo "FAIL $log: name it race-*.log or real-*.log"; failed=1; continue ;;
  esac
  ./fuzz-race.sh "$log"
  got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL $log: fuzz-race.sh exited $got, want $want"
    failed=1
  fi
done
[ "$n" -gt 0 ] || { echo "FAIL: no logs in testdata/fuzz-race"; exit 1; }
[ "$failed" -eq 0 ] && echo "ok   scripts/fuzz-race.sh on $n recorded logs"
exit "$failed"

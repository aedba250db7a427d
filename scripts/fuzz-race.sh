#!/usr/bin/env bash
# fuzz-race.sh LOG: exit 0 when LOG, the output of one failed
# `go test -fuzz` run, shows only the fuzz-time deadline race of Go 1.26's
# coordinator (go.dev/issue/75804), and 1 when it shows anything else.
#
# The race's whole report is
#
#     --- FAIL: FuzzName (10.09s)
#         context deadline exceeded
#     FAIL
#
# A real finding differs: it prints "Failing input written to ...", or a
# panic, or the test's own messages under the FAIL line. So the log must
# hold exactly one FAIL block, its only message that one line, and no
# failing input, panic or hang report anywhere.
set -euo pipefail
log=${1:?usage: fuzz-race.sh LOG}
[ -r "$log" ] || { echo "fuzz-race.sh: cannot read $log" >&2; exit 2; }

if grep -qE 'Failing input written to|^panic: |fuzzing process hung|terminated unexpectedly|test timed out' "$log"; then
  exit 1
fi
awk '
  /^--- FAIL: Fuzz[A-Za-z0-9_]+ \(/ { blocks++; inblock = 1; next }
  inblock && /^FAIL$/                { inblock = 0; next }
  inblock && /^[ \t]+context deadline exceeded[ \t]*$/ { race++; next }
  inblock                            { other++ }
  END { exit !(blocks == 1 && race == 1 && other == 0 && !inblock) }
' "$log"

#!/usr/bin/env bash
# bench-soak.sh: the soak benchmark of the simulator — the million-order
# scenario (scripts/bench/million.yaml: the reference topology at 1,667
# orders/s) run for a short and a long stretch of traffic, to show that
# memory stays flat and wall time grows linearly with the orders:
#
#   short  5 minutes of traffic   (about 0.5 M orders)
#   long   8 hours of traffic     (about 48 M orders)
#
# For each: orders, wall time, µs of wall time per order, engine events
# and peak RSS; then the comparisons the targets are about.
#
# Usage: scripts/bench-soak.sh [OUTDIR]   (default: a temporary dir)
# SOAK_SHORT and SOAK_LONG override the two durations (e.g. SOAK_LONG=1h
# for a quicker look); both must be constant-traffic durations `busdrill
# run --duration` accepts.
#
# Targets (issue 14): long peak RSS <= 512 MiB and <= 1.25 x short peak
# RSS; wall time linear in orders (µs per order of the long run within
# 1.25 x the short run's). The script reports; it fails only when a run
# fails, never on a figure (benchmarks report, they do not gate).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
bin=bin/busdrill
out=${1:-$(mktemp -d)}
short=${SOAK_SHORT:-5m}
long=${SOAK_LONG:-8h}
mkdir -p "$(dirname "$bin")" "$out"

if [ ! -x /usr/bin/time ]; then
	echo "bench-soak: /usr/bin/time (GNU time) is needed to measure peak RSS" >&2
	exit 2
fi

"$GO" build -o "$bin" ./cmd/busdrill

# num FILE KEY: the first numeric value of "KEY": in a JSON file.
num() { sed -n "s/.*\"$2\": *\([0-9.eE+-]*\).*/\1/p" "$1" | head -n1; }

# soak NAME DURATION: runs the scenario for DURATION of traffic into
# $out/NAME and prints "orders wall_s events rss_kib".
soak() {
	local dir="$out/$1" status=0
	mkdir -p "$dir"
	/usr/bin/time -v "$bin" run scripts/bench/million.yaml --duration "$2" --quiet --out "$dir" \
		2>"$dir/time.log" || status=$?
	# Exit 1 is an expectation that failed: a result, not a failure of
	# the benchmark.
	if [ "$status" -gt 1 ]; then
		echo "bench-soak: busdrill run --duration $2 failed (exit $status):" >&2
		cat "$dir/time.log" >&2
		exit "$status"
	fi
	local res="$dir/million/1"
	echo "$(num "$res/results.json" sent) $(num "$res/meta.json" wall_seconds)" \
		"$(num "$res/meta.json" engine_events)" \
		"$(sed -n 's/.*Maximum resident set size (kbytes): *\([0-9]*\).*/\1/p' "$dir/time.log")"
}

echo "soak: scripts/bench/million.yaml, $short and $long of traffic at 1,667 orders/s (load: $(cut -d' ' -f1-3 /proc/loadavg))"
read -r s_orders s_wall s_events s_rss <<<"$(soak short "$short")"
read -r l_orders l_wall l_events l_rss <<<"$(soak long "$long")"

awk -v so="$s_orders" -v sw="$s_wall" -v se="$s_events" -v sr="$s_rss" \
	-v lo="$l_orders" -v lw="$l_wall" -v le="$l_events" -v lr="$l_rss" \
	-v sn="$short" -v ln="$long" 'BEGIN {
	printf "%-6s %10s %10s %12s %14s %12s\n", "run", "orders", "wall s", "µs/order", "engine events", "peak RSS"
	printf "%-6s %10d %10.1f %12.2f %14d %8.1f MiB\n", sn, so, sw, sw * 1e6 / so, se, sr / 1024
	printf "%-6s %10d %10.1f %12.2f %14d %8.1f MiB\n", ln, lo, lw, lw * 1e6 / lo, le, lr / 1024
	rss = lr / sr
	lin = (lw / lo) / (sw / so)
	printf "peak RSS, long / short:     %.2f   (target <= 1.25): %s\n", rss, rss <= 1.25 ? "met" : "NOT MET"
	printf "peak RSS, long:             %.1f MiB (target <= 512 MiB): %s\n", lr / 1024, lr <= 512 * 1024 ? "met" : "NOT MET"
	printf "wall per order, long/short: %.2f   (linear: <= 1.25): %s\n", lin, lin <= 1.25 ? "met" : "NOT MET"
}'
echo "results: $out/short and $out/long"

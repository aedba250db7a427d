// Package render turns results (report.Results, the results.json
// contract) into what people and CI read, and combines results: the HTML
// report, JUnit XML, a Markdown summary, compare, merge, and the progress
// line of a long run. It depends on the results alone — never on the
// recorder — so that every output can be rebuilt later, elsewhere, from a
// results file (busdrill report RESULTS.json).
//
// # Outputs of a run
//
// WriteAll(dir, r, meta) writes the three files next to results.json:
//
//	report.html  HTML: one self-contained page, readable offline from disk
//	junit.xml    JUnit: one test case per expectation
//	summary.md   Markdown: for CI step summaries and pull-request comments
//
// Meta carries what results.json does not: the exact command that
// reproduces the run. Every output is a function of (r, meta): the same
// inputs give the same bytes, so reports can be diffed and goldened.
//
// report.html has inline CSS and inline SVG, no script, and a
// Content-Security-Policy of default-src 'none' (styles inline, images
// from data: only), so the page fetches nothing even if a future change
// tried. Its charts are drawn by gonum.org/v1/plot on its SVG canvas:
// end-to-end latency over time (p50 and p99 per second, the run's p90 and
// max as reference lines — the series has no per-second p90 or max), and
// throughput over time (sent, delivered, completed; throttled, late, DLQ),
// each with the fault windows shaded and labelled and the end of traffic
// marked; and the HDR percentile distribution of e2e and every hop, on a
// log latency axis out to 99.999%. Series longer than 1,200 seconds are
// bucketed for drawing (counts averaged per second, p50 weighted by
// completions, p99 the bucket's highest), and the legend says so. The
// page then has the expectations, latency summaries, the loss ledger per
// route with its causes, duplicates and idempotency violations per
// consumer, quota headroom, the fault timeline, recovery and windowed
// metrics when the results carry them, and the reproduce command.
// Rendering a one-hour run (3,600 points) takes tens of milliseconds.
//
// Sections newer than the renderer's Go types (windows, recovery) are
// read through their JSON keys (see sections.go), so results files from
// before they existed render, and so does a build of report without them.
//
// # Compare
//
// Compare(base, new, tol) returns a Diff of the metrics that matter —
// latency percentiles of e2e and every hop, loss in total and by cause,
// in flight, orders never sent, duplicates, idempotency violations,
// throughput and completion, quota peaks, expectations and the verdict —
// each Same, Better, Worse (within tolerance, or informational) or
// Regressed. Counts are compared as shares (of expected deliveries, of
// deliveries, of sent orders), so runs of different sizes compare.
// DefaultTolerances: p50/p90/p99 +10%, p99.9/max +25%, never for a change
// under 5ms; loss, in-flight and never-sent shares +0 points; duplicate
// shares +0.1 point; violations per order +0; completed per second and
// completion −5%. An expectation that held and fails, or a new one that
// fails, regresses; so does a verdict going to fail or a ledger that
// stops balancing. Diff.WriteText prints it; CompareHTML renders the two
// runs side by side.
//
// # Merge
//
// Merge combines the shards of one run exactly where the results allow
// (histograms, ledger, orders, duplicates, series counts, windows) and
// documents the rest (per-second percentiles, quota peaks, recovery);
// see Merge. The merged results carry no expectations until Evaluate is
// called on them with the scenario's conditions.
//
// # Capacity
//
// CapacityHTML(w, c, meta) writes capacity.html, the page of a capacity
// search (report.Capacity), in report.html's style and under the same
// rules (inline CSS and SVG, no script, nothing fetched): the sustainable
// rate and what binds, with the evidence; end-to-end p99, loss and the
// peak handler backlog against rate (log scale), one line per step of the
// search with each step's answer marked by a dashed line, passes as dots
// and failures as crosses; the headroom; the next steps; the cost with
// its prices' sources; every probe; and what sustainable meant. The
// headless-browser test loads it with the other pages.
//
// # Progress
//
// NewProgress(w, enabled) is the live progress line of a long run (virtual
// time, orders, rate, time left), drawn by github.com/schollz/progressbar;
// Update has the signature of world.Options.Progress. IsTerminal says
// whether to enable it. NewCapacityProgress is a capacity search's line:
// the step, the probe and the rate it tries, the bracket so far.
package render

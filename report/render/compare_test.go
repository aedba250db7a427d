package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/report"
)

func clone(t *testing.T, r *report.Results) *report.Results {
	t.Helper()
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	c, err := report.DecodeResults(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCompareIdenticalPasses(t *testing.T) {
	r := golden(t)
	d := Compare(r, clone(t, r), DefaultTolerances())
	if d.Regressed() {
		t.Fatalf("identical runs regressed: %+v", d.Regressions())
	}
	for _, row := range d.Rows {
		if row.Status != Same {
			t.Errorf("identical runs: %s %s is %s", row.Section, row.Metric, row.Status)
		}
	}
	var buf bytes.Buffer
	d.WriteText(&buf, false)
	if !strings.Contains(buf.String(), "no regression") {
		t.Errorf("text:\n%s", buf.String())
	}
}

// TestCompareFlagsLatencyRegression injects latency into one run: e2e p99
// 20% slower regresses (tolerance 10%), p50 5% slower does not.
func TestCompareFlagsLatencyRegression(t *testing.T) {
	base := golden(t)
	slow := clone(t, base)
	s := slow.Latency[report.LatencyE2E]
	s.P99 *= 1.20
	s.P50 *= 1.05
	slow.Latency[report.LatencyE2E] = s
	d := Compare(base, slow, DefaultTolerances())
	if !d.Regressed() {
		t.Fatal("a 20% slower p99 did not regress")
	}
	status := map[string]Status{}
	for _, r := range d.Rows {
		status[r.Metric] = r.Status
	}
	if status["e2e p99"] != Regressed || status["e2e p50"] != Worse {
		t.Errorf("e2e p99 %s (want REGRESSED), e2e p50 %s (want worse)", status["e2e p99"], status["e2e p50"])
	}
	if len(d.Regressions()) != 1 {
		t.Errorf("only p99 should regress: %+v", d.Regressions())
	}
	// A wider tolerance lets it pass.
	tol := DefaultTolerances()
	tol.Latency = 0.25
	if Compare(base, slow, tol).Regressed() {
		t.Error("a 20% slower p99 regressed with a 25% tolerance")
	}
	var buf bytes.Buffer
	d.WriteText(&buf, false)
	if !strings.Contains(buf.String(), "REGRESSED") || !strings.Contains(buf.String(), "✗ e2e p99") {
		t.Errorf("text:\n%s", buf.String())
	}
}

// TestCompareFaultyRun compares a clean drill with the same drill under
// faults (throttling, a disabled rule, a slow handler with dead
// letters): latency, loss by cause, orders never sent and expectations
// regress.
func TestCompareFaultyRun(t *testing.T) {
	d := drill{seed: 5, rate: 10, traffic: 5 * time.Minute, drain: time.Minute}
	clean := d
	clean.noFaults = true
	diff := Compare(clean.run(), d.run(), DefaultTolerances())
	want := []string{"e2e p99", "lost: rule-disabled", "lost: dlq: retries-exhausted", "orders never sent", "e2e.p99 < 8s"}
	got := map[string]bool{}
	for _, r := range diff.Regressions() {
		got[r.Metric] = true
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("%s did not regress; regressions: %v", w, got)
		}
	}
	// The other way round, neither latency nor loss regresses. (The
	// violations per order may: the clean run completes the journeys
	// the faulty one lost, and some of those violate.)
	for _, r := range Compare(d.run(), clean.run(), DefaultTolerances()).Regressions() {
		if r.Section == "latency" || r.Section == "loss" {
			t.Errorf("the clean run regressed against the faulty one: %+v", r)
		}
	}
}

func TestCompareExpectations(t *testing.T) {
	base := golden(t)
	nw := clone(t, base)
	nw.Expectations[0].OK = false // held in base
	nw.Expectations = append(nw.Expectations, report.Expectation{Name: "new one", OK: false, Observed: "1", Threshold: "== 0"})
	d := Compare(base, nw, DefaultTolerances())
	reg := map[string]bool{}
	for _, r := range d.Regressions() {
		reg[r.Metric] = true
	}
	if !reg[base.Expectations[0].Name] || !reg["new one"] {
		t.Errorf("regressions %v", reg)
	}
	b, _ := json.Marshal(d.Rows)
	if len(b) == 0 {
		t.Fatal("rows do not encode")
	}
}

package report

import "testing"

func TestEvaluate(t *testing.T) {
	res := &Results{
		Orders:  Orders{Sent: 100, Completed: 100},
		Latency: map[string]Summary{LatencyE2E: {Count: 100, P99: 5500}},
		Ledger:  Ledger{Balanced: true, Routes: []Route{{From: "a", To: "b", Expected: 100, Delivered: 100, Balanced: true}}},
		Windows: []WindowResult{{Name: WindowSteady, E2E: Summary{Count: 90, P99: 5500}}},
	}
	tests := []struct {
		name    string
		conds   []string
		verdict string
		oks     []bool
	}{
		// No expectations: nothing can fail.
		{"none", nil, VerdictPass, []bool{}},
		// Every expectation holds.
		{"all hold", []string{"e2e.p99 < 6s", "completion >= 100%", "ledger.balanced"}, VerdictPass, []bool{true, true, true}},
		// One fails: the verdict fails, and each is reported in order.
		{"one fails", []string{"e2e.p99 < 5s", "ledger.balanced"}, VerdictFail, []bool{false, true}},
		// No data fails.
		{"no data", []string{"hop.handler.p99 < 5s"}, VerdictFail, []bool{false}},
	}
	noDataPasses := NamedCondition{Cond: mustCond(t, "hop.handler.p99 < 5s"), NoDataPasses: true}
	r := *res
	if r.Evaluate([]NamedCondition{noDataPasses}); r.Verdict != VerdictPass || r.Expectations[0].Observed != "no data (no_data: pass)" {
		t.Errorf("no_data: pass: %+v", r.Expectations)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var conds []NamedCondition
			for _, c := range tt.conds {
				conds = append(conds, NamedCondition{Cond: mustCond(t, c)})
			}
			r := *res
			if v := r.Evaluate(conds); v != tt.verdict || r.Verdict != tt.verdict {
				t.Errorf("verdict %q (%q), want %q", v, r.Verdict, tt.verdict)
			}
			if len(r.Expectations) != len(tt.oks) {
				t.Fatalf("expectations %+v", r.Expectations)
			}
			for i, e := range r.Expectations {
				if e.OK != tt.oks[i] || e.Name != tt.conds[i] || e.Threshold == "" || e.Observed == "" {
					t.Errorf("%d: %+v, want ok %v", i, e, tt.oks[i])
				}
			}
		})
	}
	// A name, when given, replaces the condition text; the window is kept.
	r = *res
	r.Evaluate([]NamedCondition{{Name: "fast", Cond: mustCond(t, "e2e.p99 < 6s"), Window: "steady"}})
	if e := r.Expectations[0]; e.Name != "fast" || e.Window != "steady" || e.Observed != "5.5s" || e.Threshold != "< 6s" {
		t.Errorf("%+v", e)
	}
}

// TestNoOrdersIsNoData: a run that sent nothing passes none of the
// conditions that would be vacuously true of it.
func TestNoOrdersIsNoData(t *testing.T) {
	res := &Results{Ledger: Ledger{Balanced: true, Routes: []Route{}}, Duplicates: []Duplicates{}}
	for _, c := range []string{"loss == 0", "loss.rule-disabled == 0", "in_flight == 0", "ledger.balanced",
		"duplicates.by_key == 0", "idempotency.violations == 0", "completion >= 99%", "e2e.p99 < 8s"} {
		ok, observed, _ := mustCond(t, c).Evaluate(res)
		if ok || observed != "no data" {
			t.Errorf("%s on a run that sent nothing: ok %v, observed %q; want a failure with no data", c, ok, observed)
		}
	}
	// Counts of orders are data, even when zero.
	if ok, _, _ := mustCond(t, "orders.sent == 0").Evaluate(res); !ok {
		t.Error("orders.sent == 0 failed on a run that sent nothing")
	}
}

package report

import (
	"strings"
	"testing"
)

func TestParseConditionErrors(t *testing.T) {
	tests := []struct {
		in, want string // want: a fragment of the error, "" for success
	}{
		// A latency threshold takes a duration with a unit.
		{"e2e.p99 < 8s", ""},
		// A bare number is not a latency.
		{"e2e.p99 < 8", "missing unit"},
		// Unknown stats are named with the list of valid ones.
		{"e2e.p98 < 8s", "e2e takes one of"},
		// Counts take plain numbers.
		{"loss == 0", ""},
		{"loss.rule-disabled <= 120", ""},
		{"loss == none", "want a number"},
		// Ratios take a percentage or a fraction.
		{"completion >= 99.9%", ""},
		// A boolean metric alone means == true.
		{"ledger.balanced", ""},
		{"ledger.balanced < true", "compare it with == or !="},
		// A non-boolean metric alone is an error.
		{"loss", "needs a comparison"},
		// Unknown metrics are rejected at load time.
		{"latency.p99 < 1s", "unknown metric"},
		{"hop.handler.p99 < 6s", ""},
		{"hop.nope.p99 < 6s", "hop metrics are"},
		{"orders.completed >", "missing value"},
	}
	for _, tt := range tests {
		_, err := ParseCondition(tt.in)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q: unexpected error %v", tt.in, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%q: error %v, want it to mention %q", tt.in, err, tt.want)
		}
	}
}

func TestConditionEvaluate(t *testing.T) {
	r := &Results{
		Orders:  Orders{Sent: 1000, Completed: 990},
		Latency: map[string]Summary{LatencyE2E: {Count: 990, P99: 7210}},
		Ledger: Ledger{Balanced: true, Routes: []Route{
			{DLQ: 3, Dropped: map[string]int64{"rule-disabled": 7}, InFlight: 2},
		}},
	}
	tests := []struct {
		cond     string
		ok       bool
		observed string
	}{
		// p99 of 7.21 s is below 8 s.
		{"e2e.p99 < 8s", true, "7.21s"},
		// ... and not below 7 s.
		{"e2e.p99 < 7s", false, "7.21s"},
		// Loss counts DLQ and drops, not in-flight.
		{"loss == 0", false, "10"},
		{"loss.rule-disabled == 7", true, "7"},
		{"loss.dlq == 3", true, "3"},
		{"in_flight <= 2", true, "2"},
		// 990 of 1000 completed.
		{"completion >= 99%", true, "99%"},
		{"ledger.balanced", true, "true"},
		// No latency recorded for a hop: the expectation fails with "no data".
		{"hop.handler.p99 < 1s", false, "no data"},
	}
	for _, tt := range tests {
		c, err := ParseCondition(tt.cond)
		if err != nil {
			t.Fatalf("%q: %v", tt.cond, err)
		}
		ok, obs, _ := c.Evaluate(r)
		if ok != tt.ok || obs != tt.observed {
			t.Errorf("%q: got (%v, %q), want (%v, %q)", tt.cond, ok, obs, tt.ok, tt.observed)
		}
	}
}

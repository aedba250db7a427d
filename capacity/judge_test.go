package capacity

import (
	"testing"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
)

// TestCriterion: which expectations judge sustainability. Bounds on harm
// do; expectations that demand harm, or count the traffic the search
// scales, do not.
func TestCriterion(t *testing.T) {
	cases := []struct {
		cond string
		want bool
	}{
		{"e2e.p99 < 8s", true},
		{"hop.handler.p999 <= 2s", true},
		{"loss == 0", true},
		{"loss.throttled == 0", true},
		{"loss.dlq < 10", true},
		{"in_flight == 0", true},
		{"duplicates.by_key <= 3", true},
		{"idempotency.violations == 0", true},
		{"orders.incomplete == 0", true},
		{"orders.not_sent == 0", true},
		{"recovery.storm < 1m", true},
		{"completion >= 99.9%", true},
		{"completion == 100%", true},
		{"ledger.balanced", true},
		{"ledger.balanced == true", true},
		{"ledger.balanced != false", true},
		{"loss.throttled > 0", false}, // the harm the experiment provokes
		{"e2e.p99 > 10s", false},      // a fault's window, slowed down
		{"loss.rule-disabled == orders.sent", false},
		{"loss == 5", false},
		{"loss != 0", false},
		{"completion < 50%", false},
		{"ledger.balanced == false", false},
		{"orders.sent > 1000", false}, // the traffic, which is scaled
		{"orders.completed >= 100", false},
		{"orders.planned == 12000", false},
		{"e2e.count > 10", false},
	}
	for _, c := range cases {
		cond, err := report.ParseCondition(c.cond)
		if err != nil {
			t.Fatalf("%s: %v", c.cond, err)
		}
		if got, why := criterion(cond); got != c.want || (!got && why == "") {
			t.Errorf("%s: criterion = %v (%q), want %v", c.cond, got, why, c.want)
		}
	}
}

// TestExcusedLoss: the loss a scenario asserts is not counted against a
// rate: the causes its harm-demanding loss expectations name.
func TestExcusedLoss(t *testing.T) {
	for _, c := range []struct {
		scenario string
		want     []string
	}{
		{"oversized-orders", []string{"oversized"}},
		{"poison-orders", []string{"handler-failed"}},
		{"hop-limit-chain", []string{"THIRD_ACCOUNT_HOP_DETECTED"}},
		{"dlq-redrive", []string{"dlq"}},
		{"reference", nil},
	} {
		sc, err := scenarios.Builtin(c.scenario)
		if err != nil {
			t.Fatal(err)
		}
		got := excusedLoss(sc)
		if len(got) != len(c.want) {
			t.Errorf("%s: excused %v, want %v", c.scenario, got, c.want)
		}
		for _, w := range c.want {
			if !got[w] {
				t.Errorf("%s: excused %v, want %v", c.scenario, got, c.want)
			}
		}
	}
}

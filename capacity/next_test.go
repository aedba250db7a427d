package capacity

import (
	"testing"

	"github.com/busdrill/busdrill/report"
)

func TestRaise(t *testing.T) {
	cases := []struct {
		kind  string
		limit float64
		want  float64
		ok    bool
	}{
		{KindHandlerConcurrency, 1000, 10000, true},
		{KindPutEventsQuota, 400, 4000, true},
		{KindRetryExhaustion, 2, 20, true},
		{KindRetryExhaustion, 0, 1, true},     // ×10 of none is one
		{KindRetryExhaustion, 100, 185, true}, // AWS's maximum
		{KindRetryExhaustion, 185, 0, false},
		{KindEventAge, 60, 600, true},
		{KindEventAge, 86400, 0, false},
		{KindExpectation, 8, 0, false},
	}
	for _, c := range cases {
		got, ok := raise(&report.CapacityConstraint{Kind: c.kind, Limit: c.limit}, 10)
		if ok != c.ok || ok && got != c.want {
			t.Errorf("raise %s %g: %g, %v; want %g, %v", c.kind, c.limit, got, ok, c.want, c.ok)
		}
	}
}

// TestHint: raising the binding constraint by ten moves its saturation
// ten times up; the next limit is then whichever saturates first.
func TestHint(t *testing.T) {
	cs := []report.CapacityConstraint{
		{Kind: KindHandlerConcurrency, Name: "delivery/delivery", Limit: 1000, SaturatesAt: 199.4},
		{Kind: KindInvocationsQuota, Name: "bus", Limit: 18750, SaturatesAt: 3125},
		{Kind: KindRetryExhaustion, Name: "t", Limit: 2},
	}
	if h := hint(cs, cs[0], 10000); h != 1994 {
		t.Errorf("hint %g, want 1994 (the same concurrency, ten times higher)", h)
	}
	if h := hint(cs, cs[0], 100000); h != 3125 {
		t.Errorf("hint %g, want 3125 (the bus account's invocations)", h)
	}
}

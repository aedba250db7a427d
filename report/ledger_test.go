package report

import (
	"maps"
	"testing"
	"time"
)

// op is one ledger call: "expect", "delivered", "dlq" or "drop" (with
// cause).
type op struct {
	kind, from, to, cause string
}

func TestLedgerBalances(t *testing.T) {
	tests := []struct {
		name string
		ops  []op
		want []Route
		// balanced is the ledger's global flag.
		balanced bool
	}{
		{
			// Four expected deliveries: one delivered, one in a DLQ, one
			// dropped with a named cause, one still in flight.
			name: "every outcome",
			ops: []op{
				{"expect", "orders", "delivery/local/r/t", ""},
				{"expect", "orders", "delivery/local/r/t", ""},
				{"expect", "orders", "delivery/local/r/t", ""},
				{"expect", "orders", "delivery/local/r/t", ""},
				{"delivered", "orders", "delivery/local/r/t", ""},
				{"dlq", "orders", "delivery/local/r/t", "retries-exhausted"},
				{"drop", "orders", "delivery/local/r/t", "rule-disabled"},
			},
			want: []Route{{From: "orders", To: "delivery/local/r/t", Expected: 4, Delivered: 1, DLQ: 1,
				DLQCauses: map[string]int64{"retries-exhausted": 1},
				Dropped:   map[string]int64{"rule-disabled": 1}, InFlight: 1, Balanced: true}},
			balanced: true,
		},
		{
			// A delivery on a route nothing was expected on: unexpected,
			// the route and the ledger are unbalanced.
			name: "unexpected terminal",
			ops: []op{
				{"expect", "a", "x", ""},
				{"delivered", "a", "x", ""},
				{"delivered", "b", "x", ""},
			},
			want: []Route{
				{From: "a", To: "x", Expected: 1, Delivered: 1, Dropped: map[string]int64{}, Balanced: true},
				{From: "b", To: "x", Delivered: 1, Dropped: map[string]int64{}, Unexpected: 1},
			},
			balanced: false,
		},
		{
			// More outcomes than expectations on one route: the excess is
			// unexpected, in_flight does not go negative.
			name: "more outcomes than expected",
			ops: []op{
				{"expect", "a", "x", ""},
				{"delivered", "a", "x", ""},
				{"drop", "a", "x", "no-permission"},
				{"drop", "a", "x", ""},
			},
			want: []Route{{From: "a", To: "x", Expected: 1, Delivered: 1,
				Dropped: map[string]int64{"no-permission": 1, "unknown": 1}, Unexpected: 2}},
			balanced: false,
		},
		{
			// The order of the calls does not matter: a live probe may see
			// the delivery before the acknowledgement that sets up its
			// expectation.
			name: "delivery before expectation",
			ops: []op{
				{"delivered", "a", "x", ""},
				{"expect", "a", "x", ""},
			},
			want:     []Route{{From: "a", To: "x", Expected: 1, Delivered: 1, Dropped: map[string]int64{}, Balanced: true}},
			balanced: true,
		},
		{
			// Routes are sorted by (from, to) whatever the call order.
			name: "sorted",
			ops: []op{
				{"expect", "b", "y", ""},
				{"expect", "b", "x", ""},
				{"expect", "a", "z", ""},
			},
			want: []Route{
				{From: "a", To: "z", Expected: 1, Dropped: map[string]int64{}, InFlight: 1, Balanced: true},
				{From: "b", To: "x", Expected: 1, Dropped: map[string]int64{}, InFlight: 1, Balanced: true},
				{From: "b", To: "y", Expected: 1, Dropped: map[string]int64{}, InFlight: 1, Balanced: true},
			},
			balanced: true,
		},
		{
			// No routes at all: trivially balanced.
			name:     "empty",
			want:     []Route{},
			balanced: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRecorder(Config{})
			for _, o := range tt.ops {
				switch o.kind {
				case "expect":
					r.Expect(o.from, o.to)
				case "delivered":
					r.Delivered(o.from, o.to, time.Second)
				case "dlq":
					r.Lost(o.from, o.to, o.cause, true, time.Second)
				case "drop":
					r.Lost(o.from, o.to, o.cause, false, time.Second)
				}
			}
			l := r.Finish(nil).Ledger
			if l.Balanced != tt.balanced {
				t.Errorf("balanced %v, want %v", l.Balanced, tt.balanced)
			}
			if len(l.Routes) != len(tt.want) {
				t.Fatalf("routes %+v, want %+v", l.Routes, tt.want)
			}
			for i, got := range l.Routes {
				if !routeEqual(got, tt.want[i]) {
					t.Errorf("route %d: %+v, want %+v", i, got, tt.want[i])
				}
				// The ledger identity holds on balanced routes.
				if got.Balanced && got.Expected != got.Delivered+got.DLQ+sumDropped(got.Dropped)+got.InFlight {
					t.Errorf("route %d does not add up: %+v", i, got)
				}
			}
		})
	}
}

func routeEqual(a, b Route) bool {
	return a.From == b.From && a.To == b.To && a.Expected == b.Expected && a.Delivered == b.Delivered &&
		a.DLQ == b.DLQ && maps.Equal(a.Dropped, b.Dropped) && maps.Equal(a.DLQCauses, b.DLQCauses) &&
		a.InFlight == b.InFlight && a.Balanced == b.Balanced && a.Unexpected == b.Unexpected
}

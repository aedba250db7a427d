package report

import (
	"testing"
	"time"
)

// delivery is one Consumed call.
type delivery struct {
	consumer, id string
	journey      uint64
	detailType   string
	at           time.Duration
}

func TestDuplicates(t *testing.T) {
	tests := []struct {
		name       string
		deliveries []delivery
		window     time.Duration
		want       []Duplicates // Consumer, Deliveries, ByID, ByKey
	}{
		{
			// Distinct events: no duplicates.
			name: "none",
			deliveries: []delivery{
				{"c", "id-1", 1, "Order.Created", 0},
				{"c", "id-2", 1, "Delivery.Updated", 0},
				{"c", "id-3", 2, "Order.Created", 0},
			},
			want: []Duplicates{{Consumer: "c", Deliveries: 3}},
		},
		{
			// The same envelope twice (an at-least-once redelivery): a
			// duplicate by id and by key.
			name: "same id",
			deliveries: []delivery{
				{"c", "id-1", 1, "Order.Created", 0},
				{"c", "id-1", 1, "Order.Created", time.Second},
			},
			want: []Duplicates{{Consumer: "c", Deliveries: 2, ByID: 1, ByKey: 1}},
		},
		{
			// Same business key, new envelope id (a replay or a
			// re-publish): a duplicate by key only.
			name: "same key new id",
			deliveries: []delivery{
				{"c", "id-1", 1, "Order.Created", 0},
				{"c", "id-2", 1, "Order.Created", time.Second},
			},
			want: []Duplicates{{Consumer: "c", Deliveries: 2, ByKey: 1}},
		},
		{
			// A replayed copy delivered twice: the second copy of the new
			// id is a duplicate by id too; the original id again as well.
			name: "replay redelivered",
			deliveries: []delivery{
				{"c", "id-1", 1, "Order.Created", 0},
				{"c", "id-2", 1, "Order.Created", time.Second},
				{"c", "id-2", 1, "Order.Created", 2 * time.Second},
				{"c", "id-1", 1, "Order.Created", 3 * time.Second},
			},
			want: []Duplicates{{Consumer: "c", Deliveries: 4, ByID: 2, ByKey: 3}},
		},
		{
			// Duplicates are per consumer: the same event at two
			// consumers is no duplicate. Consumers are sorted.
			name: "per consumer",
			deliveries: []delivery{
				{"z", "id-1", 1, "Order.Created", 0},
				{"a", "id-1", 1, "Order.Created", 0},
				{"a", "id-1", 1, "Order.Created", 0},
			},
			want: []Duplicates{{Consumer: "a", Deliveries: 2, ByID: 1, ByKey: 1}, {Consumer: "z", Deliveries: 1}},
		},
		{
			// Other detail-types are business keys of their own.
			name: "other detail types",
			deliveries: []delivery{
				{"c", "id-1", 1, "Invoice.Sent", 0},
				{"c", "id-2", 1, "Invoice.Paid", 0},
				{"c", "id-1", 1, "Invoice.Sent", 0},
			},
			want: []Duplicates{{Consumer: "c", Deliveries: 3, ByID: 1, ByKey: 1}},
		},
		{
			// Beyond the duplicate window, the first id of a key is
			// forgotten: a redelivery counts by key only.
			name:   "window",
			window: time.Minute,
			deliveries: []delivery{
				{"c", "id-1", 1, "Order.Created", 0},
				{"c", "id-1", 1, "Order.Created", 59 * time.Second},
				{"c", "id-9", 9, "Order.Created", 10 * time.Minute},
				{"c", "id-1", 1, "Order.Created", 10 * time.Minute},
			},
			want: []Duplicates{{Consumer: "c", Deliveries: 4, ByID: 1, ByKey: 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRecorder(Config{DuplicateWindow: tt.window})
			for _, d := range tt.deliveries {
				r.Consumed(d.consumer, d.id, d.journey, d.detailType, d.at)
			}
			got := r.Finish(nil).Duplicates
			if len(got) != len(tt.want) {
				t.Fatalf("duplicates %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("%d: %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestIDSetWindow(t *testing.T) {
	var s idSet
	w := time.Minute
	steps := []struct {
		h    uint64
		at   time.Duration
		seen bool
	}{
		// First sight, then seen within the generation.
		{1, 0, false},
		{1, 30 * time.Second, true},
		// Next generation: still seen (the old one is searched).
		{2, time.Minute, false},
		{1, 90 * time.Second, true},
		// Two rotations later id 1 (added at 0) is gone.
		{3, 2 * time.Minute, false},
		{1, 2*time.Minute + time.Second, false},
		// A long silence drops both generations.
		{3, 10 * time.Minute, false},
	}
	for i, st := range steps {
		if got := s.seenOrAdd(st.h, st.h, st.at, w); got != st.seen {
			t.Errorf("step %d (id %d at %v): seen %v, want %v", i, st.h, st.at, got, st.seen)
		}
	}
}

func TestIdempotencyViolations(t *testing.T) {
	r := NewRecorder(Config{})
	// The delivery service performs its side effect once per order...
	r.SideEffect("delivery", 1, "Order.Created")
	r.SideEffect("delivery", 2, "Order.Created")
	// ... but twice for order 1: one violation.
	r.SideEffect("delivery", 1, "Order.Created")
	// The order service's side effects for two types of one journey are
	// distinct keys; a third side effect for one of them violates.
	r.SideEffect("orders", 1, "Delivery.Updated")
	r.SideEffect("orders", 1, "Order.Created")
	r.SideEffect("orders", 1, "Delivery.Updated")
	r.SideEffect("orders", 1, "Delivery.Updated")
	// A delivery seen twice without a second side effect is a duplicate,
	// not a violation.
	r.Consumed("billing", "e", 1, "Order.Created", 0)
	r.Consumed("billing", "e", 1, "Order.Created", 0)
	r.SideEffect("billing", 1, "Order.Created")
	res := r.Finish(nil)
	if res.Idempotency.Violations != 3 || res.Idempotency.ByConsumer["delivery"] != 1 ||
		res.Idempotency.ByConsumer["orders"] != 2 || len(res.Idempotency.ByConsumer) != 2 {
		t.Errorf("idempotency %+v", res.Idempotency)
	}
	for _, d := range res.Duplicates {
		want := map[string]int64{"billing": 1, "delivery": 3, "orders": 4}[d.Consumer]
		if d.SideEffects != want {
			t.Errorf("%s: side effects %d, want %d", d.Consumer, d.SideEffects, want)
		}
	}
}

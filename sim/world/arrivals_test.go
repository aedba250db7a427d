package world

import (
	"testing"
	"time"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/rng"
)

// TestArrivalsAheadAreTheSchedule: arrivals taken ahead on a goroutine,
// with their orders' sizes drawn there, are the schedule's arrivals, and
// the factory then builds each one's order as it would have alone: same
// index, time and size. Several batches are served (past the ones in
// circulation), and the schedule's end is served as the schedule ends.
func TestArrivalsAheadAreTheSchedule(t *testing.T) {
	const seed = 7
	plan := loadgen.Arrivals{Shape: loadgen.Constant{Rate: 1000, Duration: 10 * time.Second}, Process: loadgen.Poisson}
	setup := func() (*loadgen.Schedule, *loadgen.Factory) {
		streams := rng.NewStreams(seed)
		sched, err := plan.Schedule(streams.Get(loadgen.StreamArrivals), loadgen.Shard{})
		if err != nil {
			t.Fatal(err)
		}
		f, err := loadgen.NewFactory(loadgen.FactoryConfig{
			RunID:   "r1",
			Origins: []loadgen.Origin{{Account: "orders", Weight: 1}},
			Payload: rng.NewLogNormal(2048, 6144),
		}, streams)
		if err != nil {
			t.Fatal(err)
		}
		return sched, f
	}
	wantSched, wantFactory := setup()
	gotSched, gotFactory := setup()
	ahead := newArrivals(gotSched, gotFactory.Sizer(), true)
	defer ahead.close()

	n := 0
	for ; ; n++ {
		want, wantOK := wantSched.Next()
		got, gotOK := ahead.next(gotFactory)
		if got != want || gotOK != wantOK {
			t.Fatalf("arrival %d: ahead %+v %v, schedule %+v %v", n, got, gotOK, want, wantOK)
		}
		if !wantOK {
			break
		}
		if g, w := gotFactory.Order(got), wantFactory.Order(want); g != w {
			t.Fatalf("arrival %d: order ahead %+v, alone %+v", n, g, w)
		}
	}
	if n < 3*arrivalBatch {
		t.Fatalf("only %d arrivals: the test must serve more than the batches in circulation", n)
	}
	if _, ok := ahead.next(gotFactory); ok {
		t.Fatal("an arrival after the schedule's end")
	}
}

package world

import (
	"bytes"
	"testing"
	"time"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/sim/backbone"
)

// TestSampleChangesNothing: a run watched through Options.Sample gives
// the same results.json as the same run unwatched.
func TestSampleChangesNothing(t *testing.T) {
	plain := resultsJSON(t, shortReference(t), nil)
	opts := Options{Scenario: shortReference(t), Version: "test", Sample: func(*Sample) {}}
	res, _, err := Run(opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := res.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain, buf.Bytes()) {
		t.Fatal("sampling the run changed its results")
	}
}

// TestSampleMeasures: the samples of a run add up to what its results
// say. The reference scenario with its delivery service limited to 100
// concurrent runs of 5 s (20 orders/s at most) takes 30 orders/s for a
// minute: the backlog grows, every run's processing is counted, and the
// billing counts follow the journey (each order publishes Order.Created
// and Order.Updated from orders and Delivery.Updated from delivery; the
// global bus forwards each to one other account).
func TestSampleMeasures(t *testing.T) {
	sc := shortReference(t)
	sc.Traffic.Arrivals.Shape = loadgen.Constant{Rate: 30, Duration: time.Minute}
	for i := range sc.Services {
		if sc.Services[i].Handler == "delivery/delivery" {
			sc.Services[i].Concurrency = 100
		}
	}
	var samples int
	var last Sample
	var maxWaiting int
	sc.Drain = 10 * time.Minute
	res, _, err := Run(Options{Scenario: sc, Version: "test", Sample: func(s *Sample) {
		samples++
		last = *s
		for _, h := range s.Handlers {
			if h.Handler == "delivery/delivery" {
				maxWaiting = max(maxWaiting, h.Waiting)
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := int((sc.Drain + time.Minute) / time.Second); samples != want {
		t.Errorf("%d samples, want one per virtual second: %d", samples, want)
	}
	if last.Sent != res.Orders.Sent || last.Completed != res.Orders.Completed {
		t.Errorf("last sample: sent %d completed %d; results: %d, %d", last.Sent, last.Completed, res.Orders.Sent, res.Orders.Completed)
	}
	var inFlight int64
	for _, r := range res.Ledger.Routes {
		inFlight += r.InFlight
	}
	if last.InFlight != inFlight {
		t.Errorf("last sample in flight %d, ledger %d", last.InFlight, inFlight)
	}
	// 30/s offered to 20/s of capacity for a minute: about 600 wait.
	if maxWaiting < 400 || maxWaiting > 800 {
		t.Errorf("delivery's backlog peaked at %d, want about 600", maxWaiting)
	}
	for _, h := range last.Handlers {
		if h.Handler != "delivery/delivery" {
			continue
		}
		if h.Runs != uint64(res.Orders.Sent) || h.Offered != h.Runs {
			t.Errorf("delivery: %d runs, %d offered, for %d orders", h.Runs, h.Offered, res.Orders.Sent)
		}
		if mean := h.Work / time.Duration(h.Runs); mean < 4900*time.Millisecond || mean > 5200*time.Millisecond {
			t.Errorf("delivery's mean run %v, want about 5s", mean)
		}
	}
	sent := res.Orders.Sent
	if last.Usage.Published != 3*sent || last.Usage.CrossAccount != 3*sent || last.Usage.Replayed != 0 {
		t.Errorf("usage %+v for %d orders, want 3 published and 3 cross-account deliveries per order", last.Usage, sent)
	}
	for _, a := range last.Accounts {
		want := map[string]uint64{"orders": 2, "delivery": 1}[a.Account]
		if a.PutCalls != want*uint64(sent) {
			t.Errorf("%s made %d PutEvents requests, want %d per order", a.Account, a.PutCalls, want)
		}
	}
}

// TestSampleConcurrentMeasure: with the measurement on a goroutine of its
// own, every sample reads the measure's counts as of its second, exactly
// as a synchronous measure gives them.
func TestSampleConcurrentMeasure(t *testing.T) {
	type counts struct {
		now                  time.Duration
		sent, completed, fly int64
	}
	watch := func(concurrent bool) []counts {
		var got []counts
		opts := Options{Scenario: shortReference(t), Version: "test", Concurrent: concurrent, Sample: func(s *Sample) {
			got = append(got, counts{s.Now, s.Sent, s.Completed, int64(s.InFlight)})
		}}
		if _, _, err := Run(opts); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want, got := watch(false), watch(true)
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("%d samples concurrent, %d synchronous", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sample %d: concurrent %+v, synchronous %+v", i, got[i], want[i])
		}
	}
}

// TestUsageMeterKeepsDetailsLazy: the meter behind Options.Sample reads a
// detail's size, never the detail, so a watched run (every capacity
// probe) builds no detail a rule does not read. An observer that is not a
// backbone.Selective wants every detail.
func TestUsageMeterKeepsDetailsLazy(t *testing.T) {
	var um backbone.Observer = &usageMeter{}
	s, ok := um.(backbone.Selective)
	if !ok {
		t.Fatal("the usage meter is not a backbone.Selective: every detail would be built")
	}
	if s.Kinds()&backbone.WantsDetails != 0 {
		t.Fatal("the usage meter asks for details")
	}
}

package loadgen_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/rng"
)

// A uniform plan at 10 orders a second places order k at k × 100ms.
func ExampleArrivals_Schedule() {
	plan := loadgen.Arrivals{Shape: loadgen.Constant{Rate: 10, Duration: 500 * time.Millisecond}}
	sched, err := plan.Schedule(nil, loadgen.Shard{})
	if err != nil {
		panic(err)
	}
	for a, ok := sched.Next(); ok; a, ok = sched.Next() {
		fmt.Println(a)
	}
	// Output:
	// #0@0s
	// #1@100ms
	// #2@200ms
	// #3@300ms
	// #4@400ms
}

// Shard 1 of 2 keeps the odd orders, at their unsharded times: under a
// ramp from 0 to 20/s over 1s, Λ(t) = 10t² and order k is due at √(k/10) s.
func ExampleParseShard() {
	shard, err := loadgen.ParseShard("1/2")
	if err != nil {
		panic(err)
	}
	plan := loadgen.Arrivals{Shape: loadgen.Ramp{From: 0, To: 20, Duration: time.Second}}
	sched, _ := plan.Schedule(nil, shard)
	for a, ok := sched.Next(); ok; a, ok = sched.Next() {
		fmt.Println(a)
	}
	_, err = loadgen.ParseShard("2/2")
	fmt.Println(err)
	// Output:
	// #1@316.227766ms
	// #3@547.722558ms
	// #5@707.106781ms
	// #7@836.660027ms
	// #9@948.683298ms
	// shard "2/2": index 2 must be less than count 2 (shards are numbered from 0)
}

// A wall-clock driver asks the pacer how long to wait; an overdue order
// gets a zero wait and is sent at once, and counted late.
func ExampleSchedulePacer() {
	plan := loadgen.Arrivals{Shape: loadgen.Constant{Rate: 10, Duration: time.Second}}
	pacer, _ := plan.Pacer(nil, loadgen.Shard{})
	late := loadgen.Lateness{Tolerance: 5 * time.Millisecond}
	// The driver slept too long and wakes at 250ms with 1 order sent.
	elapsed, sent := 250*time.Millisecond, uint64(1)
	for {
		wait, stop := pacer.Pace(elapsed, sent)
		if stop || wait > 0 {
			fmt.Println("next in", wait)
			break
		}
		a, _ := pacer.Arrival(sent)
		late.Record(a.At, elapsed)
		fmt.Println("send", a, "at", elapsed)
		sent++
	}
	fmt.Println(late)
	// Output:
	// send #1@100ms at 250ms
	// send #2@200ms at 250ms
	// next in 50ms
	// 2 sent, 2 late (>5ms), max lag 150ms
}

// The order factory builds the PutEvents entry of an arrival, the same in
// every shard.
func ExampleFactory() {
	f, err := loadgen.NewFactory(loadgen.FactoryConfig{
		RunID:   "r1",
		Origins: []loadgen.Origin{{Account: "shop-eu", Weight: 1}},
		Payload: rng.Constant{Value: 400},
	}, rng.NewStreams(42))
	if err != nil {
		panic(err)
	}
	o := f.Order(loadgen.Arrival{Index: 42, At: 4200 * time.Millisecond})
	e := f.Entry(&o, loadgen.OrderCreated)
	fmt.Println(e.Source, e.DetailType, len(e.Detail), o.Origin)
	fmt.Println(string(e.Detail[:bytes.Index(e.Detail, []byte(`"padding"`))]) + "…")
	// Output:
	// busdrill.orders Order.Created 400 shop-eu
	// {"metadata":{"run_id":"r1","journey_id":"j-000000000042","intended_ns":4200000000,"idempotency_key":"r1/o-000000000042/Order.Created","origin":"shop-eu"},"data":{"order_id":"o-000000000042","customer_id":"c-00006358","items":[{"sku":"sku-14875","qty":5},{"sku":"sku-99437","qty":4},{"sku":"sku-23921","qty":1}],…
}

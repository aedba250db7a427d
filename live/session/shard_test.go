package session_test

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/busdrill/busdrill/live/session"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/rng"
)

// Two shards of one run, at the same time, with the same run id: each
// sends exactly its share of the schedule (the union is the unsharded
// plan), plays the services for its own journeys only, completes them
// all, and ignores the other shard's events on its probes.
func TestShardsSplitTheScheduleExactly(t *testing.T) {
	sc := reference(t, 20, 4*time.Second)
	e := deployed(t, sc)
	whole, err := sc.Traffic.Arrivals.Schedule(rng.NewStreams(sc.Seed).Get(loadgen.StreamArrivals), loadgen.Shard{})
	if err != nil {
		t.Fatal(err)
	}
	var planned int64
	for _, ok := whole.Next(); ok; _, ok = whole.Next() {
		planned++
	}
	var wg sync.WaitGroup
	outs := make([]*session.Outcome, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			opts := e.options(t, sc)
			opts.RunID = "sharded-1"
			opts.Shard = loadgen.Shard{Index: uint64(i), Count: 2}
			opts.JournalPath = filepath.Join(t.TempDir(), "journal.jsonl")
			outs[i], errs[i] = session.Run(testCtx(t, 60*time.Second), opts)
		}()
	}
	wg.Wait()
	var sum int64
	for i, out := range outs {
		if errs[i] != nil {
			t.Fatalf("shard %d: %v", i, errs[i])
		}
		r := out.Results
		if r.Shard == nil || r.Shard.Index != i || r.Shard.Count != 2 {
			t.Errorf("shard %d: results shard %+v", i, r.Shard)
		}
		if r.Orders.Sent != r.Orders.Planned || r.Orders.Completed != r.Orders.Sent || !r.Ledger.Balanced {
			t.Errorf("shard %d: orders %+v balanced %v", i, r.Orders, r.Ledger.Balanced)
		}
		if r.Idempotency.Violations != 0 {
			t.Errorf("shard %d: %+v", i, r.Idempotency)
		}
		if r.Metrics["live:probe_foreign"] == 0 {
			t.Errorf("shard %d saw none of the other shard's events", i)
		}
		sum += r.Orders.Planned
	}
	if sum != planned {
		t.Errorf("shards planned %d orders together, the whole run %d", sum, planned)
	}
	if left := e.leftovers(t, sc); len(left) > 0 {
		t.Errorf("left behind: %+v", left)
	}
}

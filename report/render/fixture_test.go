package render

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/busdrill/busdrill/report"
)

// drill describes a synthetic run fed through the real recorder: steady
// orders from one account through a delivery service and back, with a
// throttling window, a disabled rule, a slow delivery handler with dead
// letters, at-least-once redeliveries and a handler that is not
// idempotent. Each journey draws from its own PCG stream (seed, journey),
// so a shard sees exactly the journeys, and values, of the whole run.
type drill struct {
	seed     uint64
	rate     int // orders per second
	traffic  time.Duration
	drain    time.Duration
	shard    *report.Shard
	noFaults bool
}

const (
	refDelivery = "delivery/local/on-order-created/handler"
	refOrders   = "orders/local/on-delivery-updated/handler"
	refBilling  = "billing/local/audit/sink"
	refLog      = "bus/global/catch-all/log"
)

type window struct{ from, to time.Duration }

func (w window) has(t time.Duration) bool { return t >= w.from && t < w.to }

func (d drill) run() *report.Results {
	cutoff := d.traffic + d.drain
	rec := report.NewRecorder(report.Config{
		Scenario: "drill", Target: "sim", Version: "test", Seed: d.seed, Shard: d.shard,
		Traffic: d.traffic, Cutoff: cutoff,
		Quotas: []report.Quota{{Name: report.QuotaPutEvents, Account: "*", Limit: float64(d.rate) * 1.6},
			{Name: report.QuotaInvocations, Account: "*", Limit: float64(d.rate) * 5}},
	})
	frac := func(f float64) time.Duration { return time.Duration(f * float64(d.traffic)) }
	throttle := window{frac(0.15), frac(0.22)}
	disabled := window{frac(0.35), frac(0.42)}
	slow := window{frac(0.55), frac(0.65)}
	if d.noFaults {
		throttle, disabled, slow = window{}, window{}, window{}
	} else {
		rec.Fault(report.Fault{Name: "throttle-orders", Kind: "throttle", Target: "orders", StartMs: ms(throttle.from), EndMs: ms(throttle.to)})
		rec.Fault(report.Fault{Name: "disable-billing-audit", Kind: "rule-disabled", Target: "billing/local/audit", StartMs: ms(disabled.from), EndMs: ms(disabled.to)})
		rec.Fault(report.Fault{Name: "slow-delivery", Kind: "latency", Target: "delivery/local/on-order-created", StartMs: ms(slow.from), EndMs: ms(slow.to)})
	}
	n := uint64(d.rate) * uint64(d.traffic/time.Second)
	var planned int64
	for j := range n {
		if d.shard != nil && j%uint64(d.shard.Count) != uint64(d.shard.Index) {
			continue
		}
		planned++
		rng := rand.New(rand.NewPCG(d.seed, j))
		t0 := time.Duration(j) * time.Second / time.Duration(d.rate)
		lag := time.Duration(rng.IntN(3000)) * time.Microsecond
		if throttle.has(t0) {
			rec.PutEventsCall("orders", t0+lag, 1, true)
			if rng.IntN(3) == 0 {
				rec.NotSent(j, "ThrottlingException")
				continue
			}
			lag += time.Duration(100+rng.IntN(400)) * time.Millisecond
		}
		rec.Sent(j, t0, t0+lag)
		rec.PutEventsCall("orders", t0+lag, 1, false)
		put := time.Duration(8+rng.ExpFloat64()*12) * time.Millisecond
		rec.Hop(report.HopPutAck, lag+put)
		for _, to := range []string{refDelivery, refBilling, refLog} {
			rec.Expect("orders", to)
		}
		ingest := t0 + lag + put
		arrive := ingest + time.Duration(20+rng.ExpFloat64()*40)*time.Millisecond
		rec.Invocation("bus", arrive)
		rec.Delivered("orders", refLog, arrive)
		rec.Consumed(refLog, "oc-"+itoa(j), j, "Order.Created", arrive)
		if disabled.has(ingest) {
			rec.Lost("orders", refBilling, "rule-disabled", false, arrive)
		} else {
			rec.Delivered("orders", refBilling, arrive)
			rec.Consumed(refBilling, "oc-"+itoa(j), j, "Order.Created", arrive)
		}
		rec.Invocation("delivery", arrive)
		handler := time.Duration(4500+rng.NormFloat64()*250) * time.Millisecond
		if slow.has(arrive) {
			handler += time.Duration(2500+rng.IntN(1500)) * time.Millisecond
			if rng.IntN(100) == 0 {
				at := arrive + 90*time.Second
				if at < cutoff {
					rec.Lost("orders", refDelivery, "retries-exhausted", true, at)
					rec.DeadLettered(at)
				}
				continue
			}
		}
		rec.Delivered("orders", refDelivery, arrive)
		rec.Hop(report.HopDelivery, arrive-ingest)
		rec.Consumed(refDelivery, "oc-"+itoa(j), j, "Order.Created", arrive)
		rec.SideEffect(refDelivery, j, "Order.Created")
		if rng.IntN(50) == 0 {
			// An at-least-once redelivery, deduplicated by the handler.
			rec.Consumed(refDelivery, "oc-"+itoa(j), j, "Order.Created", arrive+30*time.Millisecond)
		}
		rec.Hop(report.HopHandler, handler)
		done := arrive + handler
		rec.PutEventsCall("delivery", done, 1, false)
		rec.Expect("delivery", refOrders)
		rec.Expect("delivery", refLog)
		back := done + time.Duration(15+rng.ExpFloat64()*30)*time.Millisecond
		if back >= cutoff {
			continue // in flight at cut-off
		}
		rec.Invocation("bus", back)
		rec.Delivered("delivery", refLog, back)
		rec.Invocation("orders", back)
		rec.Delivered("delivery", refOrders, back)
		rec.Hop(report.HopFinal, back-done)
		rec.Consumed(refOrders, "du-"+itoa(j), j, "Delivery.Updated", back)
		rec.SideEffect(refOrders, j, "Delivery.Updated")
		if rng.IntN(400) == 0 {
			// A producer resend (new id), processed twice.
			rec.Consumed(refOrders, "du2-"+itoa(j), j, "Delivery.Updated", back+time.Second)
			rec.SideEffect(refOrders, j, "Delivery.Updated")
		}
		rec.Completed(j, back)
	}
	rec.Planned(planned)
	res := rec.Finish(map[string]int64{"bus/global:Invocations": planned})
	conds := []report.NamedCondition{}
	for _, c := range []string{"e2e.p99 < 8s", "completion >= 99%", "loss == 0", "ledger.balanced", "idempotency.violations == 0"} {
		cond, err := report.ParseCondition(c)
		if err != nil {
			panic(err)
		}
		conds = append(conds, report.NamedCondition{Cond: cond})
	}
	res.Evaluate(conds)
	return res
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func itoa(j uint64) string { return strconv.FormatUint(j, 10) }

// golden reads the fixture testdata/golden.json, a copy of the recorder's
// golden results (faults, drops, a DLQ, duplicates, violations, a quota
// over its limit, a failed expectation).
func golden(t testing.TB) *report.Results {
	t.Helper()
	r, err := report.ReadResults(filepath.Join("testdata", "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// resultsDir is the repository's results/ folder (git-ignored), where
// tests leave artifacts for CI to keep.
func resultsDir(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "results", sub)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

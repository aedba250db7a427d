package report

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/chaos"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// scriptedRun records a small run with every kind of call: 40 orders at
// 10/s from three accounts' worth of routes, a disabled rule, throttling,
// a DLQ, at-least-once duplicates, a replay and a non-idempotent handler.
// Everything derives from the seed.
func scriptedRun(seed uint64) *Results {
	rng := rand.New(rand.NewPCG(seed, 0))
	r := NewRecorder(Config{
		Scenario: "golden", Target: "sim", Version: "test", Seed: seed,
		Traffic: 4 * time.Second, Cutoff: 20 * time.Second,
		Quotas: []Quota{{QuotaPutEvents, "*", 10}, {QuotaInvocations, "*", 50}},
		Windows: []chaos.Window{
			{Name: "throttle-orders", Start: time.Second, End: 1500 * ms},
			{Name: "disable-billing", Start: 2 * time.Second, End: 3 * time.Second},
		},
		Grace: 500 * ms,
	})
	r.Fault(Fault{Name: "throttle-orders", Kind: "throttle", Target: "orders", StartMs: 1000, EndMs: 1500})
	r.Fault(Fault{Name: "disable-billing", Kind: "rule-disabled", Target: "billing/local/log-all", StartMs: 2000, EndMs: 3000})
	const n = 40
	r.Planned(n)
	for j := range uint64(n) {
		t0 := time.Duration(j) * 100 * ms
		id := func(kind string) string { return kind + "-" + strconv.FormatUint(j, 10) }
		lag := time.Duration(rng.IntN(12)) * ms
		if t0 >= time.Second && t0 < 1500*ms {
			// Throttled: the publisher gives up on every other order.
			r.PutEventsCall("orders", t0+lag, 1, true)
			if j%2 == 0 {
				r.NotSent(j, "throttled")
				continue
			}
			lag += 200 * ms
		}
		r.Sent(j, t0, t0+lag)
		r.PutEventsCall("orders", t0+lag, 1, false)
		put := time.Duration(10+rng.IntN(40)) * ms
		r.Hop(HopPutAck, put)
		r.Expect("orders", refDelivery)
		r.Expect("orders", refBilling)
		t := t0 + lag + put + time.Duration(50+rng.IntN(200))*ms
		r.Invocation("delivery", t)
		if t0 >= 2*time.Second && t0 < 3*time.Second {
			r.LostFor(j, "orders", refBilling, "rule-disabled", false, t)
		} else {
			r.Delivered("orders", refBilling, t)
			r.Consumed(refBilling, id("oc"), j, "Order.Created", t)
		}
		if j == 7 {
			// The delivery handler fails until its retries run out.
			r.LostFor(j, "orders", refDelivery, "retries-exhausted", true, t+time.Minute/10)
			r.DeadLettered(t + time.Minute/10)
			continue
		}
		r.Delivered("orders", refDelivery, t)
		r.Hop(HopDelivery, t-t0-lag-put)
		r.Consumed(refDelivery, id("oc"), j, "Order.Created", t)
		r.SideEffect(refDelivery, j, "Order.Created")
		if j%9 == 0 {
			// An at-least-once redelivery, deduplicated by the handler.
			r.Consumed(refDelivery, id("oc"), j, "Order.Created", t+5*ms)
		}
		handler := time.Duration(5000+rng.IntN(500)) * ms
		r.Hop(HopHandler, handler)
		t += handler
		r.PutEventsCall("delivery", t, 1, false)
		r.Expect("delivery", refOrders)
		if j == 33 {
			continue // Delivery.Updated still in flight at cut-off
		}
		t += time.Duration(50+rng.IntN(100)) * ms
		r.Invocation("orders", t)
		r.Delivered("delivery", refOrders, t)
		r.Consumed(refOrders, id("du"), j, "Delivery.Updated", t)
		r.SideEffect(refOrders, j, "Delivery.Updated")
		if j%13 == 0 {
			// A replay (new id) the order service is not idempotent to.
			r.Consumed(refOrders, id("replay"), j, "Delivery.Updated", t+time.Second)
			r.SideEffect(refOrders, j, "Delivery.Updated")
		}
		final := time.Duration(20+rng.IntN(50)) * ms
		r.Hop(HopFinal, final)
		r.Completed(j, t+final)
	}
	return r.Finish(map[string]int64{"model.events": 1234, "model.rules_matched": 321})
}

func writeJSON(t *testing.T, r *Results) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestResultsGolden(t *testing.T) {
	res := scriptedRun(1)
	conds := []NamedCondition{
		{Name: "p99 under 8s", Cond: mustCond(t, "e2e.p99 < 8s")},
		{Cond: mustCond(t, "ledger.balanced")},
		{Name: "no loss", Cond: mustCond(t, "loss == 0")},
		{Name: "no loss in steady state", Cond: mustCond(t, "loss == 0"), Window: "steady"},
		{Name: "billing misses every order of the disabled window", Cond: mustCond(t, "loss.rule-disabled == orders.sent"), Window: "during:disable-billing"},
		{Cond: mustCond(t, "e2e.p99 <= 6s"), Window: "after:throttle-orders"},
		{Cond: mustCond(t, "recovery.throttle-orders < 1s")},
	}
	if v := res.Evaluate(conds); v != VerdictFail {
		t.Errorf("verdict %q, want fail (there is loss)", v)
	}
	got := writeJSON(t, res)
	path := filepath.Join("testdata", "results.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("results differ from %s (run with -update if the change is intended):\n%s", path, firstDiff(got, want))
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + g[i] + "\nwant: " + w[i]
		}
	}
	return "lengths differ: " + strconv.Itoa(len(g)) + " vs " + strconv.Itoa(len(w)) + " lines"
}

func mustCond(t *testing.T, s string) Condition {
	t.Helper()
	c, err := ParseCondition(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGoldenRunAddsUp(t *testing.T) {
	res := scriptedRun(1)
	o := res.Orders
	// The order identities.
	if o.Planned != o.Sent+o.NotSent || o.Sent != o.Completed+o.Incomplete {
		t.Errorf("orders do not add up: %+v", o)
	}
	// The golden run is balanced, with one DLQ, ten rule-disabled drops
	// and one delivery in flight.
	l := res.Ledger
	var dlq, dropped, inflight int64
	for _, rt := range l.Routes {
		dlq += rt.DLQ
		dropped += sumDropped(rt.Dropped)
		inflight += rt.InFlight
	}
	if !l.Balanced || dlq != 1 || inflight != 1 || dropped == 0 {
		t.Errorf("ledger %+v", l)
	}
	if res.Idempotency.Violations == 0 || res.Duplicates[0].Consumer > res.Duplicates[1].Consumer {
		t.Errorf("idempotency %+v duplicates %+v", res.Idempotency, res.Duplicates)
	}
	if len(res.Anomalies) != 0 {
		t.Errorf("anomalies %v", res.Anomalies)
	}
}

func TestDeterminism(t *testing.T) {
	// The same calls give byte-identical results.json, whatever the
	// map iteration order of the run.
	a, b := writeJSON(t, scriptedRun(42)), writeJSON(t, scriptedRun(42))
	if !bytes.Equal(a, b) {
		t.Fatalf("two identical runs differ:\n%s", firstDiff(a, b))
	}
	// ... and Finish is repeatable.
	r := NewRecorder(Config{Cutoff: time.Second})
	r.Sent(0, 0, 0)
	r.Completed(0, 500*ms)
	if x, y := writeJSON(t, r.Finish(nil)), writeJSON(t, r.Finish(nil)); !bytes.Equal(x, y) {
		t.Fatalf("Finish twice differs:\n%s", firstDiff(x, y))
	}
	// A different seed gives a different file (the test is not vacuous).
	if bytes.Equal(a, writeJSON(t, scriptedRun(43))) {
		t.Fatal("seeds 42 and 43 give the same results")
	}
}

func TestReadResults(t *testing.T) {
	dir := t.TempDir()
	res := scriptedRun(1)
	path := filepath.Join(dir, "results.json")
	if err := os.WriteFile(path, writeJSON(t, res), 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := ReadResults(path)
	if err != nil {
		t.Fatal(err)
	}
	// What was read writes back to the same bytes.
	if a, b := writeJSON(t, res), writeJSON(t, back); !bytes.Equal(a, b) {
		t.Fatalf("round trip differs:\n%s", firstDiff(b, a))
	}
	tests := []struct {
		content, want string
	}{
		// Not JSON at all.
		{"hello", "not a results file"},
		// JSON without a schema key.
		{`{"scenario":"x"}`, `no "schema" key`},
		// Another schema.
		{`{"schema":"busdrill.results/v2"}`, `results schema "busdrill.results/v2"`},
		// Unknown keys are fine (newer files add keys).
		{`{"schema":"busdrill.results/v1","future":1}`, ""},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, "r.json")
		if err := os.WriteFile(p, []byte(tt.content), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := ReadResults(p)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.content, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want %q", tt.content, err, tt.want)
		}
	}
	if _, err := ReadResults(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestWriteJSONEmpty(t *testing.T) {
	// Zero results still write every contract key, with [] and {} rather
	// than null, and a trailing newline.
	out := string(writeJSON(t, &Results{Schema: Schema, Ledger: Ledger{Routes: []Route{{From: "a"}}}}))
	if strings.Contains(out, "null") || !strings.HasSuffix(out, "}\n") {
		t.Errorf("output:\n%s", out)
	}
	for _, key := range []string{`"latency": {}`, `"duplicates": []`, `"series": []`, `"dropped": {}`, `"expectations": []`} {
		if !strings.Contains(out, key) {
			t.Errorf("missing %s in:\n%s", key, out)
		}
	}
}

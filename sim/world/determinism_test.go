package world

import (
	"bufio"
	"bytes"
	"encoding/json"
	"runtime"
	"testing"
	"time"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios"
)

// shortReference is the built-in reference scenario with one minute of
// traffic at 50 orders/s: enough for every kind of event to happen.
func shortReference(t testing.TB) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	sc.Traffic.Arrivals.Shape = loadgen.Constant{Rate: 50, Duration: time.Minute}
	return sc
}

func resultsJSON(t testing.TB, sc *scenarios.Scenario, trace *bytes.Buffer) []byte {
	t.Helper()
	opts := Options{Scenario: sc, Version: "test"}
	if trace != nil {
		opts.Trace = trace
	}
	res, _, err := Run(opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := res.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestResultsAreByteIdentical: the same scenario and seed give the same
// results.json, run twice and under GOMAXPROCS 1 and 2.
func TestResultsAreByteIdentical(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var runs [][]byte
	for _, procs := range []int{1, 2, 1, 2} {
		runtime.GOMAXPROCS(procs)
		runs = append(runs, resultsJSON(t, shortReference(t), nil))
	}
	for i := 1; i < len(runs); i++ {
		if !bytes.Equal(runs[0], runs[i]) {
			t.Fatalf("run %d differs from run 0", i)
		}
	}
	other := shortReference(t)
	other.Seed++
	if bytes.Equal(runs[0], resultsJSON(t, other, nil)) {
		t.Fatal("a different seed gave the same results")
	}
}

// TestConcurrentMeasureIsByteIdentical: the measurement applied on a
// goroutine of its own, and the latencies, records and arrivals made
// ahead on theirs (Options.Concurrent), give the same results.json as all
// done on the model's goroutine, under GOMAXPROCS 1 and 2, for scenarios
// that exercise every kind of note (faults, quota changes, replays,
// producers giving up, duplicates, retirement) and Poisson arrivals with
// drawn payload sizes (reference).
func TestConcurrentMeasureIsByteIdentical(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, name := range []string{"throttle-storm", "disabled-rule-replay", "duplicates-event-id", "dlq-redrive",
		"autonomous-subsystems", "poison-orders", "stalled-consumer", "partial-failures", "reference"} {
		t.Run(name, func(t *testing.T) {
			run := func(concurrent bool) []byte {
				sc, err := scenarios.Builtin(name)
				if err != nil {
					t.Fatal(err)
				}
				res, _, err := Run(Options{Scenario: sc, Version: "test", Concurrent: concurrent})
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := res.WriteJSON(&buf); err != nil {
					t.Fatal(err)
				}
				return buf.Bytes()
			}
			want := run(false)
			for _, procs := range []int{1, 2} {
				runtime.GOMAXPROCS(procs)
				if got := run(true); !bytes.Equal(got, want) {
					t.Fatalf("GOMAXPROCS %d: the concurrent measure gave other results", procs)
				}
			}
		})
	}
}

// TestPerturbationLeavesArrivalsUnchanged: drawing more randomness in the
// model (duplicate deliveries, a failing handler) must not move any
// order's arrival: every order is published at the same instant, with the
// same detail, as in the unperturbed run. This is what makes a run with a
// fault comparable with the same run without it.
func TestPerturbationLeavesArrivalsUnchanged(t *testing.T) {
	base := shortReference(t)
	perturbed := shortReference(t)
	perturbed.Model.DuplicateProbability = 0.05
	for i := range perturbed.Services {
		perturbed.Services[i].FailureProbability = 0.1
	}
	if bytes.Equal(resultsJSON(t, base, nil), resultsJSON(t, perturbed, nil)) {
		t.Fatal("the perturbation changed nothing: the test would prove nothing")
	}
	a, b := orderArrivals(t, base), orderArrivals(t, perturbed)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d arrivals without the perturbation, %d with", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("order %d: %+v without the perturbation, %+v with", i, a[i], b[i])
		}
	}
}

type arrival struct {
	T int64
}

// orderArrivals returns the publication time of every Order.Created the
// run accepted, in order. (Event ids legitimately differ: every publish
// draws one from the same stream, and the perturbed run publishes more.)
func orderArrivals(t *testing.T, sc *scenarios.Scenario) []arrival {
	var trace bytes.Buffer
	resultsJSON(t, sc, &trace)
	var out []arrival
	sc2 := bufio.NewScanner(&trace)
	sc2.Buffer(nil, 1<<20)
	for sc2.Scan() {
		var o struct {
			T          int64  `json:"t"`
			Kind       string `json:"kind"`
			DetailType string `json:"detail-type"`
		}
		if err := json.Unmarshal(sc2.Bytes(), &o); err != nil {
			t.Fatal(err)
		}
		if o.Kind == "publish-accepted" && o.DetailType == "Order.Created" {
			out = append(out, arrival{o.T})
		}
	}
	return out
}

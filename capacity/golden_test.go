package capacity

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/busdrill/busdrill/scenarios"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// TestGoldenAnswers searches the scenarios of testdata, whose answers
// were computed by hand (each file's description says how), and checks
//
//   - the answer: within the precision below the hand-computed rate, and
//     the binding constraint the hand computation names;
//   - that the model agrees: the scenario passes at 0.95 times the
//     answer and fails at 1.1 times it;
//   - the whole text answer against testdata/NAME.golden (go test
//     ./capacity -update rewrites them).
func TestGoldenAnswers(t *testing.T) {
	cases := []struct {
		name string
		next int
		// hand is the rate computed by hand: the answer must lie in
		// [hand×(1−2×precision), hand]; 0 when it cannot be computed by
		// hand (an expectation binds); below, only an upper bound.
		hand       float64
		below      bool
		kind, what string
		// then is the binding of the first next step, when asked.
		thenKind, thenWhat string
		thenHand           float64
	}{
		{name: "low-quotas", hand: 125, kind: KindInvocationsQuota, what: "bus"},
		{name: "bounded-concurrency", hand: 50, kind: KindHandlerConcurrency, what: "delivery/delivery"},
		{name: "close-limits", next: 1, hand: 100, kind: KindHandlerConcurrency, what: "delivery/delivery",
			thenKind: KindInvocationsQuota, thenWhat: "bus", thenHand: 103},
		{name: "target-throughput", next: 1, hand: 40, below: true, kind: KindRetryExhaustion, what: "delivery/local/delivery/handler",
			thenKind: KindTargetThroughput, thenWhat: "delivery/delivery", thenHand: 40},
		{name: "latency-objective", kind: KindExpectation, what: "e2e.p99 < 5s"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc, err := scenarios.LoadFile(filepath.Join("testdata", c.name+".yaml"), scenarios.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			next := c.next
			if next == 0 {
				next = -1
			}
			a, err := Run(context.Background(), sc, Options{Next: next, Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if a.End != EndConverged {
				t.Fatalf("the search ended %q", a.End)
			}
			inRange := func(rate, hand float64) bool {
				lo := hand * (1 - 2*DefaultPrecision)
				if c.below {
					lo = hand * (1 - 10*DefaultPrecision)
				}
				return rate >= lo && rate <= hand
			}
			if c.hand > 0 && !inRange(a.SustainableRate, c.hand) {
				t.Errorf("answer %g, computed by hand: %g", a.SustainableRate, c.hand)
			}
			if a.Binding == nil || a.Binding.Kind != c.kind || a.Binding.Name != c.what {
				t.Errorf("binding %+v, want %s %s", a.Binding, c.kind, c.what)
			}
			if c.thenKind != "" {
				if len(a.Next) != 1 || a.Next[0].Binding == nil {
					t.Fatalf("next steps %+v", a.Next)
				}
				s := a.Next[0]
				if s.Binding.Kind != c.thenKind || s.Binding.Name != c.thenWhat || !inRange(s.Rate, c.thenHand) {
					t.Errorf("next: %g with %s %s binding, want about %g with %s %s", s.Rate, s.Binding.Kind, s.Binding.Name, c.thenHand, c.thenKind, c.thenWhat)
				}
			}

			subj, err := NewSubject(sc, nil, DefaultBudget, "test")
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []struct {
				factor float64
				pass   bool
			}{{0.95, true}, {1.1, false}} {
				r, err := subj.probe(context.Background(), a.SustainableRate*f.factor)
				if err != nil {
					t.Fatal(err)
				}
				if r.probe.Pass != f.pass {
					t.Errorf("at %g× the answer (%s): pass = %v, want %v: %v", f.factor, fmtRate(r.probe.Rate), r.probe.Pass, f.pass, r.probe.Why)
				}
			}

			var buf bytes.Buffer
			if err := WriteText(&buf, a); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, c.name+".golden", buf.Bytes())
		})
	}
}

// checkGolden compares got with testdata/NAME, or rewrites it with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./capacity -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./capacity -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

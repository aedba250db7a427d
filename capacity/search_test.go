package capacity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"
)

// synthetic is a backbone made of constraints the test knows: a probe at
// rate r passes when every constraint's limit is at or above r, and
// predicts where the most used linear constraint (linear true) saturates,
// skewed by bias (a constraint whose use grows faster or slower than
// the rate). A non-linear constraint (an expectation, say) predicts
// nothing.
type synthetic []struct {
	limit  float64
	linear bool
	bias   float64
}

func (s synthetic) prober(calls *int) Prober {
	return func(_ context.Context, r float64) (Probe, error) {
		*calls++
		p := Probe{Pass: true}
		most := 0.0
		for _, c := range s {
			if r > c.limit {
				p.Pass = false
			}
			if c.linear {
				if u := r / c.limit * (1 + c.bias); u > most {
					most = u
				}
			}
		}
		if most > 0 {
			p.Predict = r / most
		}
		return p, nil
	}
}

func TestSearch(t *testing.T) {
	type cons = synthetic
	cases := []struct {
		name string
		cons synthetic
		cfg  SearchConfig
		// truth is the true limit (the answer must be within the
		// precision below it), end the expected end, most the most
		// probes allowed.
		truth float64
		end   string
		most  int
	}{
		{"one linear limit at 199.4/s from 20/s: predicted, three probes",
			cons{{199.4, true, 0}}, SearchConfig{Start: 20, Min: 1, Max: 1e5, Precision: 0.02}, 199.4, EndConverged, 4},
		{"no prediction: bracketing by doubling, then bisection",
			cons{{199.4, false, 0}}, SearchConfig{Start: 20, Min: 1, Max: 1e5, Precision: 0.02}, 199.4, EndConverged, 12},
		{"a prediction 30% optimistic: followed twice, then bisection",
			cons{{150, true, -0.3}}, SearchConfig{Start: 20, Min: 1, Max: 1e5, Precision: 0.02}, 150, EndConverged, 12},
		{"a prediction 30% pessimistic",
			cons{{150, true, 0.3}}, SearchConfig{Start: 20, Min: 1, Max: 1e5, Precision: 0.02}, 150, EndConverged, 12},
		{"an expectation binds before the linear limit it does not predict",
			cons{{199.4, true, 0}, {120, false, 0}}, SearchConfig{Start: 20, Min: 1, Max: 1e5, Precision: 0.02}, 120, EndConverged, 12},
		{"two linear limits close together: the lower one",
			cons{{200, true, 0}, {190, true, 0}}, SearchConfig{Start: 20, Min: 1, Max: 1e5, Precision: 0.02}, 190, EndConverged, 4},
		{"starting above the limit: bracketing downwards",
			cons{{3.3, false, 0}}, SearchConfig{Start: 260, Min: 0.1, Max: 1e5, Precision: 0.02}, 3.3, EndConverged, 16},
		{"starting above the limit with a prediction",
			cons{{3.3, true, 0}}, SearchConfig{Start: 260, Min: 0.1, Max: 1e5, Precision: 0.02}, 3.3, EndConverged, 4},
		{"a fine precision: 0.1%",
			cons{{199.4, false, 0}}, SearchConfig{Start: 20, Min: 1, Max: 1e5, Precision: 0.001}, 199.4, EndConverged, 18},
		{"a hint from the headroom: two probes",
			cons{{1994, true, 0}}, SearchConfig{Start: 20, Hint: 1994, Min: 1, Max: 1e5, Precision: 0.02}, 1994, EndConverged, 3},
		{"sustainable over the whole range",
			cons{{1e9, true, 0}}, SearchConfig{Start: 20, Min: 1, Max: 500, Precision: 0.02}, 500, EndAtMax, 6},
		{"not sustainable even at the lowest rate",
			cons{{0.5, false, 0}}, SearchConfig{Start: 20, Min: 1, Max: 500, Precision: 0.02}, 0, EndBelowMin, 6},
		{"the limit is the lowest rate itself",
			cons{{1, false, 0}}, SearchConfig{Start: 20, Min: 1, Max: 500, Precision: 0.02}, 1, EndConverged, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			calls := 0
			b, probes, err := Search(context.Background(), c.cfg, c.cons.prober(&calls))
			if err != nil {
				t.Fatal(err)
			}
			if b.End != c.end {
				t.Fatalf("end %q, want %q (bracket %v, probes %v)", b.End, c.end, b, probes)
			}
			if len(probes) != calls || len(probes) > c.most {
				t.Errorf("%d probes (%d calls), want at most %d: %v", len(probes), calls, c.most, probes)
			}
			switch c.end {
			case EndConverged:
				if b.Lo > c.truth || b.Hi <= c.truth || b.Hi > b.Lo*(1+c.cfg.Precision) {
					t.Errorf("bracket [%g, %g] does not hold %g within %g", b.Lo, b.Hi, c.truth, c.cfg.Precision)
				}
			case EndAtMax:
				if b.Lo != c.cfg.Max {
					t.Errorf("lo %g, want the maximum %g", b.Lo, c.cfg.Max)
				}
			case EndBelowMin:
				if b.Lo != 0 || b.Hi != c.cfg.Min {
					t.Errorf("bracket [%g, %g], want [0, min]", b.Lo, b.Hi)
				}
			}
			for _, p := range probes {
				if p.Pass != (p.Rate <= c.truth) && c.end != EndBelowMin && c.end != EndAtMax {
					t.Errorf("probe %v disagrees with the truth %g", p, c.truth)
				}
				if p.Rate < c.cfg.Min || p.Rate > c.cfg.Max {
					t.Errorf("probe at %g outside [%g, %g]", p.Rate, c.cfg.Min, c.cfg.Max)
				}
			}
		})
	}
}

// TestSearchIsDeterministic: the same configuration and verdicts give the
// same probes.
func TestSearchIsDeterministic(t *testing.T) {
	cfg := SearchConfig{Start: 20, Min: 1, Max: 1e5, Precision: 0.02}
	cons := synthetic{{150, true, -0.3}, {170, false, 0}}
	var runs []string
	for i := 0; i < 3; i++ {
		n := 0
		b, probes, err := Search(context.Background(), cfg, cons.prober(&n))
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, fmt.Sprint(b, probes))
	}
	if runs[0] != runs[1] || runs[1] != runs[2] {
		t.Fatalf("different searches: %q", runs)
	}
}

// TestSearchInterrupted: a cancelled search returns the bracket so far,
// without the interrupted probe.
func TestSearchInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	probe := func(ctx context.Context, r float64) (Probe, error) {
		n++
		if n == 3 {
			cancel()
			return Probe{}, ctx.Err()
		}
		return Probe{Pass: r <= 100}, nil
	}
	b, probes, err := Search(ctx, SearchConfig{Start: 20, Min: 1, Max: 1e5, Precision: 0.02}, probe)
	if err != nil {
		t.Fatal(err)
	}
	if b.End != EndInterrupted || len(probes) != 2 || b.Lo != 40 || !math.IsInf(b.Hi, 1) {
		t.Fatalf("bracket %+v after probes %v", b, probes)
	}
}

// TestSearchErrors: a probe's own error ends the search with it; a bad
// configuration is refused before any probe.
func TestSearchErrors(t *testing.T) {
	boom := errors.New("boom")
	_, _, err := Search(context.Background(), SearchConfig{Start: 20, Min: 1, Max: 100, Precision: 0.02},
		func(context.Context, float64) (Probe, error) { return Probe{}, boom })
	if !errors.Is(err, boom) {
		t.Errorf("err %v, want boom", err)
	}
	for _, cfg := range []SearchConfig{
		{Start: 20, Min: 0, Max: 100, Precision: 0.02},
		{Start: 20, Min: 10, Max: 5, Precision: 0.02},
		{Start: 20, Min: 1, Max: 100, Precision: 0},
		{Start: 20, Min: 1, Max: 100, Precision: 1},
		{Start: math.NaN(), Min: 1, Max: 100, Precision: 0.02},
		{Start: 20, Min: 1, Max: math.Inf(1), Precision: 0.02},
	} {
		if _, _, err := Search(context.Background(), cfg, nil); err == nil {
			t.Errorf("%+v: accepted", cfg)
		}
	}
}

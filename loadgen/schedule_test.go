package loadgen

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/busdrill/busdrill/rng"
)

// collect returns every arrival of a plan's shard, with the arrivals
// stream of seed.
func collect(t testing.TB, a Arrivals, seed uint64, sh Shard) []Arrival {
	t.Helper()
	sched, err := a.Schedule(rng.NewStreams(seed).Get(StreamArrivals), sh)
	if err != nil {
		t.Fatalf("%v: %v", a, err)
	}
	var out []Arrival
	for x, ok := sched.Next(); ok; x, ok = sched.Next() {
		out = append(out, x)
	}
	return out
}

func TestUniformArrivals(t *testing.T) {
	tests := []struct {
		shape Shape
		index uint64
		want  time.Duration
	}{
		// 10/s constant, arrival 0 => at once.
		{Constant{Rate: 10, Duration: 10 * s}, 0, 0},
		// 10/s constant, arrival 3 => 300ms.
		{Constant{Rate: 10, Duration: 10 * s}, 3, 300 * ms},
		// 10/s constant for 10s, arrival 99 => 9.9s, the last one.
		{Constant{Rate: 10, Duration: 10 * s}, 99, 9900 * ms},
		// 3/s constant, arrival 1 => a third of a second, to the nanosecond.
		{Constant{Rate: 3, Duration: 10 * s}, 1, 333333333},
		// 3/s constant, arrival 3 => exactly 1s: computed from the index, not by adding thirds.
		{Constant{Rate: 3, Duration: 10 * s}, 3, s},
		// 1000/s for an hour, arrival 3,599,999 => 1ms before the end, exactly.
		{Constant{Rate: 1000, Duration: time.Hour}, 3599999, time.Hour - ms},
		// Ramp 0 → 100/s over 10s (Λ = 5t²), arrival 20 => 2s.
		{Ramp{From: 0, To: 100, Duration: 10 * s}, 20, 2 * s},
		// Ramp 0 → 100/s, arrival 0 => at 0, where the rate starts rising.
		{Ramp{From: 0, To: 100, Duration: 10 * s}, 0, 0},
		// Ramp 0 → 100/s, arrival 5 => 1s.
		{Ramp{From: 0, To: 100, Duration: 10 * s}, 5, s},
		// Falling ramp 100 → 0/s (Λ = 100t − 5t²), arrival 180 => 2s.
		{Ramp{From: 100, To: 0, Duration: 10 * s}, 180, 2 * s},
		// Idle 10s, then 10/s: arrival 0 => 10s, when traffic starts, not during the idle stretch.
		{Stages{Stages: []Stage{{0, 10 * s}, {10, 0}, {10, 10 * s}}}, 0, 10 * s},
		// Idle 10s, then 10/s: arrival 1 => 10.1s.
		{Stages{Stages: []Stage{{0, 10 * s}, {10, 0}, {10, 10 * s}}}, 1, 10100 * ms},
		// k6 stages from 0: ramp to 10/s over 10s (50 orders), hold 10/s: arrival 60 => 11s.
		{Stages{Stages: []Stage{{10, 10 * s}, {10, 10 * s}}}, 60, 11 * s},
		// Spike 10/s, step to 100/s at 10s for 5s: arrival 100 => 10s (the first of the spike).
		{Spike{Base: 10, Peak: 100, At: 10 * s, Hold: 5 * s, Duration: 20 * s}, 100, 10 * s},
		// Same spike: arrival 150 => 10.5s, spaced 10ms apart during it.
		{Spike{Base: 10, Peak: 100, At: 10 * s, Hold: 5 * s, Duration: 20 * s}, 150, 10500 * ms},
		// Same spike: arrival 600 => 15s, back to base rate.
		{Spike{Base: 10, Peak: 100, At: 10 * s, Hold: 5 * s, Duration: 20 * s}, 600, 15 * s},
	}
	for _, tt := range tests {
		sched, err := Arrivals{Shape: tt.shape}.Schedule(nil, Shard{})
		if err != nil {
			t.Fatal(err)
		}
		var got Arrival
		var ok bool
		for {
			if got, ok = sched.Next(); !ok || got.Index >= tt.index {
				break
			}
		}
		if !ok || got.Index != tt.index || got.At != tt.want {
			t.Errorf("%v: arrival %d = %v, %v; want at %v", tt.shape, tt.index, got, ok, tt.want)
		}
	}
}

func TestUniformCountIsFloorOfExpected(t *testing.T) {
	tests := []struct {
		shape Shape
		want  int
	}{
		// 10/s for 10s => 100 orders.
		{Constant{Rate: 10, Duration: 10 * s}, 100},
		// 3/s for 1.5s => Λ = 4.5 => 4 orders; a half order is not sent.
		{Constant{Rate: 3, Duration: 1500 * ms}, 4},
		// 0.1/s for 1m => 6 orders, despite 0.1 having no exact binary form.
		{Constant{Rate: 0.1, Duration: time.Minute}, 6},
		// 1000/s for 1000s => a million, not 999,999.
		{Constant{Rate: 1000, Duration: 1000 * s}, 1000000},
		// Ramp 0 → 100/s over 10s => 500.
		{Ramp{From: 0, To: 100, Duration: 10 * s}, 500},
		// Zero rate throughout => nothing.
		{Constant{Rate: 0, Duration: time.Minute}, 0},
		// Less than one order expected => nothing.
		{Constant{Rate: 0.5, Duration: s}, 0},
	}
	for _, tt := range tests {
		if got := len(collect(t, Arrivals{Shape: tt.shape}, 0, Shard{})); got != tt.want {
			t.Errorf("%v: %d arrivals, want %d", tt.shape, got, tt.want)
		}
	}
	// And for random shapes, the count is ⌊Λ(Duration)⌋, all within the run.
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 200; i++ {
		sh := randomShape(r)
		p := mustCompile(t, sh)
		all := collect(t, Arrivals{Shape: sh}, 0, Shard{})
		if want := math.Floor(p.Total() + 1e-9); float64(len(all)) != want || uint64(len(all)) != p.Count() {
			t.Errorf("%v: %d arrivals, want ⌊%g⌋", sh, len(all), p.Total())
		}
		if n := len(all); n > 0 && all[n-1].At >= p.Duration() {
			t.Errorf("%v: last arrival %v is not before the end", sh, all[n-1])
		}
	}
}

func TestNoArrivalsWhereRateIsZero(t *testing.T) {
	// Hold 20/s for 5s, idle 5s, ramp from 0 to 20/s over 5s.
	sh := Stages{Start: 20, Stages: []Stage{{20, 5 * s}, {0, 0}, {0, 5 * s}, {20, 5 * s}}}
	p := mustCompile(t, sh)
	for _, proc := range []Process{Uniform, Poisson} {
		for seed := uint64(0); seed < 20; seed++ {
			for _, a := range collect(t, Arrivals{Shape: sh, Process: proc}, seed, Shard{}) {
				if p.Rate(a.At) == 0 && a.At != 10*s {
					t.Fatalf("%v %v seed %d: arrival %v where the rate is zero", proc, sh, seed, a)
				}
			}
		}
	}
}

func TestArrivalsAreOrderedAndIndexed(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 200; i++ {
		sh := randomShape(r)
		end := mustCompile(t, sh).Duration()
		for _, proc := range []Process{Uniform, Poisson} {
			all := collect(t, Arrivals{Shape: sh, Process: proc}, uint64(i), Shard{})
			for j, a := range all {
				if a.Index != uint64(j) {
					t.Fatalf("%v %v: arrival %d has index %d", proc, sh, j, a.Index)
				}
				if a.At < 0 || a.At >= end || (j > 0 && a.At < all[j-1].At) {
					t.Fatalf("%v %v: arrival %v after %v", proc, sh, a, all[max(j-1, 0)])
				}
			}
		}
	}
}

func TestShardsSplitTheScheduleExactly(t *testing.T) {
	shapes := []Shape{
		Constant{Rate: 97, Duration: 10 * s},
		Ramp{From: 0, To: 50, Duration: 13 * s},
		Stages{Start: 3, Stages: []Stage{{40, 3 * s}, {0, 2 * s}, {0, 2 * s}, {25, 0}, {25, 4 * s}}},
		Spike{Base: 5, Peak: 80, At: 2 * s, Ramp: s, Hold: 2 * s, Duration: 9 * s},
	}
	for _, sh := range shapes {
		for _, proc := range []Process{Uniform, Poisson} {
			a := Arrivals{Shape: sh, Process: proc}
			whole := collect(t, a, 42, Shard{})
			for n := uint64(1); n <= 5; n++ {
				var union []Arrival
				for i := uint64(0); i < n; i++ {
					part := collect(t, a, 42, Shard{Index: i, Count: n})
					for _, x := range part {
						if x.Index%n != i {
							t.Fatalf("%v shard %d/%d: got order %d", a, i, n, x.Index)
						}
					}
					union = append(union, part...)
				}
				slices.SortFunc(union, func(x, y Arrival) int { return int(x.Index) - int(y.Index) })
				if !slices.Equal(union, whole) {
					t.Fatalf("%v: the union of %d shards (%d arrivals) differs from the whole run (%d)", a, n, len(union), len(whole))
				}
			}
		}
	}
}

func TestSchedulesAreDeterministic(t *testing.T) {
	a := Arrivals{Shape: Ramp{From: 1, To: 300, Duration: 20 * s}, Process: Poisson}
	x, y := collect(t, a, 7, Shard{}), collect(t, a, 7, Shard{})
	if !slices.Equal(x, y) {
		t.Fatal("the same seed gave different Poisson schedules")
	}
	if z := collect(t, a, 8, Shard{}); slices.Equal(x, z) {
		t.Fatal("different seeds gave the same Poisson schedule")
	}
}

func TestPoissonCountsAreStatisticallySound(t *testing.T) {
	// Constant 1000/s for 1000s: N ~ Poisson(1e6), sd 1000. Gaps are
	// exponential with mean 1ms: P(gap > 1ms) = 1/e.
	{
		all := collect(t, Arrivals{Shape: Constant{Rate: 1000, Duration: 1000 * s}, Process: Poisson}, 1, Shard{})
		if n := float64(len(all)); math.Abs(n-1e6) > 5*1000 {
			t.Errorf("constant Poisson: %g arrivals, want 1e6 ± 5000", n)
		}
		var long int
		for j := 1; j < len(all); j++ {
			if all[j].At-all[j-1].At > ms {
				long++
			}
		}
		frac, want := float64(long)/float64(len(all)-1), 1/math.E
		if sd := math.Sqrt(want * (1 - want) / float64(len(all))); math.Abs(frac-want) > 5*sd {
			t.Errorf("constant Poisson: %g of gaps exceed the mean, want %g ± %g", frac, want, 5*sd)
		}
	}
	// Ramp 0 → 2000/s over 200s (Λ = 5t²): counts per 20s window are
	// Poisson with mean Λ(b) − Λ(a), so they follow the ramp.
	sh := Ramp{From: 0, To: 2000, Duration: 200 * s}
	p := mustCompile(t, sh)
	all := collect(t, Arrivals{Shape: sh, Process: Poisson}, 2, Shard{})
	counts := make([]float64, 10)
	for _, a := range all {
		counts[a.At/(20*s)]++
	}
	for w, c := range counts {
		mean := p.Expected(time.Duration(w+1)*20*s) - p.Expected(time.Duration(w)*20*s)
		if math.Abs(c-mean) > 5*math.Sqrt(mean) {
			t.Errorf("ramp Poisson: window %d has %g arrivals, want %g ± %g", w, c, mean, 5*math.Sqrt(mean))
		}
	}
}

func TestScheduleErrors(t *testing.T) {
	// Poisson without a stream is an error, not a panic later.
	if _, err := (Arrivals{Shape: Constant{Rate: 1, Duration: s}, Process: Poisson}).Schedule(nil, Shard{}); err == nil {
		t.Error("poisson without a stream: no error")
	}
	// An invalid shard is an error.
	if _, err := (Arrivals{Shape: Constant{Rate: 1, Duration: s}}).Schedule(nil, Shard{Index: 3, Count: 2}); err == nil {
		t.Error("shard 3/2: no error")
	}
	// An unknown process and a missing shape are both reported.
	if errs := (Arrivals{Process: 9}).Validate(); len(errs) != 2 {
		t.Errorf("Validate() = %v, want two errors", errs)
	}
	// Processes parse and print.
	for _, p := range []Process{Uniform, Poisson} {
		if q, err := ParseProcess(p.String()); err != nil || q != p {
			t.Errorf("ParseProcess(%q) = %v, %v", p, q, err)
		}
	}
	if _, err := ParseProcess("closed"); err == nil {
		t.Error("ParseProcess(closed): no error")
	}
	if got := (Arrivals{Shape: Constant{Rate: 200, Duration: 10 * time.Minute}, Process: Poisson}).String(); got != "poisson constant(200/s for 10m0s)" {
		t.Errorf("String() = %q", got)
	}
}

// TestOtherStreamsLeaveArrivalsAlone: drawing from other streams of the
// same seed (a fault schedule, duplicates, the factory) between arrivals
// changes no arrival time, so runs with and without a fault pair up order
// for order.
func TestOtherStreamsLeaveArrivalsAlone(t *testing.T) {
	a := Arrivals{Shape: Spike{Base: 20, Peak: 200, At: 2 * s, Ramp: s, Hold: s, Duration: 8 * s}, Process: Poisson}
	want := collect(t, a, 99, Shard{})
	streams := rng.NewStreams(99)
	faults := streams.Get("faults")
	f := mustFactory(t, baseConfig(), 99)
	sched, err := a.Schedule(streams.Get(StreamArrivals), Shard{})
	if err != nil {
		t.Fatal(err)
	}
	var got []Arrival
	for x, ok := sched.Next(); ok; x, ok = sched.Next() {
		got = append(got, x)
		for n := faults.IntN(5); n > 0; n-- {
			faults.Uint64()
		}
		f.Order(x)
	}
	if !slices.Equal(got, want) {
		t.Fatal("draws from other streams changed the arrivals")
	}
}

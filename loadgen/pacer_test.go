package loadgen

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/rng"
)

func mustPacer(t testing.TB, a Arrivals, seed uint64, sh Shard) *SchedulePacer {
	t.Helper()
	p, err := a.Pacer(rng.NewStreams(seed).Get(StreamArrivals), sh)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPace(t *testing.T) {
	ten := Arrivals{Shape: Constant{Rate: 10, Duration: 10 * s}}
	ramp := Arrivals{Shape: Ramp{From: 0, To: 100, Duration: 10 * s}}
	tests := []struct {
		plan     Arrivals
		shard    Shard
		elapsed  time.Duration
		sent     uint64
		wantWait time.Duration
		wantStop bool
	}{
		// 10/s, nothing sent, 0 elapsed => the first order is due now.
		{ten, Shard{}, 0, 0, 0, false},
		// 10/s, 1 sent, 0 elapsed => 100ms until the next.
		{ten, Shard{}, 0, 1, 100 * ms, false},
		// 10/s, 1 sent, 50ms elapsed => 50ms until the next.
		{ten, Shard{}, 50 * ms, 1, 50 * ms, false},
		// 10/s, 1 sent, 1s elapsed => the next is overdue: send now, late.
		{ten, Shard{}, s, 1, 0, false},
		// 10/s, 5 sent, 200ms elapsed => 300ms until the 6th (ahead of schedule, wait).
		{ten, Shard{}, 200 * ms, 5, 300 * ms, false},
		// 10/s for 10s, 99 sent, 9.8s elapsed => 100ms until the last one.
		{ten, Shard{}, 9800 * ms, 99, 100 * ms, false},
		// 10/s for 10s, 100 sent => stop.
		{ten, Shard{}, 9800 * ms, 100, 0, true},
		// 10/s for 10s, 100 sent, long after the end => stop.
		{ten, Shard{}, time.Hour, 100, 0, true},
		// Shard 1/2 of 10/s, nothing sent, 0 elapsed => its first order (global 1) is due at 100ms.
		{ten, Shard{Index: 1, Count: 2}, 0, 0, 100 * ms, false},
		// Shard 1/2 of 10/s, 3 sent => its 4th order is global 7, due at 700ms.
		{ten, Shard{Index: 1, Count: 2}, 0, 3, 700 * ms, false},
		// Shard 1/2 of 10/s for 10s, 50 sent => stop (it owns 50 of 100).
		{ten, Shard{Index: 1, Count: 2}, 0, 50, 0, true},
		// Shard 2/3 of 10/s for 10s owns 2, 5, …, 98: 33 orders; 33 sent => stop.
		{ten, Shard{Index: 2, Count: 3}, 0, 33, 0, true},
		// Ramp 0 → 100/s (Λ = 5t²), 20 sent, 1s elapsed => 1s until the 21st at 2s.
		{ramp, Shard{}, s, 20, s, false},
	}
	for _, tt := range tests {
		p := mustPacer(t, tt.plan, 0, tt.shard)
		wait, stop := p.Pace(tt.elapsed, tt.sent)
		if wait != tt.wantWait || stop != tt.wantStop {
			t.Errorf("%v shard %v: Pace(%v, %d) = %v, %v; want %v, %v",
				tt.plan, tt.shard, tt.elapsed, tt.sent, wait, stop, tt.wantWait, tt.wantStop)
		}
	}
}

func TestPacerRate(t *testing.T) {
	tests := []struct {
		plan    Arrivals
		shard   Shard
		elapsed time.Duration
		want    float64
	}{
		// 10/s unsharded => 10/s.
		{Arrivals{Shape: Constant{Rate: 10, Duration: 10 * s}}, Shard{}, s, 10},
		// 10/s, one shard of 4 => 2.5/s.
		{Arrivals{Shape: Constant{Rate: 10, Duration: 10 * s}}, Shard{Index: 3, Count: 4}, s, 2.5},
		// Ramp 0 → 100/s at 5s => 50/s, whatever the process.
		{Arrivals{Shape: Ramp{To: 100, Duration: 10 * s}, Process: Poisson}, Shard{}, 5 * s, 50},
		// After the end => 0.
		{Arrivals{Shape: Constant{Rate: 10, Duration: 10 * s}}, Shard{}, 10 * s, 0},
	}
	for _, tt := range tests {
		if got := mustPacer(t, tt.plan, 0, tt.shard).Rate(tt.elapsed); got != tt.want {
			t.Errorf("%v shard %v: Rate(%v) = %g, want %g", tt.plan, tt.shard, tt.elapsed, got, tt.want)
		}
	}
}

// TestPaceAgreesWithSchedule drives a pacer as a wall-clock driver would,
// with a clock that jumps by random amounts (sometimes past several due
// orders), and checks that it sends exactly the schedule's arrivals, each
// no earlier than intended.
func TestPaceAgreesWithSchedule(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 60; i++ {
		sh := randomShape(r)
		for _, proc := range []Process{Uniform, Poisson} {
			for n := uint64(1); n <= 3; n++ {
				shard := Shard{Index: uint64(i) % n, Count: n}
				a := Arrivals{Shape: sh, Process: proc}
				want := collect(t, a, uint64(i), shard)
				p := mustPacer(t, a, uint64(i), shard)
				var elapsed time.Duration
				var sent uint64
				for {
					wait, stop := p.Pace(elapsed, sent)
					if stop {
						break
					}
					if wait > 0 {
						elapsed += time.Duration(r.Int64N(int64(wait) * 2)) // may under- or overshoot
						continue
					}
					got, ok := p.Arrival(sent)
					if !ok || sent >= uint64(len(want)) || got != want[sent] {
						t.Fatalf("%v shard %v: order %d = %v, want %v", a, shard, sent, got, want[min(sent, uint64(len(want)-1))])
					}
					if elapsed < got.At {
						t.Fatalf("%v: order %v sent early at %v", a, got, elapsed)
					}
					sent++
				}
				if sent != uint64(len(want)) {
					t.Fatalf("%v shard %v: paced %d orders, schedule has %d", a, shard, sent, len(want))
				}
			}
		}
	}
}

func TestPoissonPacerRejectsGoingBack(t *testing.T) {
	p := mustPacer(t, Arrivals{Shape: Constant{Rate: 100, Duration: 10 * s}, Process: Poisson}, 1, Shard{})
	a5, _ := p.Arrival(5)
	if again, _ := p.Arrival(5); again != a5 {
		t.Fatalf("asking twice for order 5 gave %v then %v", a5, again)
	}
	defer func() {
		if msg, _ := recover().(string); !strings.Contains(msg, "must not go back") {
			t.Errorf("recover() = %q, want the going-back panic", msg)
		}
	}()
	p.Arrival(2)
}

func TestUniformPacerIsPure(t *testing.T) {
	p := mustPacer(t, Arrivals{Shape: Ramp{From: 1, To: 50, Duration: 10 * s}}, 0, Shard{Index: 1, Count: 3})
	later, _ := p.Arrival(40)
	earlier, _ := p.Arrival(3)
	if again, _ := p.Arrival(40); again != later || earlier.Index != 10 {
		t.Errorf("Arrival(40) = %v then %v; Arrival(3) = %v", later, again, earlier)
	}
	if got := p.String(); !strings.HasPrefix(got, "pacer(uniform, shard 1/3, profile([0s, 10s) 1/s → 50/s))") {
		t.Errorf("String() = %q", got)
	}
}

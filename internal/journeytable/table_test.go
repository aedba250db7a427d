package journeytable

import (
	"math/rand/v2"
	"testing"
)

type entry struct {
	a uint64
	b int32
}

// TestAgainstMap drives a table and a map with the same operations, in
// the patterns a run makes, and checks that they agree at every step and
// that the table's pages stay proportional to its entries.
func TestAgainstMap(t *testing.T) {
	cases := []struct {
		name string
		// life returns how many steps entry i lives (-1: forever).
		life func(r *rand.Rand, i uint64) int
		// late is the probability that a step creates an entry far
		// behind the newest instead of the next one.
		late float64
		// jump is the probability that a step skips ahead.
		jump float64
	}{
		{name: "in order", life: func(r *rand.Rand, _ uint64) int { return 3000 + r.IntN(2000) }},
		{name: "short lives", life: func(r *rand.Rand, _ uint64) int { return r.IntN(50) }},
		{name: "stragglers", life: func(r *rand.Rand, i uint64) int {
			if i%997 == 0 {
				return -1
			}
			return 2000 + r.IntN(500)
		}},
		{name: "dense stragglers", life: func(r *rand.Rand, i uint64) int {
			if r.IntN(10) == 0 {
				return -1
			}
			return r.IntN(3000)
		}},
		{name: "late creations", late: 0.01, life: func(r *rand.Rand, _ uint64) int { return r.IntN(4000) }},
		{name: "jumps", jump: 0.0005, life: func(r *rand.Rand, _ uint64) int { return r.IntN(5000) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			var tab Table[entry]
			model := map[uint64]entry{}
			deaths := map[int][]uint64{}
			next := uint64(0)
			maxPages := 0
			for step := 0; step < 200_000; step++ {
				i := next
				switch {
				case tc.jump > 0 && r.Float64() < tc.jump:
					next += uint64(r.IntN(3)) * MaxSpan * PageSize / 2
					i = next
				case tc.late > 0 && r.Float64() < tc.late && next > 100_000:
					i = next - 50_000 - uint64(r.IntN(50_000))
				}
				next++
				v, created := tab.Put(i)
				if _, had := model[i]; had == created {
					t.Fatalf("step %d: Put(%d) created %v, model had it %v", step, i, created, had)
				}
				if created {
					if *v != (entry{}) {
						t.Fatalf("step %d: new entry %d not zero: %+v", step, i, *v)
					}
					*v = entry{a: i * 7, b: int32(step)}
					model[i] = *v
					if l := tc.life(r, i); l >= 0 {
						deaths[step+l] = append(deaths[step+l], i)
					}
				}
				for _, d := range deaths[step] {
					tab.Delete(d)
					delete(model, d)
				}
				delete(deaths, step)
				if tab.Len() != len(model) {
					t.Fatalf("step %d: Len %d, model %d", step, tab.Len(), len(model))
				}
				if step%97 == 0 {
					for k, want := range model {
						if got := tab.Get(k); got == nil || *got != want {
							t.Fatalf("step %d: Get(%d) = %v, want %+v", step, k, got, want)
						}
					}
					for n := 0; n < 20; n++ {
						k := uint64(r.Int64N(int64(next + 1)))
						if _, ok := model[k]; !ok && tab.Get(k) != nil {
							t.Fatalf("step %d: Get(%d) found a deleted entry", step, k)
						}
					}
				}
				// The pages stay within four times the dense size of
				// the resident entries, plus the pages next to the head.
				if limit := 4*tab.n/PageSize + Lag + 2; tab.Resident() > limit && tab.started {
					// Deletes alone may leave it sparse until the head
					// moves; allow one page's worth of steps.
					if step%PageSize == PageSize-1 {
						t.Fatalf("step %d: %d pages resident for %d entries (limit %d)", step, tab.Resident(), tab.n, limit)
					}
				}
				maxPages = max(maxPages, tab.Resident())
			}
			t.Logf("entries at the end %d (spilled %d), most pages resident %d", tab.Len(), len(tab.spill), maxPages)
		})
	}
}

// TestFlatMemory: a long run at a steady rate keeps the pages of its
// entries in flight, however many it went through.
func TestFlatMemory(t *testing.T) {
	var tab Table[entry]
	const inFlight = 5000
	for i := uint64(0); i < 10_000_000; i++ {
		tab.Put(i)
		if i >= inFlight {
			tab.Delete(i - inFlight)
		}
	}
	if limit := inFlight/PageSize + Lag + 2; tab.Resident() > limit {
		t.Fatalf("%d pages resident for %d entries in flight (limit %d)", tab.Resident(), inFlight, limit)
	}
	if len(tab.pages) > tab.Resident()+Lag+1 {
		t.Fatalf("page table of %d for %d resident pages", len(tab.pages), tab.Resident())
	}
	if len(tab.spill) != 0 {
		t.Fatalf("%d entries spilled", len(tab.spill))
	}
}

// TestStragglersSpill: entries that outlive their neighbours by far move
// to the spill, their values intact, and their pages are freed.
func TestStragglersSpill(t *testing.T) {
	var tab Table[entry]
	for i := uint64(0); i < 100*PageSize; i++ {
		v, _ := tab.Put(i)
		v.a = i + 1
		if i >= 2*PageSize && (i-2*PageSize)%PageSize != 0 {
			tab.Delete(i - 2*PageSize)
		}
	}
	// Two pages of journeys in flight: at most four times that, and the
	// pages next to the head.
	if limit := 4*2 + Lag + 1; tab.Resident() > limit {
		t.Errorf("%d pages resident, limit %d", tab.Resident(), limit)
	}
	for p := uint64(0); p < 90; p++ {
		i := p * PageSize
		if v := tab.Get(i); v == nil || v.a != i+1 {
			t.Fatalf("straggler %d: %v", i, v)
		}
	}
	if len(tab.spill) < 80 {
		t.Errorf("%d spilled, want the stragglers of at least 80 pages", len(tab.spill))
	}
	for p := uint64(0); p < 90; p++ {
		tab.Delete(p * PageSize)
	}
	if v := tab.Get(0); v != nil {
		t.Errorf("deleted straggler still there: %+v", v)
	}
}

// TestSet: a table of struct{} is a set.
func TestSet(t *testing.T) {
	var s Table[struct{}]
	if _, created := s.Put(5); !created {
		t.Fatal("first Put did not create")
	}
	if _, created := s.Put(5); created {
		t.Fatal("second Put created")
	}
	if s.Get(5) == nil || s.Get(6) != nil {
		t.Fatal("membership")
	}
	s.Delete(5)
	if s.Get(5) != nil || s.Len() != 0 {
		t.Fatal("after Delete")
	}
}

func BenchmarkGet(b *testing.B) {
	var tab Table[entry]
	for i := uint64(0); i < 8*PageSize; i++ {
		tab.Put(i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var sink uint64
	for i := 0; i < b.N; i++ {
		if v := tab.Get(uint64(i) & (8*PageSize - 1)); v != nil {
			sink += v.a
		}
	}
	_ = sink
}

// BenchmarkPutDelete is a steady run: one journey created and one
// retired per op, 8,000 in flight.
func BenchmarkPutDelete(b *testing.B) {
	var tab Table[entry]
	const inFlight = 8000
	b.ReportAllocs()
	for i := uint64(0); i < uint64(b.N); i++ {
		tab.Put(i)
		if i >= inFlight {
			tab.Delete(i - inFlight)
		}
	}
}

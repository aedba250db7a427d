package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

func TestQueueOrdersByTimeThenSequence(t *testing.T) {
	tests := []struct {
		name string
		push []Time
		want []int // indexes into push, in pop order
	}{
		// An empty queue pops nothing.
		{"empty", nil, nil},
		// Earlier times pop first, whatever the push order.
		{"by time", []Time{30, 10, 20}, []int{1, 2, 0}},
		// Equal times pop in push order: that is the determinism rule.
		{"ties in push order", []Time{5, 5, 5, 5, 5, 5, 5}, []int{0, 1, 2, 3, 4, 5, 6}},
		// Ties are broken by sequence even when interleaved with others.
		{"mixed ties", []Time{2, 1, 2, 1, 0, 2}, []int{4, 1, 3, 0, 2, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var q Queue[int]
			for i, at := range tt.push {
				q.Push(at, i)
			}
			var got []int
			for {
				_, v, ok := q.Pop()
				if !ok {
					break
				}
				got = append(got, v)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("popped %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("popped %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// TestQueueMatchesStableSort checks the queue against a stable sort on
// many random interleavings of pushes and pops, with times that stay in
// the heap, spread over the wheel's buckets, reach past its ring, or come
// in bursts of ties; pushes may be for any time, earlier ones included.
func TestQueueMatchesStableSort(t *testing.T) {
	const ms, s = Time(1e6), Time(1e9)
	dists := []struct {
		name string
		at   func(r *rand.Rand, now Time) Time
	}{
		{"tiny", func(r *rand.Rand, _ Time) Time { return Time(r.IntN(50)) }},
		{"hops", func(r *rand.Rand, now Time) Time { return now + Time(r.IntN(100))*ms }},
		{"handler runs", func(r *rand.Rand, now Time) Time { return now + 5*s + Time(r.IntN(1000))*ms }},
		{"minutes", func(r *rand.Rand, now Time) Time { return now + Time(r.IntN(600))*s }},
		{"mixed", func(r *rand.Rand, now Time) Time {
			switch r.IntN(4) {
			case 0:
				return now
			case 1:
				return now + Time(r.IntN(20))*ms
			case 2:
				return now + Time(r.IntN(12))*s
			}
			return Time(r.IntN(int(now) + 1)) // the past
		}},
		{"ties", func(r *rand.Rand, now Time) Time { return now + Time(r.IntN(3))*bucketWidth }},
	}
	for _, d := range dists {
		t.Run(d.name, func(t *testing.T) { queueMatchesSort(t, d.at) })
	}
}

// bucketWidth is the wheel's bucket width.
const bucketWidth = Time(1) << bucketShift

func queueMatchesSort(t *testing.T, next func(r *rand.Rand, now Time) Time) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 100; round++ {
		var q Queue[int]
		type item struct {
			at  Time
			seq int
		}
		var model []item
		seq := 0
		now := Time(0)
		for op := 0; op < 600; op++ {
			if r.IntN(3) > 0 || len(model) == 0 {
				at := next(r, now)
				q.Push(at, seq)
				model = append(model, item{at, seq})
				seq++
				continue
			}
			sort.SliceStable(model, func(i, j int) bool {
				return model[i].at < model[j].at || (model[i].at == model[j].at && model[i].seq < model[j].seq)
			})
			if pk, _ := q.Peek(); pk != model[0].at {
				t.Fatalf("round %d: peek %v, want %v", round, pk, model[0].at)
			}
			at, v, ok := q.Pop()
			if !ok || at != model[0].at || v != model[0].seq {
				t.Fatalf("round %d: popped (%v,%v,%v), want (%v,%v)", round, at, v, ok, model[0].at, model[0].seq)
			}
			now = max(now, at)
			model = model[1:]
		}
		if q.Len() != len(model) {
			t.Fatalf("len %d, want %d", q.Len(), len(model))
		}
	}
}

func TestEngineAdvancesClockAndRefusesThePast(t *testing.T) {
	var e Engine[string]
	e.At(10, "b")
	e.After(5, "a")
	if at, v, _ := e.Next(); at != 5 || v != "a" || e.Now() != 5 {
		t.Fatalf("got %v %q now %v", at, v, e.Now())
	}
	e.After(1, "c") // at 6
	if at, v, _ := e.Next(); at != 6 || v != "c" {
		t.Fatalf("got %v %q", at, v)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("scheduling in the past did not panic")
		}
	}()
	e.At(1, "past")
}

func TestTimeAddSaturates(t *testing.T) {
	if got := Never.Add(1); got != Never {
		t.Fatalf("Never+1 = %v", got)
	}
	if got := Time(5).Add(-3); got != 2 {
		t.Fatalf("5-3 = %v", got)
	}
}

// BenchmarkScheduleAndPop is the bare scheduler: one schedule and one pop
// per iteration with 1,000 events in flight (a busy backbone model). It
// must not allocate.
func BenchmarkScheduleAndPop(b *testing.B) {
	// The payload of a typical model event: a kind and two indexes.
	type ev struct {
		kind uint8
		a, b int32
	}

	var e Engine[ev]
	r := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 1000; i++ {
		e.After(Time(r.IntN(1_000_000)).Duration(), ev{kind: 1, a: int32(i), b: int32(i)})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, v, _ := e.Next()
		e.After(Time(r.IntN(1_000_000)).Duration(), v)
	}
}

// TestQueueRenumbers: when sequences run out the queue renumbers the items
// in flight, and the pop order is that of a queue that never ran out.
func TestQueueRenumbers(t *testing.T) {
	defer func(l uint64) { seqLimit = l }(seqLimit)
	seqLimit = 50
	r := rand.New(rand.NewPCG(7, 7))
	var q Queue[int]
	type item struct {
		at  Time
		seq int
	}
	var model []item
	next := 0
	for step := 0; step < 4000; step++ {
		if r.IntN(3) > 0 || len(model) == 0 {
			// Items in the heap, in the wheel's buckets and beyond it.
			at := Time(r.IntN(40)) * Time([]int64{1, 1 << 20, 1 << 30}[r.IntN(3)])
			q.Push(at, next)
			model = append(model, item{at, next})
			next++
			continue
		}
		sort.SliceStable(model, func(i, j int) bool { return model[i].at < model[j].at })
		want := model[0]
		model = model[1:]
		at, v, ok := q.Pop()
		if !ok || at != want.at || v != want.seq {
			t.Fatalf("step %d: popped (%v, %d, %v), want (%v, %d)", step, at, v, ok, want.at, want.seq)
		}
	}
}

// TestSortBucket: the bucket sort agrees with a comparison sort on keys of
// one bucket, whether they come in sequence order among equal times (as
// the wheel gives them) or not at all, and stays correct on keys that
// span buckets (which the wheel never gives it).
func TestSortBucket(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	cases := []struct {
		name string
		key  func(i int) key
	}{
		{"in sequence", func(i int) key {
			return key{at: 5*bucketWidth + Time(r.IntN(int(bucketWidth))), ord: uint64(i)<<slotBits | uint64(r.Uint32())}
		}},
		{"crowding one slice", func(i int) key {
			return key{at: 5*bucketWidth + 3<<topShift + Time(r.IntN(1<<topShift)), ord: uint64(i)<<slotBits | uint64(r.Uint32())}
		}},
		{"ties out of sequence", func(int) key {
			return key{at: 7*bucketWidth + Time(r.IntN(4)), ord: r.Uint64()}
		}},
		{"spanning buckets", func(int) key { return key{at: Time(r.Int64N(1 << 40)), ord: r.Uint64()} }},
	}
	var spare []key
	for _, c := range cases {
		for _, n := range []int{0, 1, 2, 31, 32, 33, 200, 1000, 4096, 4097, 5000} {
			keys := make([]key, n)
			for i := range keys {
				keys[i] = c.key(i)
			}
			want := slices.Clone(keys)
			slices.SortFunc(want, func(a, b key) int {
				if a.before(&b) {
					return -1
				}
				if b.before(&a) {
					return 1
				}
				return 0
			})
			var got []key
			got, spare = sortBucket(keys, spare)
			if !slices.Equal(got, want) {
				t.Fatalf("%s, %d keys: sorted wrong", c.name, n)
			}
		}
	}
}

// BenchmarkSortBucket sorts a bucket of keys as the wheel gives them: at
// random times within the bucket, in sequence order. n is about what a
// bucket of the million benchmark holds (176 keys on average, at 1,667
// orders/s).
func BenchmarkSortBucket(b *testing.B) {
	for _, n := range []int{64, 176, 1000, 20000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(5, 5))
			src := make([]key, n)
			for i := range src {
				src[i] = key{at: 9*bucketWidth + Time(r.IntN(int(bucketWidth))), ord: uint64(i)<<slotBits | uint64(i)}
			}
			a, spare := make([]key, n), make([]key, n)
			for b.Loop() {
				a = append(a[:0], src...)
				a, spare = sortBucket(a, spare)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/key")
		})
	}
}

// TestPopUntil: PopUntil pops the earliest item when it is due by the
// limit, from the sorted run or from the soon heap, and otherwise leaves
// the queue as it was, so that popping on gives the same order as Pop.
func TestPopUntil(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	var a, b Queue[int]
	for i := range 3000 {
		at := Time(r.IntN(int(4 * bucketWidth)))
		a.Push(at, i)
		b.Push(at, i)
		if i%3 == 0 { // interleave pops, so that later pushes land in soon
			limit := Time(r.IntN(int(4 * bucketWidth)))
			peek, _ := a.Peek()
			at, v, ok := a.PopUntil(limit)
			if ok != (peek <= limit) {
				t.Fatalf("PopUntil(%v) popped %v with the earliest at %v", limit, ok, peek)
			}
			if !ok {
				if n, m := a.Len(), b.Len(); n != m {
					t.Fatalf("a refused pop changed the queue: %d items, want %d", n, m)
				}
				continue
			}
			bat, bv, _ := b.Pop()
			if at != bat || v != bv {
				t.Fatalf("PopUntil gave (%v, %d), Pop (%v, %d)", at, v, bat, bv)
			}
		}
	}
	for {
		at, v, ok := a.PopUntil(Never)
		bat, bv, bok := b.Pop()
		if ok != bok || at != bat || v != bv {
			t.Fatalf("PopUntil(Never) gave (%v, %d, %v), Pop (%v, %d, %v)", at, v, ok, bat, bv, bok)
		}
		if !ok {
			break
		}
	}
}

package pipeline

import (
	"slices"
	"testing"
)

// TestSameBatchesBothWays: the consumer sees the same items, in the same
// batches and order, applied at once or on its own goroutine; Sync lets
// the producer read the consumer's state; Close applies the rest.
func TestSameBatchesBothWays(t *testing.T) {
	run := func(concurrent bool) [][]int {
		var batches [][]int
		sum := 0
		p := New(7, concurrent, func(b []int) {
			batches = append(batches, slices.Clone(b))
			for _, v := range b {
				sum += v
			}
		})
		for i := 1; i <= 1000; i++ {
			*p.Next() = i
			if i == 500 {
				p.Sync()
				if sum != 500*501/2 {
					t.Errorf("concurrent %v: after Sync the consumer has summed %d", concurrent, sum)
				}
			}
		}
		p.Close()
		p.Close() // a second Close does nothing
		if sum != 1000*1001/2 || p.Applied() != int64(len(batches)) {
			t.Errorf("concurrent %v: sum %d, %d batches applied of %d", concurrent, sum, p.Applied(), len(batches))
		}
		return batches
	}
	sync, conc := run(false), run(true)
	if len(sync) != len(conc) {
		t.Fatalf("%d batches at once, %d concurrently", len(sync), len(conc))
	}
	for i := range sync {
		if !slices.Equal(sync[i], conc[i]) {
			t.Fatalf("batch %d: %v at once, %v concurrently", i, sync[i], conc[i])
		}
	}
}

// TestNextIsZeroed: a recycled batch hands out zeroed items.
func TestNextIsZeroed(t *testing.T) {
	type item struct{ a, b int }
	for _, concurrent := range []bool{false, true} {
		p := New(3, concurrent, func([]item) {})
		for i := 0; i < 100; i++ {
			it := p.Next()
			if *it != (item{}) {
				t.Fatalf("concurrent %v: item %d not zeroed: %+v", concurrent, i, *it)
			}
			*it = item{i, i}
		}
		p.Close()
	}
}

// TestAheadServesTheSequence: an Ahead serves the sequence its filler
// continues, in order, whatever the batch size, though it makes values
// ahead of those served; Close ends the goroutine, and a second Close
// does nothing.
func TestAheadServesTheSequence(t *testing.T) {
	for _, size := range []int{1, 7, 1024, 10000} {
		next := 0
		a := NewAhead(size, func(b []int) {
			for i := range b {
				b[i] = next * next
				next++
			}
		})
		for i := range 5000 {
			if v := a.Next(); v != i*i {
				t.Fatalf("size %d: value %d is %d, want %d", size, i, v, i*i)
			}
		}
		a.Close()
		a.Close()
		if next < 5000 {
			t.Errorf("size %d: made %d values, served 5000", size, next)
		}
	}
}

// TestAheadCloseUnused: closing an Ahead whose values were never taken
// ends its goroutine (blocked on a full ready queue) without a hang.
func TestAheadCloseUnused(t *testing.T) {
	a := NewAhead(4, func(b []int) { clear(b) })
	a.Close()
	<-a.done
}

// TestAheadStartInPlace: a zero Ahead, kept by value, is not started and
// closes as a no-op; started in place, it serves the sequence; closed and
// reset, it is not started again.
func TestAheadStartInPlace(t *testing.T) {
	var holder struct {
		before int
		a      Ahead[int]
	}
	a := &holder.a
	if a.Started() {
		t.Fatal("a zero Ahead is started")
	}
	a.Close() // nothing to end
	next := 0
	a.Start(3, func(b []int) {
		for i := range b {
			b[i] = next
			next++
		}
	})
	if !a.Started() {
		t.Fatal("not started after Start")
	}
	for i := range 100 {
		if v := a.Next(); v != i {
			t.Fatalf("value %d is %d", i, v)
		}
	}
	a.Close()
	*a = Ahead[int]{}
	if a.Started() {
		t.Fatal("started after Close and reset")
	}
}

package backbone

import (
	"testing"
	"time"

	"github.com/busdrill/busdrill/rng"
)

// TestDrawSettle: a draw that drew ahead and then settles leaves its
// stream where drawing each value when it was needed would have: the
// values served, then the values drawn from the stream after settling
// (another kind of draw, as a handler's failure draws are), are those of
// one stream drawn in that order. It holds wherever the settling falls:
// before any value, inside the first batch, on a batch's edge, and many
// batches in (the goroutine then holds batches drawn and never served).
func TestDrawSettle(t *testing.T) {
	d := rng.NewLogNormal(float64(5*time.Second), float64(6*time.Second))
	streams := rng.NewStreams(7)
	for _, served := range []int{0, 1, 500, drawBatch - 1, drawBatch, drawBatch + 1, 3 * drawBatch, 5*drawBatch + 17} {
		want := newDraw(d, streams.Source("handler/x"), false)
		got := newDraw(d, streams.Source("handler/x"), true)
		for i := range served {
			if w, g := want.next(), got.next(); w != g {
				t.Fatalf("served %d: value %d is %v drawn ahead, %v drawn when needed", served, i, g, w)
			}
		}
		got.settle()
		if got.ahead.Started() {
			t.Fatalf("served %d: still drawing ahead after settle", served)
		}
		for i := range 50 {
			// Interleave uniform draws on the stream itself with more
			// run times, as failure draws do.
			if w, g := want.r.Float64(), got.r.Float64(); w != g {
				t.Fatalf("served %d: uniform %d after settling is %v, want %v", served, i, g, w)
			}
			if w, g := want.next(), got.next(); w != g {
				t.Fatalf("served %d: value %d after settling is %v, want %v", served, i, g, w)
			}
		}
		got.close()
		got.settle() // settling twice, or after close, does nothing
	}
}

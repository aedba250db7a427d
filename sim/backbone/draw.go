package backbone

import (
	"math/rand/v2"
	"time"

	"github.com/busdrill/busdrill/internal/pipeline"
	"github.com/busdrill/busdrill/rng"
)

// draw is a latency distribution and the stream that feeds it alone:
// ack, ingest, forward, delivery and invoke (handler runs share their
// stream with the failure draws, so they sample as they go). Since nothing
// else draws from the stream, its values do not depend on when they are
// drawn: with Params.DrawAhead a goroutine draws them in batches ahead of
// their use (pipeline.Ahead), which takes the logarithm's and the
// exponential's cost off the model's goroutine, and the model takes the
// same values in the same order as when it draws each as it needs it.
type draw struct {
	d     rng.Dist
	r     *rand.Rand
	ahead *pipeline.Ahead[time.Duration] // nil: drawn when needed
}

// drawBatch is how many values a goroutine drawing ahead draws at a time
// (8 KiB of durations, three batches in circulation).
const drawBatch = 1024

func newDraw(d rng.Dist, r *rand.Rand, ahead bool) *draw {
	x := &draw{d: d, r: r}
	if _, constant := d.(rng.Constant); ahead && !constant {
		x.ahead = pipeline.NewAhead(drawBatch, func(b []time.Duration) {
			for i := range b {
				b[i] = rng.Duration(d, r)
			}
		})
	}
	return x
}

// next returns the stream's next latency.
func (x *draw) next() time.Duration {
	if x.ahead != nil {
		return x.ahead.Next()
	}
	return rng.Duration(x.d, x.r)
}

func (x *draw) close() {
	if x.ahead != nil {
		x.ahead.Close()
	}
}

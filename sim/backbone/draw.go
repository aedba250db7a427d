package backbone

import (
	"math/rand/v2"
	"time"

	"github.com/busdrill/busdrill/internal/pipeline"
	"github.com/busdrill/busdrill/rng"
)

// draw is a latency distribution and the stream that feeds it: ack,
// ingest, forward, delivery and invoke, each alone on its stream, and a
// handler's run times, whose stream also feeds its failure draws once it
// has a failure probability. While nothing else draws from a stream, its
// values do not depend on when they are drawn: with Params.DrawAhead a
// goroutine draws them in batches ahead of their use (pipeline.Ahead),
// which takes the logarithm's and the exponential's cost off the model's
// goroutine, and the model takes the same values in the same order as
// when it draws each as it needs it.
//
// The goroutine draws from a copy of the stream's generator, and the
// copy's state at the start of each batch is kept; so settle can stop
// drawing ahead at any time and put the stream where drawing each value
// when needed would have left it, and other draws may then share it.
type draw struct {
	d   rng.Dist
	src *rand.PCG
	r   *rand.Rand // draws from src
	// ahead draws ahead, kept in the draw's own memory (Ahead.Start):
	// a value drawn ahead is read one pointer nearer than through a
	// separate Ahead, on every hop of every event.
	ahead pipeline.Ahead[time.Duration]
	// starts[k%AheadDepth] is the copy's state before it drew batch k
	// (from 0): the batch being served is never overwritten (see
	// pipeline.Ahead).
	starts [pipeline.AheadDepth]rand.PCG
}

// drawBatch is how many values a goroutine drawing ahead draws at a time
// (32 KiB of durations, three batches in circulation). Each hand-over can
// wake the goroutine (a futex call on the model's goroutine): at 1,024 the
// model's goroutine spent 3% more CPU time on the million scenario cut to
// 2 minutes (median of 10 A/B pairs); the whole PGO-built run showed no
// difference above a shared machine's noise.
const drawBatch = 4096

// newDraw returns the draws of d from the stream src; ahead draws them on
// a goroutine (a constant needs no stream and is never drawn ahead).
func newDraw(d rng.Dist, src *rand.PCG, ahead bool) *draw {
	x := &draw{d: d, src: src, r: rand.New(src)}
	if _, constant := d.(rng.Constant); ahead && !constant {
		copied := *src
		r := rand.New(&copied)
		batch := 0
		x.ahead.Start(drawBatch, func(b []time.Duration) {
			x.starts[batch%pipeline.AheadDepth] = copied
			batch++
			for i := range b {
				b[i] = rng.Duration(d, r)
			}
		})
	}
	return x
}

// next returns the stream's next latency.
func (x *draw) next() time.Duration {
	if x.ahead.Started() {
		return x.ahead.Next()
	}
	return rng.Duration(x.d, x.r)
}

// settle stops drawing ahead, if the draw does, and leaves x.r where
// drawing every value served so far when it was needed would have left
// it: at the start of the batch being served, plus its values served.
func (x *draw) settle() {
	if !x.ahead.Started() {
		return
	}
	batches, taken := x.ahead.Position()
	x.ahead.Close() // the goroutine has ended: starts is ours to read
	x.ahead = pipeline.Ahead[time.Duration]{}
	if batches == 0 {
		return // nothing served: src never moved
	}
	*x.src = x.starts[(batches-1)%pipeline.AheadDepth]
	for range taken {
		rng.Duration(x.d, x.r)
	}
}

func (x *draw) close() { x.ahead.Close() }

package serve

import (
	"context"
	"time"

	"github.com/busdrill/busdrill/internal/clock"
	"github.com/busdrill/busdrill/sim"
)

// The loop: one goroutine owns the backend (the model, the queues, the
// control-plane state, the fault schedule). HTTP handlers decode their
// request on their own goroutine, post a job and wait for its answer;
// the loop sleeps until the next model event or the next job, whichever
// comes first, and runs the model up to the wall clock's now before it
// handles a job, so every request happens at its own instant of the
// model's clock. Given the same jobs at the same instants and the same
// seed, the backend makes the same choices.

// job is work for the loop. run gets the backend at the job's instant and
// a reply function to call exactly once, now (most operations) or later
// (a long poll answered when a message arrives or its wait ends, from the
// loop as well).
type job struct {
	run func(b *backend, reply func())
	// cancel, when the caller gave up (its context is done), is sent on
	// cancelled so the backend can forget a pending long poll.
	ctx context.Context
}

type loop struct {
	b     *backend
	clock clock.Clock
	start time.Time
	jobs  chan job
	done  chan struct{}
}

func newLoop(b *backend, clk clock.Clock, start time.Time) *loop {
	return &loop{b: b, clock: clk, start: start, jobs: make(chan job, 1024), done: make(chan struct{})}
}

// simNow is the wall clock's now as model time.
func (l *loop) simNow() sim.Time {
	d := l.clock.Now().Sub(l.start)
	if d < 0 {
		d = 0
	}
	return sim.Time(d)
}

// run is the loop; it returns when ctx is done.
func (l *loop) run(ctx context.Context) {
	defer close(l.done)
	t := l.clock.NewTimer(time.Hour)
	defer t.Stop()
	for {
		now := l.simNow()
		l.b.advance(now)
		next := l.b.nextEventTime()
		wait := time.Hour
		if next != sim.Never {
			wait = max(0, next.Sub(now))
		}
		t.Reset(wait)
		select {
		case <-ctx.Done():
			l.b.shutdown()
			return
		case j := <-l.jobs:
			l.b.advance(l.simNow())
			l.handle(j)
			// Handle what is queued already before sleeping again.
			for n := 0; n < 256; n++ {
				select {
				case j := <-l.jobs:
					l.b.advance(l.simNow())
					l.handle(j)
					continue
				default:
				}
				break
			}
		case <-t.C():
		}
	}
}

func (l *loop) handle(j job) {
	if j.ctx != nil && j.ctx.Err() != nil {
		return // the caller is gone: nobody waits for the answer
	}
	j.run(l.b, nil)
}

// do posts fn to the loop and waits until it replies. fn must call reply
// exactly once (immediately, or later from the loop). It returns false
// when ctx ended first or the loop has stopped.
func (l *loop) do(ctx context.Context, fn func(b *backend, reply func())) bool {
	replied := make(chan struct{})
	j := job{ctx: ctx, run: func(b *backend, _ func()) {
		fn(b, func() { close(replied) })
	}}
	select {
	case l.jobs <- j:
	case <-ctx.Done():
		return false
	case <-l.done:
		return false
	}
	select {
	case <-replied:
		return true
	case <-ctx.Done():
		// A long poll still registered is dropped by the backend when it
		// next looks at it (its context is done).
		return false
	case <-l.done:
		return false
	}
}

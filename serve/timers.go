package serve

import "github.com/busdrill/busdrill/sim"

// timers runs functions at instants of the model's clock, through the
// model's Waker seam, so that long polls, visibility timeouts and delayed
// answers share the one clock (and the one loop) with the backbone.
type timers struct {
	b    *backend
	id   int
	fns  map[int64]func()
	next int64
}

func (t *timers) Wake(_ sim.Time, arg int64) {
	if fn, ok := t.fns[arg]; ok {
		delete(t.fns, arg)
		fn()
	}
}

// at runs fn at t (now when t is past) and returns a handle for cancel.
func (b *backend) at(t sim.Time, fn func()) int64 {
	tm := b.timers
	if tm == nil {
		tm = &timers{b: b, fns: map[int64]func(){}}
		tm.id = b.model.AddWaker(tm)
		b.timers = tm
	}
	tm.next++
	tm.fns[tm.next] = fn
	b.model.WakeAt(max(t, b.now()), tm.id, tm.next)
	return tm.next
}

// cancel forgets a function scheduled with at (its wake-up still comes,
// and does nothing).
func (b *backend) cancel(h int64) {
	if b.timers != nil {
		delete(b.timers.fns, h)
	}
}

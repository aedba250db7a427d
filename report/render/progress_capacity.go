package render

import (
	"fmt"
	"io"
	"math"
	"time"
)

// CapacityProgress is the live line of a capacity search on a terminal:
// the step (the search, or a next step), the probe and the rate it tries,
// the bracket so far and the wall time. It redraws one line of the
// writer (standard error) in place, at most ten times a second, and Done
// clears it. Like Progress, a disabled or nil one does nothing, and it
// reads the wall clock only to describe the search to a person.
type CapacityProgress struct {
	w       io.Writer
	started time.Time
	last    time.Time
	done    bool
	drawn   bool
}

// NewCapacityProgress returns a progress line on w, or a disabled one
// unless enabled (pass IsTerminal(w) && !quiet).
func NewCapacityProgress(w io.Writer, enabled bool) *CapacityProgress {
	if !enabled {
		return nil
	}
	return &CapacityProgress{w: w, started: time.Now()}
}

// Update shows a probe starting (done false) or ended (done true, pass
// its verdict) at rate, in step (0: the search; n: next step n), with the
// bracket so far (lo 0 and hi +Inf when unknown).
func (p *CapacityProgress) Update(step, probe int, rate float64, done, pass bool, lo, hi float64) {
	if p == nil || p.done {
		return
	}
	now := time.Now()
	if done && now.Sub(p.last) < redraw {
		return
	}
	p.last = now
	what := "search"
	if step > 0 {
		what = fmt.Sprintf("next step %d", step)
	}
	state := "trying " + fmtRate(rate)
	if done {
		state = fmtRate(rate) + " passed"
		if !pass {
			state = fmtRate(rate) + " failed"
		}
	}
	bracket := "?"
	if lo > 0 {
		bracket = fmtRate(lo)
	}
	bracket += " – "
	if math.IsInf(hi, 1) || hi == 0 {
		bracket += "?"
	} else {
		bracket += fmtRate(hi)
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s · probe %d · %s · bracket %s · %v", what, probe, state, bracket,
		time.Since(p.started).Truncate(time.Second))
	p.drawn = true
}

// Done clears the line. Further calls do nothing.
func (p *CapacityProgress) Done() {
	if p == nil || p.done {
		return
	}
	p.done = true
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

package report

import (
	"math"
	"slices"
	"time"
)

// Recovery constants: see the package documentation, "Recovery".
const (
	// RecoveryTolerance is how much slower than steady state a second
	// may be and still count as healthy: 25%.
	RecoveryTolerance = 0.25
	// RecoveryHold is how long the system must stay healthy to have
	// recovered (less when the traffic window ends sooner).
	RecoveryHold = 10 * time.Second
)

// Recovery notes.
const (
	RecoveryNoSteady  = "no steady state to compare with"
	RecoveryNoTraffic = "no traffic after the fault"
)

// Recovery is how long the system took to recover from one fault.
type Recovery struct {
	Fault string  `json:"fault"`
	EndMs float64 `json:"end_ms"`
	// Recovered is false when the system was not healthy again by the
	// end of the traffic window (or could not be judged: see Note);
	// RecoveryMs is then -1.
	Recovered  bool    `json:"recovered"`
	RecoveryMs float64 `json:"recovery_ms"`
	// BoundMs is the latency bound a healthy second kept to: the 99th
	// percentile, over the steady seconds, of each second's slowest
	// journey, plus RecoveryTolerance. 0 when there is no steady state.
	BoundMs float64 `json:"bound_ms"`
	// Note says why a recovery could not be judged.
	Note string `json:"note,omitempty"`
}

// secondStats is one step of intended send time (a second, or the
// series step of a run over an hour: see SeriesStep): the journeys
// intended in it that were sent and completed, and the slowest
// completion's end-to-end latency.
type secondStats struct {
	sent, completed int32
	max             time.Duration
}

// second returns the stats of intended's step, nil beyond the limit.
func (w *windowing) second(intended time.Duration) *secondStats {
	s := int64(intended / w.step)
	if s >= int64(len(w.seconds)) {
		if s > w.secondLimit {
			return nil
		}
		w.seconds = grow(w.seconds, int(s))
	}
	return &w.seconds[s]
}

// recovery computes each fault's recovery from the per-second stats and
// the steady window (windows[0]).
func (r *Recorder) recovery(windows []WindowResult) []Recovery {
	w := r.win
	if !w.multi {
		return nil
	}
	// The bound: p99 (nearest rank) of the slowest journey of each
	// step wholly inside steady with a completion.
	stepMs := float64(w.step / time.Millisecond)
	var maxes []time.Duration
	for _, sp := range windows[0].Spans {
		lo := int64(math.Ceil(sp.StartMs / stepMs))
		hi := int64(math.Floor(sp.EndMs / stepMs)) // exclusive
		for s := lo; s < hi && s < int64(len(w.seconds)); s++ {
			if w.seconds[s].completed > 0 {
				maxes = append(maxes, w.seconds[s].max)
			}
		}
	}
	var bound time.Duration
	if len(maxes) > 0 {
		slices.Sort(maxes)
		p99 := maxes[int(math.Ceil(0.99*float64(len(maxes))))-1]
		bound = time.Duration(float64(p99) * (1 + RecoveryTolerance))
	}
	// The share of steady journeys that did not complete, which a healthy
	// second may match (plus the tolerance).
	var incompleteShare float64
	if o := windows[0].Orders; o.Sent > 0 {
		incompleteShare = float64(o.Incomplete) / float64(o.Sent)
	}
	healthy := func(st secondStats) bool {
		allowed := int32(math.Ceil(incompleteShare * float64(st.sent) * (1 + RecoveryTolerance)))
		return st.sent-st.completed <= allowed && st.max <= bound
	}
	last := int64(len(w.seconds))
	if w.trafficEnd < maxDuration {
		last = min(last, int64((w.trafficEnd+w.step-1)/w.step))
	}
	hold := max(int64(RecoveryHold/w.step), 1)
	out := make([]Recovery, 0, len(w.faults))
	for _, f := range w.faults {
		rc := Recovery{Fault: f.Name, EndMs: durationMs(f.End), RecoveryMs: -1, BoundMs: durationMs(bound)}
		if len(maxes) == 0 {
			rc.Note, rc.BoundMs = RecoveryNoSteady, 0
			out = append(out, rc)
			continue
		}
		first := int64((max(f.End, 0) + w.step - 1) / w.step)
		at, seen := int64(-1), false
		for s := first; s < last; s++ {
			st := w.seconds[s]
			if st.sent == 0 {
				continue // no evidence either way
			}
			seen = true
			if !healthy(st) {
				at = -1
				continue
			}
			if at < 0 {
				at = s
			}
			if s-at+1 >= hold {
				break
			}
		}
		switch {
		case !seen:
			rc.Note = RecoveryNoTraffic
		case at >= 0:
			rc.Recovered = true
			rc.RecoveryMs = durationMs(time.Duration(at)*w.step - f.End)
		}
		out = append(out, rc)
	}
	return out
}

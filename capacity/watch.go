package capacity

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/sim/world"
)

// watcher follows a probe's run, one world.Sample per virtual second: it
// keeps the backlog gauges of the end of the traffic window (to judge
// their trend: see judged), the extremes the report plots, and the last
// sample (the run's totals at its cut-off).
type watcher struct {
	profile  loadgen.Profile
	from, to float64 // the judged window, in seconds of run time
	step     float64 // seconds per kept point
	gauges   []*gauge
	byName   map[string]*gauge
	last     world.Sample
	// start is the last sample before the judged window and end the
	// last of the traffic: the demand at the end of the traffic is
	// measured between them (in steady state, what orders sent before
	// start add after it is what orders sent before end add after it).
	start, end world.Sample

	peakBacklog int64
	peakWait    time.Duration
}

// maxGaugePoints bounds each gauge's points, whatever the run's length.
const maxGaugePoints = 1800

// judged is the end of the traffic window whose trends are judged: its
// last quarter, but at least its last 30 seconds (at most its second
// half). A backlog still growing when the traffic ends is one the run
// only survived because it ended: the last stretch is where a ramp peaks,
// and a spike's backlog has had time to drain.
func judged(traffic float64) float64 {
	return max(traffic/4, min(traffic/2, 30))
}

func newWatcher(profile loadgen.Profile) *watcher {
	traffic := profile.Duration().Seconds()
	w := &watcher{profile: profile, from: traffic - judged(traffic), to: traffic, byName: map[string]*gauge{}}
	w.step = max(1, math.Ceil((w.to-w.from)/maxGaugePoints))
	return w
}

// gauge is one backlog, in seconds: a wait, or a count divided by the
// orders per second at that moment ("seconds of traffic" waiting).
type gauge struct {
	// what names it for people ("delivery/delivery's backlog"); implicates
	// are the constraints whose saturation makes it grow.
	what       string
	implicates []key
	ts, ys     []float64
	// from is where the judged window starts; before is the highest
	// value seen before it.
	from, before float64
	// The point being accumulated: its step and sum of samples.
	cur float64
	sum float64
	n   int
}

func (w *watcher) gauge(name, what string, implicates ...key) *gauge {
	g, ok := w.byName[name]
	if !ok {
		g = &gauge{what: what, implicates: implicates, cur: -1, from: w.from}
		w.byName[name] = g
		w.gauges = append(w.gauges, g)
	}
	return g
}

// add records value v (seconds) at run time t: before the judged window
// it only raises the highest value seen before it.
func (g *gauge) add(t, step, v float64) {
	if t <= g.from {
		g.before = max(g.before, v)
		return
	}
	s := math.Floor(t / step)
	if s != g.cur && g.n > 0 {
		g.ts = append(g.ts, (g.cur+0.5)*step)
		g.ys = append(g.ys, g.sum/float64(g.n))
		g.sum, g.n = 0, 0
	}
	g.cur = s
	g.sum += v
	g.n++
}

// flush closes the point being accumulated.
func (g *gauge) flush(step float64) {
	if g.n > 0 {
		g.ts = append(g.ts, (g.cur+0.5)*step)
		g.ys = append(g.ys, g.sum/float64(g.n))
		g.sum, g.n = 0, 0
	}
}

// sample is world.Options.Sample.
func (w *watcher) sample(s *world.Sample) {
	w.keep(&w.last, s)
	if s.Now.Seconds() <= w.from {
		w.keep(&w.start, s)
	}
	if s.Now.Seconds() <= w.to {
		w.keep(&w.end, s)
	}
	for _, h := range s.Handlers {
		w.peakBacklog = max(w.peakBacklog, int64(h.Waiting))
		w.peakWait = max(w.peakWait, h.OldestWait)
	}
	for _, a := range s.Accounts {
		w.peakWait = max(w.peakWait, a.InvocationDelay)
	}
	t := s.Now.Seconds()
	if t > w.to {
		return
	}
	// The rate the traffic aimed at during the second just ended.
	r := w.profile.Rate(s.Now - time.Second/2)
	perRate := func(n int64) float64 {
		if r <= 0 {
			return 0
		}
		return float64(n) / r
	}
	for _, h := range s.Handlers {
		// The backlog's size, not its oldest wait: draining a burst
		// first in, first out, the oldest wait grows while the backlog
		// shrinks.
		w.gauge("wait:"+h.Handler, fmt.Sprintf("%s's backlog (invocations waiting for a run)", h.Handler),
			key{KindHandlerConcurrency, h.Handler}).add(t, w.step, perRate(int64(h.Waiting)))
		if h.MaxRate > 0 {
			w.gauge("rate:"+h.Handler, fmt.Sprintf("%s's throughput limit (its token bucket, booked ahead)", h.Handler),
				key{KindTargetThroughput, h.Handler}).add(t, w.step, h.RateBooked.Seconds())
		}
	}
	// A quota's token bucket, booked ahead: under a steady demand over
	// the quota it grows from the first second, while the burst still
	// hides the overload (a one-second burst hides 2% over for 50 s).
	for _, a := range s.Accounts {
		w.gauge("put:"+a.Account, fmt.Sprintf("%s's PutEvents quota (its token bucket, booked ahead)", a.Account),
			key{KindPutEventsQuota, a.Account}).add(t, w.step, a.PutEventsBooked.Seconds())
		w.gauge("inv:"+a.Account, fmt.Sprintf("%s's invocations quota (its token bucket, booked ahead: the delayed invocations)", a.Account),
			key{KindInvocationsQuota, a.Account}).add(t, w.step, a.InvocationsBooked.Seconds())
	}
	for _, tg := range s.Targets {
		if tg.Retrying == 0 && tg.MaxRetry == 0 {
			continue
		}
		imp := []key{{KindRetryExhaustion, tg.Target}, {KindEventAge, tg.Target}}
		if tg.Handler != "" {
			imp = append(imp, key{KindTargetThroughput, tg.Handler})
		}
		w.gauge("tretry:"+tg.Target, fmt.Sprintf("the invocations of %s waiting for a retry", tg.Target), imp...).
			add(t, w.step, perRate(int64(tg.Retrying)))
	}
	for _, p := range s.Producers {
		w.gauge("producer:"+p.Account, fmt.Sprintf("%s's PutEvents requests waiting for a retry", p.Account),
			key{KindPutEventsQuota, p.Account}).add(t, w.step, perRate(int64(p.Waiting)))
	}
	w.gauge("inflight", "the deliveries in flight").add(t, w.step, perRate(s.InFlight))
}

// keep copies the sample into l (its slices are reused by the world).
func (w *watcher) keep(l *world.Sample, s *world.Sample) {
	handlers, accounts, targets, producers := l.Handlers, l.Accounts, l.Targets, l.Producers
	*l = *s
	l.Handlers = append(handlers[:0], s.Handlers...)
	l.Accounts = append(accounts[:0], s.Accounts...)
	l.Targets = append(targets[:0], s.Targets...)
	l.Producers = append(producers[:0], s.Producers...)
}

// finding is a gauge that grows without bound.
type finding struct {
	what              string
	slope, rise, span float64
	implicates        []key
}

func (f finding) String() string {
	return fmt.Sprintf("%s grows without bound: +%s every minute of traffic (+%s over the last %s of it)",
		f.what, fmtSeconds(f.slope*60), fmtSeconds(f.rise), fmtSeconds(f.span))
}

// growing returns the gauges that grow without bound, in the order they
// were first seen (topology order).
func (w *watcher) growing() []finding {
	var out []finding
	for _, g := range w.gauges {
		g.flush(w.step)
		slope, rise, noise := trend(g.ts, g.ys)
		// Growth without bound reaches new heights: a queue that only
		// wanders back up to where it has been is not growing.
		if grows(slope, rise, noise) && len(g.ys) > 0 && endOf(g.ts, g.ys, slope) > g.before+MinRise {
			out = append(out, finding{what: g.what, slope: slope, rise: rise, span: w.to - w.from, implicates: slices.Clone(g.implicates)})
		}
	}
	return out
}

// fmtSeconds prints seconds for people: 850ms, 12.3s, 4m10s.
func fmtSeconds(s float64) string {
	d := time.Duration(s * float64(time.Second))
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// endOf is the fitted line's value at the last point.
func endOf(ts, ys []float64, slope float64) float64 {
	var mt, my float64
	for i := range ts {
		mt += ts[i]
		my += ys[i]
	}
	n := float64(len(ts))
	mt, my = mt/n, my/n
	return my + slope*(ts[len(ts)-1]-mt)
}

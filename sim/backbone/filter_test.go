package backbone

import (
	"bytes"
	"testing"
	"time"

	"github.com/busdrill/busdrill/sim"
)

// runObserved runs the test world (traffic for 2 s, every 5 ms) with obs
// until the virtual time until, after setup (if any) has adjusted the
// model.
func runObserved(t *testing.T, obs Observer, until time.Duration, setup func(*Model)) *Model {
	t.Helper()
	m, _, err := newWorld(DefaultParams(), obs, true, 5*time.Millisecond, sim.At(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(m)
	}
	m.RunUntil(sim.At(until))
	return m
}

// TestFilteredObserver: an observer that wants some kinds gets exactly
// the observations of those kinds an observer of every kind gets, in the
// same order; next to one that wants everything (Multi), each still gets
// its own; and what the model does is the same either way.
func TestFilteredObserver(t *testing.T) {
	want := KindsOf(KindDelivered, KindRouteLost, KindPublishAccepted)
	run := func(obs Observer) *Model {
		return runObserved(t, obs, time.Minute, func(m *Model) {
			for i := range m.handlers {
				m.handlers[i].spec.FailureProbability = 0.2 // losses too
				m.handlers[i].spec.RetryDelays = nil
			}
		})
	}
	lines := func(keep KindSet) (*bytes.Buffer, ObserverFunc) {
		var buf bytes.Buffer
		return &buf, func(o *Observation) {
			if keep.Has(o.Kind) {
				buf.Write(o.AppendJSON(nil))
				buf.WriteByte('\n')
			}
		}
	}
	all, allObs := lines(want)
	mAll := run(allObs)
	some, someObs := lines(AllKinds)
	mSome := run(Filter(someObs, want))
	if all.Len() == 0 || !bytes.Equal(all.Bytes(), some.Bytes()) {
		t.Fatal("the filtered observer did not get the observations of its kinds")
	}
	if mAll.Processed() != mSome.Processed() || mAll.Now() != mSome.Now() {
		t.Fatal("filtering changed what the model did")
	}
	// Next to a trace of everything.
	both, bothObs := lines(AllKinds)
	var trace bytes.Buffer
	tw := NewTraceWriter(&trace)
	run(Multi(Filter(bothObs, want), tw))
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(both.Bytes(), some.Bytes()) || bytes.Count(trace.Bytes(), []byte("\n")) <= bytes.Count(some.Bytes(), []byte("\n")) {
		t.Fatal("Multi did not give each observer its own kinds")
	}
	if !bytes.Contains(trace.Bytes(), []byte(`"kind":"rule-matched"`)) {
		t.Fatal("the trace lacks the kinds the filtered observer does not want")
	}
}

// TestOmitsHops: an observer with OmitsHops gets every observation an
// observer of every kind gets except the ingestions of hopped events,
// also next to one that wants them (Multi); the model stops building them
// only when no observer wants them.
func TestOmitsHops(t *testing.T) {
	run := func(obs Observer) *Model { return runObserved(t, obs, time.Minute, nil) }
	isHop := func(o *Observation) bool { return o.Kind == KindIngested && o.Hopped }
	lines := func(skipHops bool) (*bytes.Buffer, ObserverFunc) {
		var buf bytes.Buffer
		return &buf, func(o *Observation) {
			if !skipHops || !isHop(o) {
				buf.Write(o.AppendJSON(nil))
				buf.WriteByte('\n')
			}
		}
	}
	want, wantObs := lines(true)
	hops := 0
	run(ObserverFunc(func(o *Observation) {
		if isHop(o) {
			hops++
		}
		wantObs(o)
	}))
	if hops == 0 {
		t.Fatal("the world has no hops to omit")
	}
	alone, aloneObs := lines(false)
	m := run(Filter(aloneObs, AllKinds|OmitsHops))
	if !bytes.Equal(alone.Bytes(), want.Bytes()) {
		t.Fatal("an observer omitting hops did not get every other observation")
	}
	if m.want&OmitsHops == 0 {
		t.Fatal("the model builds the hops nobody wants")
	}

	// Next to a trace, which wants the hops: the model builds them, Multi
	// keeps them from the observer that omits them.
	beside, besideObs := lines(false)
	var trace bytes.Buffer
	tw := NewTraceWriter(&trace)
	m = run(Multi(Filter(besideObs, AllKinds|OmitsHops), tw))
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(beside.Bytes(), want.Bytes()) {
		t.Fatal("next to a trace, the observer omitting hops got something else")
	}
	if got := bytes.Count(trace.Bytes(), []byte(`"hopped":true`)); m.want&OmitsHops != 0 || got == 0 {
		t.Fatalf("the trace beside it got %d hopped observations (model omits hops: %v)", got, m.want&OmitsHops != 0)
	}

	// Next to an observer that does not want ingestions at all, hops are
	// still omitted.
	m = run(Multi(Filter(besideObs, AllKinds|OmitsHops), Filter(ObserverFunc(func(*Observation) {}), KindsOf(KindDelivered))))
	if m.want&OmitsHops == 0 {
		t.Fatal("Multi builds hops for an observer that wants no ingestion")
	}
}

// TestNoObserverWrapped: a filter of no observer, or an ObserverFunc that
// is nil, is no observer: the model runs as without one and builds no
// observation.
func TestNoObserverWrapped(t *testing.T) {
	run := func(obs Observer) *Model { return runObserved(t, obs, 30*time.Second, nil) }
	bare := run(nil)
	for name, obs := range map[string]Observer{
		"filter of nil":  Filter(nil, AllKinds),
		"nil func":       ObserverFunc(nil),
		"filter of func": Filter(ObserverFunc(nil), AllKinds),
	} {
		m := run(obs)
		if m.want != 0 || m.obs != nil {
			t.Errorf("%s: the model observes (kinds %b)", name, m.want)
		}
		if m.Processed() != bare.Processed() || m.Now() != bare.Now() {
			t.Errorf("%s: the model ran differently", name)
		}
	}
}

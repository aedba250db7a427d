package backbone

import (
	"bytes"
	"testing"
	"time"

	"github.com/busdrill/busdrill/sim"
)

// TestFilteredObserver: an observer that wants some kinds gets exactly
// the observations of those kinds an observer of every kind gets, in the
// same order; next to one that wants everything (Multi), each still gets
// its own; and what the model does is the same either way.
func TestFilteredObserver(t *testing.T) {
	want := KindsOf(KindDelivered, KindRouteLost, KindPublishAccepted)
	run := func(obs Observer) *Model {
		m, _, err := newWorld(DefaultParams(), obs, true, 5*time.Millisecond, sim.At(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for i := range m.handlers {
			m.handlers[i].spec.FailureProbability = 0.2 // losses too
			m.handlers[i].spec.RetryDelays = nil
		}
		m.RunUntil(sim.At(time.Minute))
		return m
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

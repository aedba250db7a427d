package schedule

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/internal/clock"
	"github.com/busdrill/busdrill/live/actuators"
	"github.com/busdrill/busdrill/report"
)

// These tests run the fault schedule on a manual clock: the faults start
// and end when the clock says, whatever the machine's speed. Nothing here
// waits for a duration; a wait is for a state, with a generous deadline.

// settle bounds a wait for the schedule's goroutines to act on a tick
// they were given: a state they reach, never a latency measured.
const settle = 30 * time.Second

type recorder struct{ faults chan report.Fault }

func (r *recorder) RecordFault(f report.Fault) { r.faults <- f }

type run struct {
	t      *testing.T
	clk    *clock.Manual
	start  time.Time
	rec    *recorder
	faults *actuators.ClientFaults
	done   chan error
	cancel context.CancelFunc
}

func start(t *testing.T, tl *chaos.Timeline) *run {
	t.Helper()
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	r := &run{t: t, clk: clock.NewManual(t0), start: t0, rec: &recorder{faults: make(chan report.Fault, 16)},
		faults: actuators.NewClientFaults(1), done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	t.Cleanup(cancel)
	env := &Env{Start: t0, Recorder: r.rec, Faults: r.faults, Clock: r.clk}
	go func() { r.done <- Run(ctx, env, tl) }()
	return r
}

// at moves the clock to run time d.
func (r *run) at(d time.Duration) { r.clk.Advance(r.start.Add(d).Sub(r.clk.Now())) }

// next returns the next fault the schedule reports.
func (r *run) next() report.Fault {
	r.t.Helper()
	select {
	case f := <-r.rec.faults:
		return f
	case <-time.After(settle):
		r.t.Fatal("no fault reported")
	}
	return report.Fault{}
}

// await waits until the client-side probabilities are (entries, dup).
func (r *run) await(entries, dup float64) {
	r.t.Helper()
	deadline := time.Now().Add(settle)
	for {
		_, e, d := r.faults.Probabilities()
		if e == entries && d == dup {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("client faults: throttle %v duplicate %v, want %v %v", e, d, entries, dup)
		}
		time.Sleep(time.Millisecond)
	}
}

func (r *run) finished() error {
	r.t.Helper()
	select {
	case err := <-r.done:
		return err
	case <-time.After(settle):
		r.t.Fatal("the schedule did not return")
	}
	return nil
}

func TestOverlappingFaultsFollowTheClock(t *testing.T) {
	tl := &chaos.Timeline{Faults: []chaos.Fault{
		{Name: "throttle", Kind: chaos.KindThrottle, EntryError: event.CodeThrottling, Probability: 0.5,
			Start: 10 * time.Second, End: 20 * time.Second},
		{Name: "dup", Kind: chaos.KindDuplicate, Mode: "producer-timeout", Probability: 0.2,
			Start: 15 * time.Second, End: 30 * time.Second},
	}}
	r := start(t, tl)

	r.at(9 * time.Second)
	r.at(10 * time.Second)
	if f := r.next(); f.Name != "throttle" {
		t.Fatalf("at 10s %s started, want throttle", f.Name)
	}
	r.await(0.5, 0)

	r.at(15 * time.Second)
	if f := r.next(); f.Name != "dup" {
		t.Fatalf("at 15s %s started, want dup", f.Name)
	}
	r.await(0.5, 0.2)

	r.at(20 * time.Second) // the throttle ends; the duplicates go on
	r.await(0, 0.2)

	r.at(30 * time.Second)
	r.await(0, 0)
	if err := r.finished(); err != nil {
		t.Fatal(err)
	}
}

func TestInterruptLeavesTheRevertToTheSession(t *testing.T) {
	tl := &chaos.Timeline{Faults: []chaos.Fault{
		{Name: "dup", Kind: chaos.KindDuplicate, Mode: "producer-timeout", Probability: 0.3,
			Start: time.Second, End: time.Hour},
		{Name: "later", Kind: chaos.KindDuplicate, Mode: "producer-timeout", Probability: 0.9,
			Start: 2 * time.Hour, End: 3 * time.Hour},
	}}
	r := start(t, tl)
	r.at(time.Minute)
	if f := r.next(); f.Name != "dup" {
		t.Fatalf("started %s, want dup", f.Name)
	}
	r.await(0, 0.3)
	r.cancel()
	if err := r.finished(); err != nil {
		t.Fatal(err)
	}
	// The fault in force stays for the session's rollback, its one
	// owner; the one not yet due never starts.
	if _, e, d := r.faults.Probabilities(); e != 0 || d != 0.3 {
		t.Fatalf("after the interrupt: throttle %v duplicate %v, want 0 0.3", e, d)
	}
	select {
	case f := <-r.rec.faults:
		t.Fatalf("fault %s reported after the interrupt", f.Name)
	default:
	}
}

func TestSupportedNamesEveryFaultThatCannotBeInjected(t *testing.T) {
	tl := &chaos.Timeline{Faults: []chaos.Fault{
		{Name: "quota", Kind: chaos.KindThrottle, PutEventsTPS: 5},
		{Name: "redelivery", Kind: chaos.KindDuplicate, Mode: "redelivery"},
		{Name: "ok", Kind: chaos.KindDisable},
		{Name: "outage", Kind: chaos.KindOutage},
	}}
	err := Supported(tl)
	if err == nil {
		t.Fatal("Supported accepted faults that cannot be injected live")
	}
	for _, name := range []string{"quota", "redelivery", "outage"} {
		if !strings.Contains(err.Error(), "fault "+name+" ") {
			t.Errorf("error does not name fault %s:\n%v", name, err)
		}
	}
	if strings.Contains(err.Error(), "fault ok ") {
		t.Errorf("error names a fault that can be injected:\n%v", err)
	}
}

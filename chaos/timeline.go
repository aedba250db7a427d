package chaos

import (
	"fmt"
	"time"
)

// Timeline is a run's compiled faults, sorted by start.
type Timeline struct {
	Faults []Fault
	// Broken names the faults of the file that did not compile (their
	// problems are reported by Compile), so that what refers to them (an
	// expectation's window) is not reported again.
	Broken []string
}

// Names returns the fault names, in timeline order.
func (tl *Timeline) Names() []string {
	out := make([]string, len(tl.Faults))
	for i := range tl.Faults {
		out[i] = tl.Faults[i].Name
	}
	return out
}

// Active returns the faults of kind active at t ([Start, End)), in
// timeline order, appended to dst.
func (tl *Timeline) Active(dst []*Fault, kind string, t time.Duration) []*Fault {
	for i := range tl.Faults {
		f := &tl.Faults[i]
		if f.Kind == kind && t >= f.Start && t < f.End {
			dst = append(dst, f)
		}
	}
	return dst
}

// Has reports whether any fault is of kind.
func (tl *Timeline) Has(kind string) bool {
	for i := range tl.Faults {
		if tl.Faults[i].Kind == kind {
			return true
		}
	}
	return false
}

// Apply starts the fault on a world. Producer-side faults (a producer's
// duplicate resends, poison and oversized orders) change nothing in the
// backbone: the world's producer asks the timeline whether they are active
// when it sends each order.
func (f *Fault) Apply(a Actuator) error {
	switch f.Kind {
	case KindThrottle:
		return f.throttle(a, true)
	case KindDisable:
		return a.DisableRule(f.Bus, f.Rule)
	case KindRevoke:
		if f.Role != "" {
			return a.SetRoleAllowed(f.Account, f.Role, false)
		}
		return a.RemoveStatement(f.Bus, f.Sid)
	case KindDuplicate:
		if f.Mode == "redelivery" {
			return a.SetRedelivery(f.Probability)
		}
	case KindOutage:
		return a.SetOutage(f.Ref, f.Code)
	case KindLatency:
		return a.SetExtraLatency(f.Hop, f.Extra)
	case KindStall:
		return a.StallHandler(f.Handler, true)
	case KindReplay:
		return a.StartReplay(f.Name, f.Archive, f.From, f.To, f.Rules)
	case KindRedrive:
		return a.Redrive(f.Queue)
	}
	return nil
}

// Revert ends the fault. Instant faults have nothing to revert.
func (f *Fault) Revert(a Actuator) error {
	switch f.Kind {
	case KindThrottle:
		return f.throttle(a, false)
	case KindDisable:
		return a.EnableRule(f.Bus, f.Rule)
	case KindRevoke:
		if f.Role != "" {
			return a.SetRoleAllowed(f.Account, f.Role, true)
		}
		return a.RestoreStatement(f.Bus, f.Sid)
	case KindDuplicate:
		if f.Mode == "redelivery" {
			return a.SetRedelivery(-1)
		}
	case KindOutage:
		return a.SetOutage(f.Ref, "")
	case KindLatency:
		return a.SetExtraLatency(f.Hop, nil)
	case KindStall:
		return a.StallHandler(f.Handler, false)
	}
	return nil
}

func (f *Fault) throttle(a Actuator, on bool) error {
	put, inv, p := f.PutEventsTPS, f.InvocationsTPS, f.Probability
	if !on {
		put, inv, p = 0, 0, 0
	}
	if f.PutEventsTPS > 0 {
		if err := a.SetPutEventsQuota(f.Account, put); err != nil {
			return err
		}
	}
	if f.InvocationsTPS > 0 {
		if err := a.SetInvocationsQuota(f.Account, inv); err != nil {
			return err
		}
	}
	if f.EntryError != "" {
		return a.SetEntryFailure(f.Account, f.EntryError, p)
	}
	return nil
}

// String describes the fault for logs and errors.
func (f *Fault) String() string {
	if f.Instant() {
		return fmt.Sprintf("%s (%s %s at %v)", f.Name, f.Kind, f.Target, f.Start)
	}
	return fmt.Sprintf("%s (%s %s from %v to %v)", f.Name, f.Kind, f.Target, f.Start, f.End)
}

// Window is one fault window known before the run starts: [Start, End)
// in run time; Start == End for a fault that happens at an instant. The
// names of a timeline's windows are unique. The report's recorder takes
// them as they are (report.Config.Windows).
type Window struct {
	Name       string
	Start, End time.Duration
}

// Windows are the windows expectations can be limited to: one per fault,
// except faults that last the whole run (they leave no steady state to
// compare with). A fault made through the control plane takes effect
// after the propagation lag, so its window is shifted by lag: "during" is
// when the change is in force, not when the call was made.
func (tl *Timeline) Windows(lag time.Duration) []Window {
	if tl == nil {
		return nil
	}
	var out []Window
	for i := range tl.Faults {
		f := &tl.Faults[i]
		if f.WholeRun {
			continue
		}
		start, end := f.Start, f.End
		if f.ControlPlane() {
			start, end = start+lag, end+lag
		}
		out = append(out, Window{Name: f.Name, Start: start, End: end})
	}
	return out
}

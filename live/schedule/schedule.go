package schedule

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/internal/clock"
	"github.com/busdrill/busdrill/live/actuators"
	"github.com/busdrill/busdrill/live/journal"
	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/topology"
)

// Supported reports every fault of tl that cannot be injected live.
func Supported(tl *chaos.Timeline) error {
	if tl == nil {
		return nil
	}
	var errs []error
	for i := range tl.Faults {
		if why := unsupported(&tl.Faults[i]); why != "" {
			errs = append(errs, fmt.Errorf("fault %s (%s) cannot be injected against a real backbone: %s", tl.Faults[i].Name, tl.Faults[i].Kind, why))
		}
	}
	return errors.Join(errs...)
}

func unsupported(f *chaos.Fault) string {
	switch f.Kind {
	case chaos.KindDisable:
		return ""
	case chaos.KindRevoke:
		if f.Role != "" {
			return "a target role's IAM permission is not changed live"
		}
		return ""
	case chaos.KindThrottle:
		if f.PutEventsTPS > 0 || f.InvocationsTPS > 0 {
			return "an account's real quota cannot be lowered; use entry_error: ThrottlingException"
		}
		if f.EntryError != event.CodeThrottling {
			return "only entry_error: ThrottlingException is injected live (client side)"
		}
		return ""
	case chaos.KindDuplicate:
		if f.Mode != "producer-timeout" {
			return "EventBridge's own redelivery cannot be caused; use mode: producer-timeout"
		}
		return ""
	}
	return "only disable-rule, revoke-permission, throttle (entry_error) and duplicate (producer-timeout) are injected live"
}

// PlanSteps are the calls the timeline will make, for 'busdrill aws plan'.
func PlanSteps(tl *chaos.Timeline, l *provision.Layout) []provision.Step {
	if tl == nil {
		return nil
	}
	var out []provision.Step
	for i := range tl.Faults {
		f := &tl.Faults[i]
		if f.Kind != chaos.KindDisable && f.Kind != chaos.KindRevoke {
			continue // client-side faults make no call
		}
		b := l.Bus(f.Bus)
		note := fmt.Sprintf("fault %s, from %v to %v", f.Name, f.Start, f.End)
		if f.Kind == chaos.KindDisable {
			arn := strings.Replace(b.ARN, ":event-bus/", ":rule/", 1) + "/" + f.Rule
			out = append(out,
				provision.Step{Account: b.Account, AccountID: b.ID, Region: l.Region, Call: "events:DescribeRule", IAM: []string{"events:DescribeRule"}, Resource: arn, Note: note},
				provision.Step{Account: b.Account, AccountID: b.ID, Region: l.Region, Call: "events:DisableRule", IAM: []string{"events:DisableRule"}, Resource: arn, Mutates: true, Note: note},
				provision.Step{Account: b.Account, AccountID: b.ID, Region: l.Region, Call: "events:EnableRule", IAM: []string{"events:EnableRule"}, Resource: arn, Mutates: true, Note: note})
			continue
		}
		out = append(out,
			provision.Step{Account: b.Account, AccountID: b.ID, Region: l.Region, Call: "events:DescribeEventBus", IAM: []string{"events:DescribeEventBus"}, Resource: b.ARN, Note: note},
			provision.Step{Account: b.Account, AccountID: b.ID, Region: l.Region, Call: "events:RemovePermission", IAM: []string{"events:RemovePermission"}, Resource: b.ARN, Mutates: true, Note: note + ": statement " + f.Sid},
			provision.Step{Account: b.Account, AccountID: b.ID, Region: l.Region, Call: "events:PutPermission", IAM: []string{"events:PutPermission"}, Resource: b.ARN, Mutates: true, Note: note + ": the exact prior policy"})
	}
	return out
}

// Env is what the schedule acts with during a live run: the live
// session builds it once the probes are provisioned and the drill is
// about to start, and runs the schedule itself ([Run]).
type Env struct {
	// Start is when the run's time 0 was, on the wall clock.
	Start time.Time
	// Layout names the deployed buses.
	Layout *provision.Layout
	// Target is the actuator target of a scenario account.
	Target func(account string) (actuators.Target, error)
	// Journal records every change before it is made.
	Journal *journal.Journal
	// Recorder gets each fault's timeline entry for the results.
	Recorder Recorder
	// Faults are the client-side faults on every PutEvents client.
	Faults *actuators.ClientFaults
	// Clock is the run's clock (the drill's): faults start and end on
	// it, so that a run on an injected clock times its faults on it too.
	// Nil is the wall clock.
	Clock clock.Clock
}

// Recorder is where the schedule reports its faults: the live drill.
type Recorder interface {
	RecordFault(report.Fault)
}

// Run applies the timeline from a live run's start; it returns when every
// fault has ended (or ctx is done) with every error met. Faults may
// overlap: each runs on its own timer.
func Run(ctx context.Context, env *Env, tl *chaos.Timeline) error {
	if tl == nil || len(tl.Faults) == 0 {
		return nil
	}
	a := &actuator{ctx: ctx, env: env, changes: map[string]actuators.Change{}}
	var wg sync.WaitGroup
	errs := make([]error, len(tl.Faults))
	for i := range tl.Faults {
		f := &tl.Faults[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = a.run(f)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// actuator is the chaos.Actuator of a live run.
type actuator struct {
	ctx context.Context
	env *Env

	mu sync.Mutex
	// changes made by the faults, for their exact revert.
	changes map[string]actuators.Change
	// the client-side fault probabilities in force.
	throttleEntries, duplicate float64
}

func (a *actuator) run(f *chaos.Fault) error {
	if !a.sleepUntil(f.Start) {
		return nil
	}
	tf := report.FaultOf(f)
	err := a.apply(f)
	if errors.Is(err, chaos.ErrNoEffect) {
		// Reported as such, and nothing to revert at its end.
		tf.Effect = err.Error()
		a.env.Recorder.RecordFault(tf)
		return nil
	}
	a.env.Recorder.RecordFault(tf)
	if err != nil {
		return fmt.Errorf("fault %s: %w", f, err)
	}
	// A fault cut short by the end of the run (or an interrupt) is left
	// to the session's rollback, its one owner: it waits for this
	// schedule to return, then reverts every journaled change and turns
	// the client-side faults off.
	if !a.sleepUntil(f.End) {
		return nil
	}
	if err := a.revert(f); err != nil {
		return fmt.Errorf("fault %s: reverting: %w", f, err)
	}
	return nil
}

func (a *actuator) sleepUntil(at time.Duration) bool {
	clk := a.env.Clock
	if clk == nil {
		clk = clock.Wall
	}
	d := a.env.Start.Add(at).Sub(clk.Now())
	if d <= 0 {
		return a.ctx.Err() == nil
	}
	t := clk.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return true
	case <-a.ctx.Done():
		return false
	}
}

func (a *actuator) apply(f *chaos.Fault) error {
	if f.Kind == chaos.KindDuplicate {
		return a.setClient(-1, f.Probability)
	}
	return f.Apply(a)
}

func (a *actuator) revert(f *chaos.Fault) error {
	if f.Kind == chaos.KindDuplicate {
		return a.setClient(-1, 0)
	}
	return f.Revert(a)
}

// setClient sets the client-side probabilities; a negative one is kept.
func (a *actuator) setClient(throttleEntries, duplicate float64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if throttleEntries >= 0 {
		a.throttleEntries = throttleEntries
	}
	if duplicate >= 0 {
		a.duplicate = duplicate
	}
	a.env.Faults.Set(0, a.throttleEntries, a.duplicate)
	return nil
}

func (a *actuator) target(bus string) (actuators.Target, string, error) {
	acct, _, ok := topology.SplitRef(bus)
	if !ok {
		return actuators.Target{}, "", fmt.Errorf("bad bus reference %q", bus)
	}
	t, err := a.env.Target(acct)
	if err != nil {
		return t, "", err
	}
	return t, a.env.Layout.Bus(bus).Name, nil
}

func (a *actuator) keep(key string, ch actuators.Change) {
	a.mu.Lock()
	a.changes[key] = ch
	a.mu.Unlock()
}

func (a *actuator) take(key string) (actuators.Change, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ch, ok := a.changes[key]
	delete(a.changes, key)
	return ch, ok
}

func (a *actuator) DisableRule(bus, rule string) error {
	t, name, err := a.target(bus)
	if err != nil {
		return err
	}
	ch, err := actuators.DisableRule(a.ctx, a.env.Journal, t, name, rule)
	switch {
	case err == nil && ch.Noop():
		return fmt.Errorf("%w: rule %s/%s was already disabled", chaos.ErrNoEffect, bus, rule)
	case err == nil:
		a.keep("rule:"+bus+"/"+rule, ch)
	}
	return err
}

func (a *actuator) EnableRule(bus, rule string) error {
	t, name, err := a.target(bus)
	if err != nil {
		return err
	}
	ctx := context.WithoutCancel(a.ctx)
	if ch, ok := a.take("rule:" + bus + "/" + rule); ok {
		return actuators.Revert(ctx, a.env.Journal, t, ch)
	}
	_, err = actuators.EnableRule(ctx, a.env.Journal, t, name, rule)
	return err
}

func (a *actuator) RemoveStatement(bus, sid string) error {
	t, name, err := a.target(bus)
	if err != nil {
		return err
	}
	ch, err := actuators.RemovePolicyStatement(a.ctx, a.env.Journal, t, name, sid)
	switch {
	case err == nil && ch.Noop():
		return fmt.Errorf("%w: statement %s of %s's policy was not there", chaos.ErrNoEffect, sid, bus)
	case err == nil:
		a.keep("sid:"+bus+"#"+sid, ch)
	}
	return err
}

func (a *actuator) RestoreStatement(bus, sid string) error {
	t, _, err := a.target(bus)
	if err != nil {
		return err
	}
	ch, ok := a.take("sid:" + bus + "#" + sid)
	if !ok {
		return fmt.Errorf("no removed statement %s#%s to restore", bus, sid)
	}
	return actuators.Revert(context.WithoutCancel(a.ctx), a.env.Journal, t, ch)
}

func (a *actuator) SetEntryFailure(account, code string, p float64) error {
	if code != event.CodeThrottling {
		return chaos.ErrUnsupported
	}
	return a.setClient(p, -1)
}

func (a *actuator) SetRoleAllowed(string, string, bool) error { return chaos.ErrUnsupported }
func (a *actuator) SetPutEventsQuota(string, float64) error   { return chaos.ErrUnsupported }
func (a *actuator) SetInvocationsQuota(string, float64) error { return chaos.ErrUnsupported }
func (a *actuator) SetRedelivery(float64) error               { return chaos.ErrUnsupported }
func (a *actuator) SetOutage(string, string) error            { return chaos.ErrUnsupported }
func (a *actuator) SetExtraLatency(string, rng.Dist) error    { return chaos.ErrUnsupported }
func (a *actuator) StallHandler(string, bool) error           { return chaos.ErrUnsupported }
func (a *actuator) Redrive(string) error                      { return chaos.ErrUnsupported }
func (a *actuator) StartReplay(string, string, time.Duration, time.Duration, []string) error {
	return chaos.ErrUnsupported
}

var _ chaos.Actuator = (*actuator)(nil)

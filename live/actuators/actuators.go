package actuators

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"

	"github.com/busdrill/busdrill/live/journal"
	"github.com/busdrill/busdrill/live/redact"
	"github.com/busdrill/busdrill/topology"
)

// Target is the account an actuator acts in.
type Target struct {
	Account   string // scenario account name
	AccountID string
	Region    string
	// EventBridge is the account's client; the journal executor's
	// interface is what the actuators need.
	EventBridge journal.EventBridgeAPI
}

// Change is one applied mutation. Revert undoes it (idempotently, and
// marks it restored in the journal); a Change with Seq 0 changed nothing
// (the resource was already in the wanted state) and reverts to nothing.
type Change struct {
	Seq    int64 // the journal intent
	Intent journal.Record
}

// Noop reports whether the actuator found nothing to change.
func (c Change) Noop() bool { return c.Seq == 0 }

func (t Target) record(action, resource string, inverse journal.Call) journal.Record {
	return journal.Record{Account: t.Account, AccountID: t.AccountID, Region: t.Region,
		Action: action, Resource: resource, Inverse: &inverse}
}

// apply is the write-ahead rule: journal, then mutate, then mark applied.
func apply(j *journal.Journal, rec journal.Record, mutate func() error) (Change, error) {
	written, err := j.Append(rec)
	if err != nil {
		return Change{}, err
	}
	if err := mutate(); err != nil {
		return Change{Seq: written.Seq, Intent: written}, redact.Error(err)
	}
	if err := j.MarkApplied(written.Seq, ""); err != nil {
		return Change{Seq: written.Seq, Intent: written}, err
	}
	return Change{Seq: written.Seq, Intent: written}, nil
}

// DisableRule disables a rule that is enabled, journaling EnableRule
// first. A rule already disabled is left alone (Noop): its inverse would
// wrongly enable it.
func DisableRule(ctx context.Context, j *journal.Journal, t Target, bus, rule string) (Change, error) {
	return setRule(ctx, j, t, bus, rule, ebtypes.RuleStateDisabled)
}

// EnableRule enables a rule that is disabled, journaling DisableRule first.
func EnableRule(ctx context.Context, j *journal.Journal, t Target, bus, rule string) (Change, error) {
	return setRule(ctx, j, t, bus, rule, ebtypes.RuleStateEnabled)
}

func setRule(ctx context.Context, j *journal.Journal, t Target, bus, rule string, want ebtypes.RuleState) (Change, error) {
	d, err := t.EventBridge.DescribeRule(ctx, &eventbridge.DescribeRuleInput{Name: aws.String(rule), EventBusName: optString(bus)})
	if err != nil {
		return Change{}, fmt.Errorf("%s: DescribeRule %s on %s: %w", t.Account, rule, bus, redact.Error(err))
	}
	if d.State == want {
		return Change{}, nil
	}
	arn := aws.ToString(d.Arn)
	if arn == "" {
		arn = topology.RuleARN(t.Region, t.AccountID, bus, rule)
	}
	if want == ebtypes.RuleStateDisabled {
		return apply(j, t.record(journal.DisableRule, arn, journal.EnableRuleCall(bus, rule)), func() error {
			_, err := t.EventBridge.DisableRule(ctx, &eventbridge.DisableRuleInput{Name: aws.String(rule), EventBusName: optString(bus)})
			return err
		})
	}
	return apply(j, t.record(journal.EnableRule, arn, journal.DisableRuleCall(bus, rule)), func() error {
		_, err := t.EventBridge.EnableRule(ctx, &eventbridge.EnableRuleInput{Name: aws.String(rule), EventBusName: optString(bus)})
		return err
	})
}

// RemovePolicyStatement removes one statement (by Sid) from a bus policy,
// journaling the exact prior policy document first (restored with
// PutPermission Policy=...). A statement that is not there is a Noop.
func RemovePolicyStatement(ctx context.Context, j *journal.Journal, t Target, bus, sid string) (Change, error) {
	d, err := t.EventBridge.DescribeEventBus(ctx, &eventbridge.DescribeEventBusInput{Name: optString(bus)})
	if err != nil {
		return Change{}, fmt.Errorf("%s: DescribeEventBus %s: %w", t.Account, bus, redact.Error(err))
	}
	prior := aws.ToString(d.Policy)
	has, err := hasStatement(prior, sid)
	if err != nil {
		return Change{}, fmt.Errorf("%s: policy of %s: %w", t.Account, bus, err)
	}
	if !has {
		return Change{}, nil
	}
	arn := aws.ToString(d.Arn)
	if arn == "" {
		arn = topology.BusARN(t.Region, t.AccountID, bus)
	}
	return apply(j, t.record(journal.RemovePermission, arn, journal.RestorePolicyCall(bus, &prior)), func() error {
		_, err := t.EventBridge.RemovePermission(ctx, &eventbridge.RemovePermissionInput{EventBusName: optString(bus), StatementId: aws.String(sid)})
		return err
	})
}

// hasStatement reports whether a policy document has a statement with sid.
func hasStatement(policy, sid string) (bool, error) {
	if policy == "" {
		return false, nil
	}
	var doc struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return false, err
	}
	var list []struct{ Sid string }
	if err := json.Unmarshal(doc.Statement, &list); err != nil {
		var one struct{ Sid string }
		if err2 := json.Unmarshal(doc.Statement, &one); err2 != nil {
			return false, err
		}
		list = append(list, one)
	}
	for _, s := range list {
		if s.Sid == sid {
			return true, nil
		}
	}
	return false, nil
}

// Revert undoes a change through the journal's AWS executor (which reads
// the state first, so reverting twice, or after a restore, is harmless)
// and appends the Restored marker, so 'busdrill aws restore' skips it.
func Revert(ctx context.Context, j *journal.Journal, t Target, c Change) error {
	if c.Noop() {
		return nil
	}
	for _, r := range j.Records() {
		if r.Kind == journal.Restored && r.Ref == c.Seq {
			return nil
		}
	}
	x := journal.AWSExecutor{Resolve: func(string) (journal.AccountClients, error) {
		return journal.AccountClients{AccountID: t.AccountID, Region: t.Region, EventBridge: t.EventBridge}, nil
	}}
	out, err := x.Execute(ctx, c.Intent)
	if err != nil {
		return fmt.Errorf("reverting #%d %s on %s: %w", c.Seq, c.Intent.Action, c.Intent.Resource, err)
	}
	_, err = j.Append(journal.Record{Kind: journal.Restored, Ref: c.Seq, Outcome: out, Note: "fault window ended"})
	return err
}

// RevertAll undoes, newest first, every intent of the journal accepted by
// keep that is not restored yet (e.g. only the chaos changes, when the
// probes are kept), appending Restored markers.
func RevertAll(ctx context.Context, j *journal.Journal, x journal.Executor, keep func(journal.Record) bool) error {
	recs := j.Records()
	done := map[int64]bool{}
	for _, r := range recs {
		if r.Kind == journal.Restored {
			done[r.Ref] = true
		}
	}
	var errs []error
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		if r.Kind != journal.Intent || done[r.Seq] || !keep(r) {
			continue
		}
		out, err := x.Execute(ctx, r)
		if err != nil {
			errs = append(errs, fmt.Errorf("#%d %s %s: %w", r.Seq, r.Action, r.Resource, err))
			continue
		}
		if _, err := j.Append(journal.Record{Kind: journal.Restored, Ref: r.Seq, Outcome: out}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

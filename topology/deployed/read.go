package deployed

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/busdrill/busdrill/topology"
	"github.com/busdrill/busdrill/topology/assemble"
)

// Account is one deployed account to read: its name in the topology and
// its 12-digit id.
type Account struct {
	Name, ID string
}

// Options of a live import.
type Options struct {
	// Region the accounts are read in.
	Region string
	// Accounts, in the order the topology lists them.
	Accounts []Account
	// OrgID, when set, is the AWS Organization of every account.
	OrgID string
}

// OptionsFor reads back the accounts of a topology, in its order and
// Region, with its organization when every account shares one: what a
// round trip (deploy t, read it back, compare) needs.
func OptionsFor(t *topology.Topology) Options {
	o := Options{Region: t.RegionOrDefault()}
	for i, a := range t.Accounts {
		o.Accounts = append(o.Accounts, Account{Name: a.Name, ID: a.ID})
		switch {
		case i == 0:
			o.OrgID = a.OrgID
		case a.OrgID != o.OrgID:
			o.OrgID = ""
		}
	}
	return o
}

// hint ends the note of a target in an account the import does not read.
const hint = " (add it to the live section's accounts to read it)"

// Read imports the backbone deployed in the accounts: every bus (the
// default bus only when it has rules or a policy), its policy, its rules
// with their targets, and what GetQueueAttributes says of every queue a
// target or dead-letter configuration names. It makes exactly the calls
// of [Plan], read-only, through r, and fails on the first call that
// fails. A target bus that does not exist, or one in an account the
// import does not read, is left out with a warning: that is the deployed
// truth, which the lint then reports.
func Read(ctx context.Context, r Reader, o Options) (*assemble.Result, error) {
	b := assemble.New(o.Region, false, hint)
	for _, a := range o.Accounts {
		if err := b.AddAccount(a.Name, a.ID, o.OrgID); err != nil {
			return nil, err
		}
	}
	var queueARNs []string
	for _, a := range o.Accounts {
		buses, err := r.ListEventBuses(ctx, a.Name)
		if err != nil {
			return nil, fmt.Errorf("account %s: ListEventBuses: %w", a.Name, err)
		}
		for _, lb := range buses {
			bus, err := r.DescribeEventBus(ctx, a.Name, lb.Name)
			if err != nil {
				return nil, fmt.Errorf("account %s: DescribeEventBus %s: %w", a.Name, lb.Name, err)
			}
			rules, err := r.ListRules(ctx, a.Name, lb.Name)
			if err != nil {
				return nil, fmt.Errorf("account %s: ListRules %s: %w", a.Name, lb.Name, err)
			}
			if bus.Name == "default" && len(rules) == 0 && bus.Policy == "" {
				continue
			}
			busARN := bus.ARN
			if busARN == "" {
				busARN = topology.BusARN(o.Region, a.ID, bus.Name)
			}
			ref := b.AddBus(a.Name, bus.Name, assemble.Where{ARN: busARN})
			if bus.Policy != "" {
				b.AddPolicy(ref, []byte(bus.Policy), assemble.Where{ARN: busARN})
			}
			for _, lr := range rules {
				arns, err := readRule(ctx, r, b, a, ref, lr.Name)
				if err != nil {
					return nil, err
				}
				queueARNs = append(queueARNs, arns...)
			}
		}
	}
	if err := readQueues(ctx, r, b, queueARNs); err != nil {
		return nil, err
	}
	return b.Build()
}

// readRule adds one rule and its targets, and returns the queue ARNs its
// targets name.
func readRule(ctx context.Context, r Reader, b *assemble.Builder, a Account, busRef, name string) ([]string, error) {
	_, bus, _ := topology.SplitRef(busRef)
	rule, err := r.DescribeRule(ctx, a.Name, bus, name)
	if err != nil {
		return nil, fmt.Errorf("account %s: DescribeRule %s/%s: %w", a.Name, bus, name, err)
	}
	w := assemble.Where{ARN: rule.ARN}
	ruleRef := busRef + "/" + rule.Name
	if rule.EventPattern == "" {
		b.Note(w, ruleRef, assemble.Info, "rule %s has no event pattern (a scheduled rule): not part of the event routing, not imported", rule.Name)
		return nil, nil
	}
	if rule.ScheduleExpression != "" {
		b.Note(w, ruleRef, assemble.Info, "rule %s also has a schedule, which the model does not run", rule.Name)
	}
	if rule.ManagedBy != "" {
		b.Note(w, ruleRef, assemble.Info, "rule %s is managed by %s; imported as it is", rule.Name, rule.ManagedBy)
	}
	state := topology.RuleState(rule.State)
	switch rule.State {
	case "", "ENABLED":
		state = topology.Enabled
	case "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS":
		state = topology.Enabled
		b.Note(w, ruleRef, assemble.Info, "rule %s is ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS; the model has no CloudTrail events and runs it ENABLED", rule.Name)
	}
	rr := b.AddRule(busRef, topology.Rule{Name: rule.Name, Pattern: rule.EventPattern, State: state, Description: rule.Description}, w)
	targets, err := r.ListTargetsByRule(ctx, a.Name, bus, rule.Name)
	if err != nil {
		return nil, fmt.Errorf("account %s: ListTargetsByRule %s/%s: %w", a.Name, bus, rule.Name, err)
	}
	var queues []string
	for _, t := range targets {
		tw := assemble.Where{ARN: rule.ARN, Path: "Targets[" + t.ID + "]"}
		tref := ruleRef + "/" + t.ID
		if t.InputKind != "" {
			b.Note(tw, tref, assemble.Info, "target %s: its %s is not modelled: the model delivers the whole event", t.ID, t.InputKind)
		}
		for _, p := range t.Parameters {
			b.Note(tw, tref, assemble.Info, "target %s: %s is not modelled", t.ID, p)
		}
		rr.AddTarget(assemble.TargetSpec{ID: t.ID, ARN: t.ARN, RoleARN: t.RoleARN, DLQARN: t.DeadLetterARN, Where: tw,
			Retry: topology.RetryPolicy{MaximumRetryAttempts: t.MaximumRetryAttempts, MaximumEventAgeInSeconds: t.MaximumEventAgeInSeconds}})
		if a, ok := assemble.ParseARN(t.ARN); ok && a.Service == "sqs" {
			queues = append(queues, t.ARN)
		}
		if t.DeadLetterARN != "" {
			queues = append(queues, t.DeadLetterARN)
		}
	}
	return queues, nil
}

// readQueues records what GetQueueAttributes says of each queue the
// targets name, once each, in the account that owns it; queues of
// accounts the import does not read are left alone.
func readQueues(ctx context.Context, r Reader, b *assemble.Builder, arns []string) error {
	facts := b.Facts()
	var seen []string
	for _, arn := range arns {
		ref, _ := b.QueueRef(arn)
		if ref == "" || slices.Contains(seen, ref) {
			continue
		}
		seen = append(seen, ref)
		acct, name, _ := topology.SplitRef(ref)
		q, err := r.QueueAttributes(ctx, acct, name)
		if err != nil {
			return fmt.Errorf("account %s: queue %s: %w", acct, name, err)
		}
		if facts.Queues == nil {
			facts.Queues = map[string]assemble.QueueFact{}
		}
		facts.Queues[ref] = assemble.QueueFact{Exists: q.Exists, FIFO: q.FIFO, Messages: q.Messages}
	}
	return nil
}

// Call is one kind of call a live import makes.
type Call struct {
	Account, AccountID string
	// Op is the API operation ("events:ListRules"), which is also the IAM
	// action it needs.
	Op       string
	Resource string
	Note     string
}

// Plan lists the calls Read makes in each account, before it makes any:
// every one read-only.
func Plan(o Options) []Call {
	var out []Call
	arn := "arn:" + partition(o.Region) + ":"
	for _, a := range o.Accounts {
		bus := arn + "events:" + o.Region + ":" + a.ID + ":event-bus/*"
		rule := arn + "events:" + o.Region + ":" + a.ID + ":rule/*"
		queue := arn + "sqs:" + o.Region + ":" + a.ID + ":*"
		out = append(out,
			Call{a.Name, a.ID, "events:ListEventBuses", "*", "every bus of the account"},
			Call{a.Name, a.ID, "events:DescribeEventBus", bus, "each bus, with its policy"},
			Call{a.Name, a.ID, "events:ListRules", bus, "the rules of each bus"},
			Call{a.Name, a.ID, "events:DescribeRule", rule, "each rule"},
			Call{a.Name, a.ID, "events:ListTargetsByRule", rule, "the targets of each rule"},
			Call{a.Name, a.ID, "sqs:GetQueueUrl", queue, "each queue of the account that a target or DLQ names"},
			Call{a.Name, a.ID, "sqs:GetQueueAttributes", queue, "whether it exists, FIFO, messages waiting"},
		)
	}
	return out
}

// partition is the ARN partition of a Region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

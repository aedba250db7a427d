package provision

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// Phases of a live run, in order.
const (
	PhaseVerify    = "verify"
	PhaseProvision = "provision"
	PhaseRun       = "run"
	PhaseChaos     = "chaos"
	PhaseDrain     = "drain"
	PhaseTeardown  = "teardown"
)

// Step is one API call (or kind of call, repeated during the run) that a
// live run makes.
type Step struct {
	Phase     string `json:"phase"`
	Account   string `json:"account"`    // scenario account name
	AccountID string `json:"account_id"` // real id
	Region    string `json:"region"`
	// Call is the API operation, "events:PutRule"; IAM the actions it
	// needs (usually Call itself; CreateQueue with tags also needs
	// sqs:TagQueue).
	Call     string   `json:"call"`
	IAM      []string `json:"iam"`
	Resource string   `json:"resource"` // ARN
	Mutates  bool     `json:"mutates"`
	Note     string   `json:"note,omitempty"`
}

// Plan is every call a live run makes, in order, computed without calling
// anything. [Provision], the runtime and [Teardown] make exactly these
// kinds of call (a test holds them to it).
type Plan struct {
	RunID string `json:"run_id"`
	Steps []Step `json:"steps"`
}

// PlanOptions select the optional parts of a plan.
type PlanOptions struct {
	// ObserveOnly: the real services publish; busdrill only publishes
	// orders (as the origins) and watches.
	ObserveOnly bool
	// Keep: no teardown at the end.
	Keep bool
}

// NewPlan lists the calls of a live run of the layout.
func NewPlan(l *Layout, opts PlanOptions) *Plan {
	p := &Plan{RunID: l.RunID}
	add := func(phase, acct, call, resource string, mutates bool, note string, iam ...string) {
		if len(iam) == 0 {
			iam = []string{call}
		}
		p.Steps = append(p.Steps, Step{Phase: phase, Account: acct, AccountID: l.AccountID(acct), Region: l.Region,
			Call: call, IAM: iam, Resource: resource, Mutates: mutates, Note: note})
	}
	for _, a := range l.Accounts {
		add(PhaseVerify, a.Name, "sts:GetCallerIdentity", "*", false, "check the credentials belong to "+a.ID)
	}
	for _, pr := range l.Probes {
		acct := pr.Bus.Account
		add(PhaseProvision, acct, "sqs:CreateQueue", pr.QueueARN, true,
			"probe queue, tagged, with a policy letting "+pr.RuleARN+" send", "sqs:CreateQueue", "sqs:TagQueue", "sqs:SetQueueAttributes")
		add(PhaseProvision, acct, "events:PutRule", pr.RuleARN, true,
			"catch-all of this run on "+pr.Bus.ARN+": "+pr.Pattern, "events:PutRule", "events:TagResource")
		add(PhaseProvision, acct, "events:PutTargets", pr.RuleARN, true, "target: "+pr.QueueARN)
	}
	for _, s := range l.Senders {
		add(PhaseRun, s, "events:PutEvents", "*", false, "publish as "+s+" (to the buses the scenario names; batches of up to 10)")
	}
	for _, pr := range l.Probes {
		add(PhaseRun, pr.Bus.Account, "sqs:GetQueueUrl", pr.QueueARN, false, "")
		add(PhaseRun, pr.Bus.Account, "sqs:ReceiveMessage", pr.QueueARN, false, "long polls, 20 s, 10 messages")
		add(PhaseRun, pr.Bus.Account, "sqs:DeleteMessageBatch", pr.QueueARN, false, "every received message", "sqs:DeleteMessage")
	}
	for _, d := range l.DLQs {
		add(PhaseDrain, d.Account, "sqs:GetQueueUrl", d.ARN, false, "")
		add(PhaseDrain, d.Account, "sqs:ReceiveMessage", d.ARN, false, "read (not deleted) for ERROR_CODE")
	}
	if !opts.Keep {
		for _, pr := range l.Probes {
			acct := pr.Bus.Account
			add(PhaseTeardown, acct, "events:DescribeRule", pr.RuleARN, false, "")
			add(PhaseTeardown, acct, "events:ListTargetsByRule", pr.RuleARN, false, "")
			add(PhaseTeardown, acct, "events:RemoveTargets", pr.RuleARN, true, "")
			add(PhaseTeardown, acct, "events:DeleteRule", pr.RuleARN, true, "")
			add(PhaseTeardown, acct, "sqs:GetQueueUrl", pr.QueueARN, false, "")
			add(PhaseTeardown, acct, "sqs:DeleteQueue", pr.QueueARN, true, "")
		}
	}
	return p
}

// AddChaos appends the calls of a chaos actuator (see live/actuators:
// ActuatorSteps) so the plan shows them.
func (p *Plan) AddChaos(steps ...Step) {
	for _, s := range steps {
		s.Phase = PhaseChaos
		p.Steps = append(p.Steps, s)
	}
}

// IAM returns, per account id, every IAM action with the resources it is
// needed on, sorted.
func (p *Plan) IAM() map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for _, s := range p.Steps {
		m := out[s.AccountID]
		if m == nil {
			m = map[string][]string{}
			out[s.AccountID] = m
		}
		for _, a := range s.IAM {
			if !contains(m[a], s.Resource) {
				m[a] = append(m[a], s.Resource)
				sort.Strings(m[a])
			}
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// WriteText prints the plan as a table of calls, then the IAM actions per
// account.
func (p *Plan) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "plan of run %s: %d calls (nothing has been called)\n\n", p.RunID, len(p.Steps))
	fmt.Fprintln(tw, "PHASE\tACCOUNT\tREGION\tCALL\tRESOURCE\tNOTE")
	for _, s := range p.Steps {
		mut := ""
		if s.Mutates {
			mut = "* "
		}
		fmt.Fprintf(tw, "%s\t%s (%s)\t%s\t%s%s\t%s\t%s\n", s.Phase, s.Account, s.AccountID, s.Region, mut, s.Call, s.Resource, s.Note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\n* changes state; journaled before it is made, undone by teardown or 'busdrill aws restore'.")
	iam := p.IAM()
	ids := make([]string, 0, len(iam))
	for id := range iam {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fmt.Fprintln(w, "\nIAM actions needed:")
	for _, id := range ids {
		fmt.Fprintf(w, "  account %s:\n", id)
		actions := make([]string, 0, len(iam[id]))
		for a := range iam[id] {
			actions = append(actions, a)
		}
		sort.Strings(actions)
		for _, a := range actions {
			fmt.Fprintf(w, "    %-28s %s\n", a, strings.Join(iam[id][a], ", "))
		}
	}
	return nil
}

// WriteJSON prints the plan as JSON.
func (p *Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		*Plan
		IAM map[string]map[string][]string `json:"iam"`
	}{p, p.IAM()})
}

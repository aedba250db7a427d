package journal

import (
	"errors"
	"fmt"
	"time"
)

// FormatVersion is written as "v" in every record. Readers reject records
// with a higher version.
const FormatVersion = 1

// Kind says what a record is.
type Kind string

const (
	// Intent is the write-ahead record of a mutation about to be made, with
	// the call that undoes it. Only intents are restored.
	Intent Kind = "intent"
	// Applied optionally confirms that the mutation of intent Ref returned
	// success. Restore does not need it (an intent whose call failed or never
	// ran restores to the state it already has); reports use it.
	Applied Kind = "applied"
	// Restored marks the inverse of intent Ref as done, so an interrupted
	// restore resumes after it.
	Restored Kind = "restored"
)

// Record is one line of the journal.
type Record struct {
	V     int       `json:"v"`
	Seq   int64     `json:"seq"`
	Time  time.Time `json:"time"`
	RunID string    `json:"run_id"`
	Kind  Kind      `json:"kind"`

	// Account is the scenario account name, AccountID its 12-digit id (the
	// executor refuses to act if the credentials it resolves for Account
	// belong elsewhere). Region is where the resource lives.
	Account   string `json:"account,omitempty"`
	AccountID string `json:"account_id,omitempty"`
	Region    string `json:"region,omitempty"`
	// Action is the mutation, "events:DisableRule"; Resource its ARN.
	Action   string `json:"action,omitempty"`
	Resource string `json:"resource,omitempty"`
	// Inverse is the call that puts the resource back as it was before
	// Action. Intents only.
	Inverse *Call `json:"inverse,omitempty"`

	// Ref is the Seq of the intent an Applied or Restored record is about.
	Ref int64 `json:"ref,omitempty"`
	// Outcome of a Restored record: "changed" or "unchanged".
	Outcome Outcome `json:"outcome,omitempty"`
	// Note is free text for people.
	Note string `json:"note,omitempty"`
}

// Actions that inverses may name. Each is one AWS API call (or, where
// noted, the few calls that make it idempotent); see AWSExecutor.
const (
	EnableRule       = "events:EnableRule"       // Name, EventBusName
	DisableRule      = "events:DisableRule"      // Name, EventBusName
	PutPermission    = "events:PutPermission"    // EventBusName, Policy: the exact prior policy document
	RemovePermission = "events:RemovePermission" // EventBusName, RemoveAllPermissions: there was no policy
	DeleteRule       = "events:DeleteRule"       // Name, EventBusName: a rule busdrill created (its targets go too)
	RemoveTargets    = "events:RemoveTargets"    // Rule, EventBusName, Ids: targets busdrill added
	DeleteEventBus   = "events:DeleteEventBus"   // Name: a bus busdrill created
	DeleteQueue      = "sqs:DeleteQueue"         // QueueUrl, or QueueName (resolved with GetQueueUrl): a queue busdrill created
)

// Call is an API call with all its parameters, named as in the AWS API.
type Call struct {
	Action string `json:"action"`
	Params Params `json:"params"`
}

// Params are the parameters of a [Call]; which are used depends on Action.
// Field names and JSON keys follow the AWS API.
type Params struct {
	Name                 string   `json:"Name,omitempty"`
	EventBusName         string   `json:"EventBusName,omitempty"`
	Rule                 string   `json:"Rule,omitempty"`
	Ids                  []string `json:"Ids,omitempty"`
	Policy               *string  `json:"Policy,omitempty"`
	RemoveAllPermissions bool     `json:"RemoveAllPermissions,omitempty"`
	QueueUrl             string   `json:"QueueUrl,omitempty"`
	QueueName            string   `json:"QueueName,omitempty"`
}

// EnableRuleCall undoes a DisableRule of a rule that was enabled.
func EnableRuleCall(bus, rule string) Call {
	return Call{Action: EnableRule, Params: Params{Name: rule, EventBusName: bus}}
}

// DisableRuleCall undoes an EnableRule of a rule that was disabled.
func DisableRuleCall(bus, rule string) Call {
	return Call{Action: DisableRule, Params: Params{Name: rule, EventBusName: bus}}
}

// RestorePolicyCall undoes any change to a bus policy: prior is the Policy
// string DescribeEventBus returned before the change, nil if there was none.
func RestorePolicyCall(bus string, prior *string) Call {
	if prior == nil || *prior == "" {
		return Call{Action: RemovePermission, Params: Params{EventBusName: bus, RemoveAllPermissions: true}}
	}
	p := *prior
	return Call{Action: PutPermission, Params: Params{EventBusName: bus, Policy: &p}}
}

// DeleteRuleCall undoes a PutRule that created a rule.
func DeleteRuleCall(bus, rule string) Call {
	return Call{Action: DeleteRule, Params: Params{Name: rule, EventBusName: bus}}
}

// RemoveTargetsCall undoes a PutTargets that added targets.
func RemoveTargetsCall(bus, rule string, ids ...string) Call {
	return Call{Action: RemoveTargets, Params: Params{Rule: rule, EventBusName: bus, Ids: append([]string(nil), ids...)}}
}

// DeleteEventBusCall undoes a CreateEventBus.
func DeleteEventBusCall(bus string) Call {
	return Call{Action: DeleteEventBus, Params: Params{Name: bus}}
}

// DeleteQueueCall undoes a CreateQueue whose URL is known.
func DeleteQueueCall(queueURL string) Call {
	return Call{Action: DeleteQueue, Params: Params{QueueUrl: queueURL}}
}

// DeleteQueueByNameCall undoes a CreateQueue by the queue's name (in the
// record's account and region), so the intent can be journaled before
// CreateQueue returns the URL.
func DeleteQueueByNameCall(name string) Call {
	return Call{Action: DeleteQueue, Params: Params{QueueName: name}}
}

// Validate checks that Action is known and its required parameters are set.
func (c Call) Validate() error {
	p := c.Params
	need := func(ok bool, what string) error {
		if !ok {
			return fmt.Errorf("%s needs %s", c.Action, what)
		}
		return nil
	}
	switch c.Action {
	case EnableRule, DisableRule, DeleteRule:
		return need(p.Name != "", "Name")
	case PutPermission:
		return need(p.Policy != nil && *p.Policy != "", "Policy (the prior policy; use RemovePermission when there was none)")
	case RemovePermission:
		return need(p.RemoveAllPermissions, "RemoveAllPermissions=true")
	case RemoveTargets:
		return need(p.Rule != "" && len(p.Ids) > 0, "Rule and Ids")
	case DeleteEventBus:
		if p.Name == "default" {
			return errors.New("events:DeleteEventBus: refusing to name the default bus")
		}
		return need(p.Name != "", "Name")
	case DeleteQueue:
		return need(p.QueueUrl != "" || p.QueueName != "", "QueueUrl or QueueName")
	case "":
		return errors.New("inverse has no action")
	default:
		return fmt.Errorf("unknown inverse action %q", c.Action)
	}
}

// String renders the call as "events:EnableRule Name=r EventBusName=b".
func (c Call) String() string {
	s := c.Action
	p := c.Params
	add := func(k, v string) {
		if v != "" {
			s += " " + k + "=" + v
		}
	}
	add("Name", p.Name)
	add("Rule", p.Rule)
	add("EventBusName", p.EventBusName)
	if len(p.Ids) > 0 {
		add("Ids", fmt.Sprint(p.Ids))
	}
	if p.Policy != nil {
		add("Policy", fmt.Sprintf("(%d bytes)", len(*p.Policy)))
	}
	if p.RemoveAllPermissions {
		add("RemoveAllPermissions", "true")
	}
	add("QueueUrl", p.QueueUrl)
	add("QueueName", p.QueueName)
	return s
}

// validate checks a record before it is appended.
func (r Record) validate() error {
	switch r.Kind {
	case Intent:
		if r.Action == "" || r.Resource == "" || r.Account == "" {
			return errors.New("an intent needs Action, Resource and Account")
		}
		if r.Inverse == nil {
			return errors.New("an intent needs an Inverse")
		}
		return r.Inverse.Validate()
	case Applied, Restored:
		if r.Ref <= 0 {
			return fmt.Errorf("a %s record needs Ref", r.Kind)
		}
		return nil
	default:
		return fmt.Errorf("unknown record kind %q", r.Kind)
	}
}

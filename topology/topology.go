package topology

import "time"

// Topology is a backbone as configured: accounts, buses with their
// policies and rules, queues, handlers and archives. It is plain data: the
// scenario loader fills it from YAML, the model (sim/backbone) runs it and
// the live adapter provisions it. Slices are ordered and the order is
// meaningful only for paths in [Problem] and for stable output.
type Topology struct {
	// Region is the one Region every resource lives in; "" means
	// DefaultRegion. Cross-Region routing is not modelled.
	Region   string
	Accounts []Account
	Buses    []Bus
	Queues   []Queue
	Handlers []Handler
	Archives []Archive
	// Limits are the quotas Validate checks; zero fields take the
	// defaults of [DefaultLimits].
	Limits Limits
}

// DefaultRegion is the Region of a Topology that names none.
const DefaultRegion = "us-east-1"

// RegionOrDefault returns t.Region, or DefaultRegion when it is empty.
func (t *Topology) RegionOrDefault() string {
	if t.Region == "" {
		return DefaultRegion
	}
	return t.Region
}

// Account is an AWS account taking part in the backbone.
type Account struct {
	// Name is the readable name every reference uses ("orders").
	Name string
	// ID is the 12-digit account id; it is what envelopes carry in their
	// account field and what patterns filter on.
	ID string
	// OrgID is the AWS Organizations id ("o-..."), matched by policy
	// statements with an OrgID condition. Optional.
	OrgID string
}

// Bus is a custom event bus.
type Bus struct {
	// Account is the owning account's Name.
	Account string
	// Name is the bus name, unique within the account. Its reference
	// elsewhere is "account/name" (see [Ref]).
	Name string
	// Policy is the bus's resource policy. A bus always accepts events
	// from its own account; other accounts need an allowing statement.
	Policy []Statement
	Rules  []Rule
}

// Ref returns the bus's reference, "account/name".
func (b *Bus) Ref() string { return b.Account + "/" + b.Name }

// ActionPutEvents is the only action the model checks.
const ActionPutEvents = "events:PutEvents"

// Statement is one statement of a bus resource policy (PutPermission).
type Statement struct {
	// Sid is the statement id, unique within the policy.
	Sid string
	// Principal is an account Name, a 12-digit account id, or "*".
	Principal string
	// OrgID, when set, is the aws:PrincipalOrgID condition: only accounts
	// of that organization are allowed (usually with Principal "*").
	OrgID string
	// Action is "" or "events:PutEvents".
	Action string
}

// RuleState is ENABLED or DISABLED.
type RuleState string

// Rule states.
const (
	Enabled  RuleState = "ENABLED"
	Disabled RuleState = "DISABLED"
)

// Rule is an event rule on a bus.
type Rule struct {
	// Name is unique within the bus: 1–64 characters of [.\-_A-Za-z0-9].
	Name string
	// Pattern is the event pattern, as JSON.
	Pattern string
	// State is ENABLED (also when empty) or DISABLED.
	State       RuleState
	Description string
	// Targets: at most 5 (a fixed AWS limit).
	Targets []Target
}

// IsEnabled reports whether the rule is configured ENABLED.
func (r *Rule) IsEnabled() bool { return r.State == "" || r.State == Enabled }

// TargetKind says what a target delivers to.
type TargetKind string

// Target kinds.
const (
	// KindBus forwards the event to another bus (possibly in another
	// account: then Role is required and the destination's policy must
	// allow the rule's account).
	KindBus TargetKind = "bus"
	// KindQueue delivers into an SQS-like queue: the observation point of
	// the live world.
	KindQueue TargetKind = "queue"
	// KindLog delivers into a log group (the catch-all observability sink).
	KindLog TargetKind = "log"
	// KindHandler invokes a Lambda-like service handler asynchronously.
	KindHandler TargetKind = "handler"
)

// Target is one target of a rule.
type Target struct {
	// ID is unique within the rule: 1–64 characters of [.\-_A-Za-z0-9].
	ID   string
	Kind TargetKind
	// Bus is the destination bus reference ("account/bus") of a bus target.
	Bus string
	// Role is the IAM role (a name in the rule's account) EventBridge
	// assumes to put events on a bus in another account. Required for
	// cross-account bus targets (AWS requires roles for new cross-account
	// bus targets since 2023-02-16).
	Role string
	// Queue is the queue reference ("account/queue") of a queue target.
	Queue string
	// Log is the log group name of a log target, in the rule's account.
	Log string
	// Handler is the handler reference ("account/handler") of a handler
	// target.
	Handler string
	// Retry is the target's retry policy.
	Retry RetryPolicy
	// DLQ is the reference of the dead-letter queue ("account/queue");
	// empty means none: exhausted events are dropped.
	DLQ string
}

// RetryPolicy is a target's RetryPolicy. Nil fields take AWS's defaults.
type RetryPolicy struct {
	// MaximumRetryAttempts: 0–185, default 185.
	MaximumRetryAttempts *int
	// MaximumEventAgeInSeconds: 60–86,400, default 86,400.
	MaximumEventAgeInSeconds *int
}

// AWS retry-policy bounds and defaults (eventbridge-model.md §5).
const (
	DefaultMaximumRetryAttempts     = 185
	MaxMaximumRetryAttempts         = 185
	DefaultMaximumEventAgeInSeconds = 86400
	MinMaximumEventAgeInSeconds     = 60
	MaxMaximumEventAgeInSeconds     = 86400
)

// Attempts returns the maximum number of retries (not counting the first
// attempt), applying the default.
func (p RetryPolicy) Attempts() int {
	if p.MaximumRetryAttempts == nil {
		return DefaultMaximumRetryAttempts
	}
	return *p.MaximumRetryAttempts
}

// MaxAge returns the maximum event age, applying the default.
func (p RetryPolicy) MaxAge() time.Duration {
	s := DefaultMaximumEventAgeInSeconds
	if p.MaximumEventAgeInSeconds != nil {
		s = *p.MaximumEventAgeInSeconds
	}
	return time.Duration(s) * time.Second
}

// Int returns a pointer to v, for RetryPolicy literals.
func Int(v int) *int { return &v }

// Queue is an SQS-like standard queue. Its reference is "account/name".
type Queue struct {
	Account string
	Name    string
}

// Ref returns the queue's reference, "account/name".
func (q *Queue) Ref() string { return q.Account + "/" + q.Name }

// Handler is a Lambda-like function of a service. Its behaviour
// (processing time, concurrency, business logic) is given to the runtime,
// not here. Its reference is "account/name".
type Handler struct {
	Account string
	Name    string
}

// Ref returns the handler's reference, "account/name".
func (h *Handler) Ref() string { return h.Account + "/" + h.Name }

// Archive archives the events of a bus.
type Archive struct {
	// Name is unique in the topology, 1–48 characters.
	Name string
	// Bus is the archived bus's reference.
	Bus string
	// Pattern optionally restricts what is archived; "" archives every
	// event (except replayed ones, which are never archived).
	Pattern string
	// RetentionDays: 0 keeps events forever.
	RetentionDays int
}

// Limits are the quotas Validate enforces.
type Limits struct {
	// RulesPerBus: default 300 (100 in af-south-1 and eu-south-1).
	RulesPerBus int
	// PatternChars: default 2,048 (the adjustable quota; the API allows
	// 4,096).
	PatternChars int
	// BusesPerAccount: default 100.
	BusesPerAccount int
}

// MaxTargetsPerRule is the fixed AWS limit of targets per rule.
const MaxTargetsPerRule = 5

// DefaultLimits returns the default quotas of a Region ([QUOTA]).
func DefaultLimits(region string) Limits {
	l := Limits{RulesPerBus: 300, PatternChars: 2048, BusesPerAccount: 100}
	if region == "af-south-1" || region == "eu-south-1" {
		l.RulesPerBus = 100
	}
	return l
}

// limits returns t.Limits with defaults filled in.
func (t *Topology) limits() Limits {
	d := DefaultLimits(t.RegionOrDefault())
	l := t.Limits
	if l.RulesPerBus == 0 {
		l.RulesPerBus = d.RulesPerBus
	}
	if l.PatternChars == 0 {
		l.PatternChars = d.PatternChars
	}
	if l.BusesPerAccount == 0 {
		l.BusesPerAccount = d.BusesPerAccount
	}
	return l
}

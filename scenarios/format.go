package scenarios

import (
	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/scenarios/livespec"
	"github.com/busdrill/busdrill/units"
)

// File is a scenario file as written: the YAML format, decoded strictly.
// Load turns it into a Scenario (topology expanded, traffic compiled,
// references checked). Keys are snake_case; every key is documented in
// doc.go and in the published JSON Schema (busdrill scenarios schema).
type File struct {
	Name        string `yaml:"name,omitempty" required:"true" doc:"Scenario name: lower-case letters, digits and dashes. Names the results folder."`
	Description string `yaml:"description,omitempty" doc:"What the experiment is and what it expects to show (its hypothesis)."`
	Seed        uint64 `yaml:"seed,omitempty" doc:"Seed of every random stream; the same seed replays the run exactly. Default 1."`

	Topology TopologySpec     `yaml:"topology,omitempty" required:"true" doc:"The backbone: the reference shorthand, or accounts, buses, queues and archives in full."`
	Services []ServiceSpec    `yaml:"services,omitempty" doc:"Service handlers consuming from their account's local bus."`
	Traffic  TrafficSpec      `yaml:"traffic,omitempty" required:"true" doc:"The order traffic: an open-model arrival process."`
	Drain    units.Duration   `yaml:"drain,omitempty" doc:"How long to keep running after traffic stops before counting what is still in flight. Default 2m."`
	Model    ModelSpec        `yaml:"model,omitempty" doc:"Parameters of the in-memory EventBridge model (latencies, quotas, lags)."`
	Faults   []chaos.Spec     `yaml:"faults,omitempty" doc:"Faults injected during the run."`
	Expect   []ExpectSpec     `yaml:"expect,omitempty" doc:"Expectations (SLOs), each evaluated to pass or fail."`
	Vary     string           `yaml:"vary,omitempty" doc:"What busdrill swarm --vary may change from seed to seed (a busdrill run ignores it): a comma-separated list of faults or faults=A+B (switched off in about half the seeds), at or at=LO..HI (when windowed faults start), for or for=LO..HI (how long they last), rate or rate=LO..HI (a factor on every traffic rate), or default (all four)."`
	Live     *livespec.Config `yaml:"live,omitempty" doc:"How to run against a deployed backbone (busdrill run --target aws): region, real account ids and how to act as each, the allowlist. Can also be a separate file given with --live."`

	Origin yamlstrict.Origin `yaml:"-"`
}

// TopologySpec is either the reference shorthand or the full form.
type TopologySpec struct {
	Region    string         `yaml:"region,omitempty" doc:"AWS Region of every resource. Default us-east-1."`
	Reference *ReferenceSpec `yaml:"reference,omitempty" doc:"Shorthand for the reference single-bus multi-account backbone; expanded by busdrill scenarios show."`

	Accounts []AccountSpec `yaml:"accounts,omitempty" doc:"Accounts (full form)."`
	Buses    []BusSpec     `yaml:"buses,omitempty" doc:"Event buses with their policies and rules (full form)."`
	Queues   []RefSpec     `yaml:"queues,omitempty" doc:"SQS-like queues: observation points and dead-letter queues."`
	Handlers []RefSpec     `yaml:"handlers,omitempty" doc:"Lambda-like handlers that rules invoke through handler targets (full form). A service with the same account and name, and no on or pattern, plays one; the others run with the model's default handler."`
	Archives []ArchiveSpec `yaml:"archives,omitempty" doc:"Archives of buses, for replay."`

	Origin yamlstrict.Origin `yaml:"-"`
}

// ReferenceSpec is the shorthand for the reference backbone (DESIGN.md): a
// bus account owning the global bus, and service accounts each with a
// local bus that receives every event but its own.
type ReferenceSpec struct {
	BusAccount AccountSpec       `yaml:"bus_account,omitempty" doc:"The account owning the global bus. Default name bus."`
	Services   []AccountSpec     `yaml:"services,omitempty" required:"true" doc:"The service accounts, in order."`
	Queues     []RefSpec         `yaml:"queues,omitempty" doc:"Extra queues (e.g. dead-letter queues) to declare."`
	Archive    *ArchiveSpec      `yaml:"archive,omitempty" doc:"An archive of the global bus (its bus defaults to bus/global)."`
	Fanout     *FanoutSpec       `yaml:"fanout,omitempty" doc:"Retry policy and dead-letter queue of the global bus's fan-out targets."`
	Origin     yamlstrict.Origin `yaml:"-"`
}

// FanoutSpec configures the fan-out targets (global bus → each local bus)
// of the reference shorthand.
type FanoutSpec struct {
	Retry *RetrySpec `yaml:"retry,omitempty" doc:"Retry policy of each fan-out target."`
	DLQ   string     `yaml:"dlq,omitempty" doc:"Name of a dead-letter queue in the bus account for every fan-out target (declared automatically)."`
}

// AccountSpec names an account.
type AccountSpec struct {
	Name   string            `yaml:"name,omitempty" doc:"Readable name every reference uses."`
	ID     string            `yaml:"id,omitempty" doc:"12-digit account id (quote it). Default: derived from the position."`
	OrgID  string            `yaml:"org_id,omitempty" doc:"AWS Organizations id, o-..."`
	Origin yamlstrict.Origin `yaml:"-"`
}

// BusSpec is a bus in full form.
type BusSpec struct {
	Account string            `yaml:"account,omitempty" required:"true" doc:"Owning account name."`
	Name    string            `yaml:"name,omitempty" required:"true" doc:"Bus name, unique in the account; referenced as account/name."`
	Policy  []StatementSpec   `yaml:"policy,omitempty" doc:"Resource policy statements allowing other accounts to PutEvents."`
	Rules   []RuleSpec        `yaml:"rules,omitempty" doc:"Rules on the bus."`
	Origin  yamlstrict.Origin `yaml:"-"`
}

// StatementSpec is one bus policy statement.
type StatementSpec struct {
	Sid       string            `yaml:"sid,omitempty" required:"true" doc:"Statement id, unique in the policy."`
	Principal string            `yaml:"principal,omitempty" doc:"Account name, 12-digit id, or * (with org_id)."`
	OrgID     string            `yaml:"org_id,omitempty" doc:"aws:PrincipalOrgID condition."`
	Action    string            `yaml:"action,omitempty" enum:"events:PutEvents" doc:"Only events:PutEvents is modelled."`
	Origin    yamlstrict.Origin `yaml:"-"`
}

// RuleSpec is a rule in full form.
type RuleSpec struct {
	Name        string            `yaml:"name,omitempty" required:"true" doc:"Rule name, unique on the bus."`
	Pattern     PatternText       `yaml:"pattern,omitempty" required:"true" doc:"Event pattern: a YAML mapping or a JSON string."`
	State       string            `yaml:"state,omitempty" enum:"ENABLED,DISABLED" doc:"Default ENABLED."`
	Description string            `yaml:"description,omitempty"`
	Targets     []TargetSpec      `yaml:"targets,omitempty" doc:"At most 5 targets."`
	Origin      yamlstrict.Origin `yaml:"-"`
}

// TargetSpec is a rule target: exactly one of bus, queue, log or handler.
type TargetSpec struct {
	ID      string            `yaml:"id,omitempty" required:"true" doc:"Target id, unique in the rule."`
	Bus     string            `yaml:"bus,omitempty" doc:"Forward to this bus (account/bus)."`
	Role    string            `yaml:"role,omitempty" doc:"IAM role name for a cross-account bus target."`
	Queue   string            `yaml:"queue,omitempty" doc:"Deliver to this queue (account/queue)."`
	Log     string            `yaml:"log,omitempty" doc:"Deliver to this log group (in the rule's account)."`
	Handler string            `yaml:"handler,omitempty" doc:"Invoke this handler (account/handler)."`
	Retry   *RetrySpec        `yaml:"retry,omitempty" doc:"Retry policy; defaults 185 attempts and 24h."`
	DLQ     string            `yaml:"dlq,omitempty" doc:"Dead-letter queue (account/queue)."`
	Origin  yamlstrict.Origin `yaml:"-"`
}

// RetrySpec is a target's retry policy, with AWS's key names.
type RetrySpec struct {
	MaximumRetryAttempts     *int `yaml:"maximum_retry_attempts,omitempty" doc:"0-185, default 185."`
	MaximumEventAgeInSeconds *int `yaml:"maximum_event_age_in_seconds,omitempty" doc:"60-86400, default 86400."`
}

// RefSpec declares a queue or log group in an account.
type RefSpec struct {
	Account string            `yaml:"account,omitempty" required:"true"`
	Name    string            `yaml:"name,omitempty" required:"true"`
	Origin  yamlstrict.Origin `yaml:"-"`
}

// ArchiveSpec is an archive of a bus.
type ArchiveSpec struct {
	Name          string            `yaml:"name,omitempty" required:"true" doc:"Archive name, 1-48 characters."`
	Bus           string            `yaml:"bus,omitempty" doc:"Archived bus (account/bus)."`
	Pattern       PatternText       `yaml:"pattern,omitempty" doc:"Optional pattern restricting what is archived."`
	RetentionDays int               `yaml:"retention_days,omitempty" doc:"0 keeps events forever."`
	Origin        yamlstrict.Origin `yaml:"-"`
}

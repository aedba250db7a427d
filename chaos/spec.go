package chaos

import (
	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/units"
)

// Spec is one fault as written in a scenario's faults list. Which keys a
// fault takes depends on its kind (see kinds.go); a key that does not
// apply to the kind is an error at its line, never ignored.
type Spec struct {
	Name string `yaml:"name,omitempty" doc:"A unique name for reports and windows (during:NAME). Default: KIND-N."`
	Kind string `yaml:"kind" required:"true" enum:"throttle,disable-rule,revoke-permission,duplicate,outage,latency,stall,poison,oversize,replay,redrive" doc:"What breaks."`

	At  units.Duration `yaml:"at,omitempty" doc:"When the fault starts (virtual time since the run began)."`
	For units.Duration `yaml:"for,omitempty" doc:"How long it lasts. Without at and for, a probabilistic fault lasts the whole run."`

	Account     string            `yaml:"account,omitempty" doc:"throttle: the sender whose PutEvents quota or entries are affected; revoke-permission: the sender losing PutEvents on bus."`
	PutEvents   units.Rate        `yaml:"putevents,omitempty" doc:"throttle: the sender's PutEvents quota during the fault, e.g. 5/s."`
	Invocations units.Rate        `yaml:"invocations,omitempty" doc:"throttle: the account's invocations quota during the fault (excess invocations are delayed)."`
	EntryError  string            `yaml:"entry_error,omitempty" enum:"ThrottlingException,InternalFailure" doc:"throttle: per-entry error code returned with probability."`
	Probability units.Probability `yaml:"probability,omitempty" doc:"throttle (entry_error), duplicate, poison, oversize: the chance per entry, delivery or order."`

	Bus  string `yaml:"bus,omitempty" doc:"disable-rule, revoke-permission: the bus (account/bus)."`
	Rule string `yaml:"rule,omitempty" doc:"disable-rule: the rule name."`
	Sid  string `yaml:"sid,omitempty" doc:"revoke-permission: the policy statement removed."`
	Role string `yaml:"role,omitempty" doc:"revoke-permission: a rule target's role (account/role) losing its permission."`

	Mode string `yaml:"mode,omitempty" enum:"producer-timeout,redelivery" doc:"duplicate: producer-timeout (the client resends after an ambiguous timeout: same business key, new id) or redelivery (EventBridge delivers twice: same id)."`

	Service string     `yaml:"service,omitempty" doc:"outage, stall, poison: the service (by name)."`
	Target  string     `yaml:"target,omitempty" doc:"outage: a rule target (account/bus/rule/target) instead of a service."`
	Code    string     `yaml:"code,omitempty" doc:"outage: the ERROR_CODE invocations fail with (default ERROR_FROM_TARGET, retried; NO_PERMISSIONS or NO_RESOURCE are not retried)."`
	Hop     string     `yaml:"hop,omitempty" enum:"ack,ingest,forward,deliver,invoke" doc:"latency: the hop slowed down."`
	Extra   units.Dist `yaml:"extra,omitempty" doc:"latency: the added delay, e.g. 2s or lognormal(median=1s, p99=5s)."`

	Archive string         `yaml:"archive,omitempty" doc:"replay: the archive replayed."`
	From    units.Duration `yaml:"from,omitempty" doc:"replay: the start of the replayed event-time window."`
	To      units.Duration `yaml:"to,omitempty" doc:"replay: its end."`
	Rules   []string       `yaml:"rules,omitempty" doc:"replay: only these rules of the bus receive the replayed events."`
	Queue   string         `yaml:"queue,omitempty" doc:"redrive: the dead-letter queue (account/queue) whose messages are sent again."`

	Origin yamlstrict.Origin `yaml:"-"`
}

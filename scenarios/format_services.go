package scenarios

import (
	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/units"
)

// ServiceSpec is a service stand-in: a handler in a service account that
// consumes one detail-type from its local bus and, after a processing
// time, may publish the next event of the journey.
type ServiceSpec struct {
	Name    string      `yaml:"name,omitempty" required:"true" doc:"Service name; its handler is account/name."`
	Account string      `yaml:"account,omitempty" required:"true" doc:"The account the service runs in."`
	Bus     string      `yaml:"bus,omitempty" doc:"The bus of the rule feeding it, in its account. Default local."`
	On      string      `yaml:"on,omitempty" doc:"The detail-type it consumes (give on or pattern; neither for a service that plays a handler declared in topology.handlers)."`
	Pattern PatternText `yaml:"pattern,omitempty" doc:"The pattern of the rule feeding the service, for services that consume more than one detail-type (give on or pattern)."`
	Emit    string      `yaml:"emit,omitempty" doc:"The detail-type it publishes after processing (one of Order.Created, Delivery.Updated, Order.Updated); empty publishes nothing."`
	EmitTo  string      `yaml:"emit_to,omitempty" doc:"The bus it publishes to (account/bus). Default: the global bus of the reference topology."`
	Relay   string      `yaml:"relay,omitempty" doc:"Makes the service a gateway: it republishes every event it consumes unchanged but for its source, set to this value (e.g. external), to emit_to. Excludes emit."`

	Processing  units.Dist        `yaml:"processing,omitempty" doc:"Processing time per event, e.g. lognormal(median=5s, p99=6s). Default lognormal(median=20ms, p99=200ms)."`
	Concurrency int               `yaml:"concurrency,omitempty" doc:"Concurrent invocations; further events wait. Default 1000."`
	Failure     units.Probability `yaml:"failure,omitempty" doc:"Probability that an invocation fails (and is retried)."`
	MaxRate     units.Rate        `yaml:"max_rate,omitempty" doc:"Throughput limit of the service's target, e.g. 300/s (an API destination's invocation rate): invocations over it fail with THROTTLING and EventBridge retries them under the retry policy. Default: none."`
	Idempotency IdempotencySpec   `yaml:"idempotency,omitempty" doc:"How the service deduplicates what it consumes."`
	Retry       *RetrySpec        `yaml:"retry,omitempty" doc:"Retry policy of the rule target that invokes it."`
	DLQ         string            `yaml:"dlq,omitempty" doc:"Dead-letter queue of that target (account/queue)."`

	Origin yamlstrict.Origin `yaml:"-"`
}

// Idempotency strategies.
const (
	IdempotencyNone        = "none"
	IdempotencyEventID     = "event-id"
	IdempotencyBusinessKey = "business-key"
)

// IdempotencySpec says how a service recognises an event it has already
// processed. A second side effect for the same business key is an
// idempotency violation.
type IdempotencySpec struct {
	Strategy string         `yaml:"strategy,omitempty" enum:"none,event-id,business-key" doc:"none (default), event-id (envelope id), or business-key (order and detail-type)."`
	Window   units.Duration `yaml:"window,omitempty" doc:"How long a key is remembered. Default 24h."`
}

// TrafficSpec is the order traffic. Give exactly one shape: rate and
// duration (constant), ramp, stages or spike.
type TrafficSpec struct {
	Arrivals string         `yaml:"arrivals,omitempty" enum:"poisson,uniform" doc:"Arrival process: poisson (default) or uniform (evenly spaced)."`
	Rate     units.Rate     `yaml:"rate,omitempty" doc:"Constant rate, e.g. 50/s (with duration)."`
	Duration units.Duration `yaml:"duration,omitempty" doc:"How long the constant rate lasts."`
	Ramp     *RampSpec      `yaml:"ramp,omitempty" doc:"A linear ramp between two rates."`
	Stages   *StagesSpec    `yaml:"stages,omitempty" doc:"k6-style stages: each ramps linearly to its target."`
	Spike    *SpikeSpec     `yaml:"spike,omitempty" doc:"A base rate with one spike."`

	Payload units.SizeDist `yaml:"payload,omitempty" doc:"Detail size of each event, e.g. 2KB or lognormal(median=2KB, p99=8KB). Default 1KB."`
	Origins []OriginSpec   `yaml:"origins,omitempty" doc:"Which accounts originate orders, with weights. Default: the service that consumes Delivery.Updated."`
	Bus     string         `yaml:"bus,omitempty" doc:"The bus orders are published to (account/bus). Default: the global bus."`

	Origin yamlstrict.Origin `yaml:"-"`
}

// RampSpec is a linear ramp.
type RampSpec struct {
	From     units.Rate     `yaml:"from,omitempty"`
	To       units.Rate     `yaml:"to,omitempty" required:"true"`
	Duration units.Duration `yaml:"duration,omitempty" required:"true"`
}

// StagesSpec is a sequence of linear stages.
type StagesSpec struct {
	Start  units.Rate  `yaml:"start,omitempty" doc:"The rate before the first stage. Default 0/s."`
	Stages []StageSpec `yaml:"steps,omitempty" required:"true"`
}

// StageSpec ramps to Target over Duration.
type StageSpec struct {
	Target   units.Rate     `yaml:"target,omitempty" required:"true"`
	Duration units.Duration `yaml:"duration,omitempty" required:"true"`
}

// SpikeSpec is a base rate with one spike.
type SpikeSpec struct {
	Base     units.Rate     `yaml:"base,omitempty" required:"true"`
	Peak     units.Rate     `yaml:"peak,omitempty" required:"true"`
	At       units.Duration `yaml:"at,omitempty" required:"true"`
	Ramp     units.Duration `yaml:"ramp,omitempty"`
	Hold     units.Duration `yaml:"hold,omitempty" required:"true"`
	Duration units.Duration `yaml:"duration,omitempty" required:"true"`
}

// OriginSpec weights an originating account.
type OriginSpec struct {
	Account string  `yaml:"account,omitempty" required:"true"`
	Weight  float64 `yaml:"weight,omitempty" doc:"Relative weight. Default 1."`

	Origin yamlstrict.Origin `yaml:"-"`
}

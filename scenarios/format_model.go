package scenarios

import (
	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/units"
)

// ModelSpec overrides parameters of the in-memory EventBridge model, as
// written; the loader checks it into a [Model]. Every key is optional; the
// defaults, and the source (or UNCONFIRMED note) of each, are documented in
// package sim/backbone.
type ModelSpec struct {
	PutEventsTPS     float64 `yaml:"putevents_tps,omitempty" doc:"PutEvents requests/s quota per account (default: the Region's quota)."`
	PutEventsBurst   int     `yaml:"putevents_burst,omitempty" doc:"Token-bucket depth of that quota (default: one second's worth)."`
	InvocationsTPS   float64 `yaml:"invocations_tps,omitempty" doc:"Invocations/s quota per account; excess is delayed, never dropped."`
	InvocationsBurst int     `yaml:"invocations_burst,omitempty"`

	MaxRequestBytes      *units.ByteSize   `yaml:"max_request_bytes,omitempty" doc:"PutEvents request size limit (default 1MiB; 256KiB is the pre-2026 limit)."`
	ControlPlaneLag      *units.Duration   `yaml:"control_plane_lag,omitempty" doc:"How long a control-plane change takes to apply (default 5s)."`
	DuplicateProbability units.Probability `yaml:"duplicate_probability,omitempty" doc:"Chance of a second delivery of the same event (default 0)."`
	Latency              LatencySpec       `yaml:"latency,omitempty" doc:"Per-hop latency distributions."`
	Backoff              *BackoffSpec      `yaml:"backoff,omitempty" doc:"EventBridge's retry schedule for failed invocations."`
	CrossAccountDenied   string            `yaml:"cross_account_denied_code,omitempty" enum:"NO_PERMISSIONS,CROSS_ACCOUNT_INGESTION_FAILED" doc:"DLQ ERROR_CODE of a forward refused by the destination policy."`
	ArchiveLag           units.Dist        `yaml:"archive_lag,omitempty" doc:"Delay before an event appears in an archive."`
	ReplayNewIDs         bool              `yaml:"replay_new_ids,omitempty" doc:"Give replayed events new ids (default: keep the archived id)."`

	Origin yamlstrict.Origin `yaml:"-"`
}

// LatencySpec are the per-hop latency distributions of the model.
type LatencySpec struct {
	Ack     units.Dist `yaml:"ack,omitempty" doc:"PutEvents call to response."`
	Ingest  units.Dist `yaml:"ingest,omitempty" doc:"PutEvents call to rule evaluation at the bus."`
	Forward units.Dist `yaml:"forward,omitempty" doc:"Rule match to ingestion at a destination bus."`
	Deliver units.Dist `yaml:"deliver,omitempty" doc:"Rule match to a queue or log target."`
	Invoke  units.Dist `yaml:"invoke,omitempty" doc:"Rule match to a handler accepting the invocation."`
}

// BackoffSpec is an exponential retry schedule with jitter.
type BackoffSpec struct {
	Base   units.Duration `yaml:"base,omitempty" required:"true"`
	Cap    units.Duration `yaml:"cap,omitempty" required:"true"`
	Jitter float64        `yaml:"jitter,omitempty" doc:"0..1: the fraction of each delay that is randomised downward."`
}

package scenarios

import (
	"errors"
	"time"

	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/units"
)

// Model is the scenario's model section, checked: what it overrides of
// the in-memory EventBridge model's defaults. A zero field keeps the
// default; package sim/backbone documents every default and its source
// (or its UNCONFIRMED note), and sim/world.ParamsFor turns a scenario
// into the model's parameters. The simulator and busdrill serve play it;
// a live run reads only the quotas, to size its headroom table.
type Model struct {
	// PutEventsTPS and InvocationsTPS are the per-account quotas; 0 is
	// the Region's (topology.PutEventsTPSByRegion). The bursts are the
	// token buckets' depths; 0 is one second's worth.
	PutEventsTPS     float64
	PutEventsBurst   int
	InvocationsTPS   float64
	InvocationsBurst int
	// AccountQuotas are single accounts' own quotas, as AWS raises them
	// per account and Region: busdrill capacity's overrides set them
	// (the file format has no such key).
	AccountQuotas []AccountQuota
	// MaxRequestBytes is the PutEvents request size limit; 0 is the
	// default (event.DefaultMaxRequestBytes).
	MaxRequestBytes int
	// ControlPlaneLag, when set, is how long a control-plane change takes
	// to reach the data plane (zero is a valid lag).
	ControlPlaneLag *time.Duration
	// DuplicateProbability is the chance of a second delivery of an
	// event.
	DuplicateProbability float64
	// Latency are the per-hop distributions; nil keeps a hop's default.
	Latency Latency
	// Backoff, when set, is EventBridge's retry schedule for failed
	// invocations.
	Backoff *Backoff
	// CrossAccountDeniedCode is the DLQ ERROR_CODE of a forward the
	// destination's policy refuses; "" is the default.
	CrossAccountDeniedCode string
	// ArchiveLag is the delay before an event appears in an archive; nil
	// is the default.
	ArchiveLag rng.Dist
	// ReplayNewIDs gives replayed events new ids.
	ReplayNewIDs bool
}

// AccountQuota is one account's own quotas; a zero rate keeps the
// scenario's (and its burst goes with it).
type AccountQuota struct {
	Account                          string
	PutEventsTPS, InvocationsTPS     float64
	PutEventsBurst, InvocationsBurst int
}

// Latency are the per-hop latency distributions of a [Model]
// (nanoseconds).
type Latency struct {
	Ack, Ingest, Forward, Deliver, Invoke rng.Dist
}

// Backoff is an exponential retry schedule with downward jitter (see
// sim/backbone.Backoff).
type Backoff struct {
	Base, Cap time.Duration
	// Jitter is the fraction of each delay that is randomised downward.
	Jitter float64
}

// resolveModel checks the model section and resolves its values.
func resolveModel(f *File, errs *yamlstrict.Errors) Model {
	m := &f.Model
	out := Model{
		PutEventsTPS: m.PutEventsTPS, PutEventsBurst: m.PutEventsBurst,
		InvocationsTPS: m.InvocationsTPS, InvocationsBurst: m.InvocationsBurst,
		DuplicateProbability:   m.DuplicateProbability.Float(),
		CrossAccountDeniedCode: m.CrossAccountDenied,
		ReplayNewIDs:           m.ReplayNewIDs,
	}
	if m.MaxRequestBytes != nil {
		out.MaxRequestBytes = int(m.MaxRequestBytes.Bytes())
	}
	if m.ControlPlaneLag != nil {
		lag := m.ControlPlaneLag.D()
		out.ControlPlaneLag = &lag
	}
	lat := &m.Latency
	out.Latency = Latency{
		Ack: distOrNil(lat.Ack), Ingest: distOrNil(lat.Ingest), Forward: distOrNil(lat.Forward),
		Deliver: distOrNil(lat.Deliver), Invoke: distOrNil(lat.Invoke),
	}
	out.ArchiveLag = distOrNil(m.ArchiveLag)
	if b := m.Backoff; b != nil {
		out.Backoff = &Backoff{Base: b.Base.D(), Cap: b.Cap.D(), Jitter: b.Jitter}
		if b.Jitter < 0 || b.Jitter > 1 {
			errs.Add(m.Origin.At("backoff"), m.Origin.PathOf("backoff")+".jitter", errors.New("jitter is a fraction between 0 and 1"))
		}
	}
	return out
}

// distOrNil is the distribution d holds, or nil when the file wrote none.
func distOrNil(d units.Dist) rng.Dist {
	if d.IsZero() {
		return nil
	}
	return d.Rng()
}

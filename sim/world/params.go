package world

import (
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim/backbone"
)

// ParamsFor is the model's parameters for a scenario: the documented
// defaults (backbone.DefaultParams) with the scenario's model section
// applied, the scenario's seed, and one handler spec per service (its
// concurrency, processing time and failure probability; the business
// logic is attached by the runtime that plays the services). Every call
// returns fresh parameters the caller may change. The simulator and
// busdrill serve build their models from it, so a scenario means the same
// model in both.
func ParamsFor(sc *scenarios.Scenario) backbone.Params {
	p := backbone.DefaultParams()
	p.Seed = sc.Seed
	m := &sc.Model
	p.PutEventsTPS, p.PutEventsBurst = m.PutEventsTPS, m.PutEventsBurst
	p.InvocationsTPS, p.InvocationsBurst = m.InvocationsTPS, m.InvocationsBurst
	for _, q := range m.AccountQuotas {
		p.AccountQuotas = append(p.AccountQuotas, backbone.AccountQuota{Account: q.Account,
			PutEventsTPS: q.PutEventsTPS, PutEventsBurst: q.PutEventsBurst,
			InvocationsTPS: q.InvocationsTPS, InvocationsBurst: q.InvocationsBurst})
	}
	if m.MaxRequestBytes != 0 {
		p.MaxRequestBytes = m.MaxRequestBytes
	}
	if m.ControlPlaneLag != nil {
		p.ControlPlaneLag = *m.ControlPlaneLag
	}
	p.DuplicateProbability = m.DuplicateProbability
	for _, h := range []struct {
		src rng.Dist
		dst *rng.Dist
	}{
		{m.Latency.Ack, &p.Latency.Ack}, {m.Latency.Ingest, &p.Latency.Ingest}, {m.Latency.Forward, &p.Latency.Forward},
		{m.Latency.Deliver, &p.Latency.Deliver}, {m.Latency.Invoke, &p.Latency.Invoke}, {m.ArchiveLag, &p.ArchiveLag},
	} {
		if h.src != nil {
			*h.dst = h.src
		}
	}
	if b := m.Backoff; b != nil {
		p.Backoff = backbone.Backoff{Base: b.Base, Cap: b.Cap, Jitter: b.Jitter}
	}
	if m.CrossAccountDeniedCode != "" {
		p.CrossAccountDeniedCode = m.CrossAccountDeniedCode
	}
	p.ReplayNewIDs = m.ReplayNewIDs
	for _, svc := range sc.Services {
		h := backbone.DefaultHandlerSpec(svc.Handler)
		if svc.Concurrency > 0 {
			h.Concurrency = svc.Concurrency
		}
		if svc.Processing != nil {
			h.Process = svc.Processing
		}
		h.FailureProbability = svc.FailureProbability
		h.MaxRate = svc.MaxRate
		p.Handlers = append(p.Handlers, h)
	}
	return p
}

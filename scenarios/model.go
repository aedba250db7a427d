package scenarios

import (
	"errors"

	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/sim/backbone"
	"github.com/busdrill/busdrill/units"
)

// modelParams applies the model section's overrides to the model's
// defaults and adds one handler spec per service.
func modelParams(f *File, svcs []Service, errs *yamlstrict.Errors) backbone.Params {
	p := backbone.DefaultParams()
	p.Seed = f.Seed
	m := &f.Model
	p.PutEventsTPS, p.PutEventsBurst = m.PutEventsTPS, m.PutEventsBurst
	p.InvocationsTPS, p.InvocationsBurst = m.InvocationsTPS, m.InvocationsBurst
	if m.MaxRequestBytes != nil {
		p.MaxRequestBytes = int(m.MaxRequestBytes.Bytes())
	}
	if m.ControlPlaneLag != nil {
		p.ControlPlaneLag = m.ControlPlaneLag.D()
	}
	p.DuplicateProbability = m.DuplicateProbability.Float()
	lat := &m.Latency
	for _, h := range []struct {
		src units.Dist
		dst *rng.Dist
	}{
		{lat.Ack, &p.Latency.Ack}, {lat.Ingest, &p.Latency.Ingest}, {lat.Forward, &p.Latency.Forward},
		{lat.Deliver, &p.Latency.Deliver}, {lat.Invoke, &p.Latency.Invoke},
	} {
		if !h.src.IsZero() {
			*h.dst = h.src.Rng()
		}
	}
	if b := m.Backoff; b != nil {
		p.Backoff = backbone.Backoff{Base: b.Base.D(), Cap: b.Cap.D(), Jitter: b.Jitter}
		if b.Jitter < 0 || b.Jitter > 1 {
			errs.Add(m.Origin.At("backoff"), m.Origin.PathOf("backoff")+".jitter", errors.New("jitter is a fraction between 0 and 1"))
		}
	}
	if m.CrossAccountDenied != "" {
		p.CrossAccountDeniedCode = m.CrossAccountDenied
	}
	if !m.ArchiveLag.IsZero() {
		p.ArchiveLag = m.ArchiveLag.Rng()
	}
	p.ReplayNewIDs = m.ReplayNewIDs
	for _, svc := range svcs {
		for i := range f.Services {
			sp := &f.Services[i]
			if sp.Name != svc.Name {
				continue
			}
			h := backbone.DefaultHandlerSpec(svc.Handler)
			if sp.Concurrency > 0 {
				h.Concurrency = sp.Concurrency
			}
			if !sp.Processing.IsZero() {
				h.Process = sp.Processing.Rng()
			}
			h.FailureProbability = sp.Failure.Float()
			h.MaxRate = sp.MaxRate.PerSecond()
			p.Handlers = append(p.Handlers, h)
			break
		}
	}
	return p
}

package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/topology"
)

// compileTraffic turns the traffic section into an arrival plan, payload
// sizes, origins and the bus orders are published to.
//
// When decoding already failed inside the section, the
// shape is not validated again: its zero values would only echo the
// decoding problem.
func compileTraffic(f *File, t *topology.Topology, svcs []Service, decodeFailed bool, errs *yamlstrict.Errors) Traffic {
	ts := &f.Traffic
	o := &ts.Origin
	var tr Traffic
	var shapes []string
	var shape loadgen.Shape
	if o.Has("rate") || o.Has("duration") {
		shapes = append(shapes, "rate")
		if !o.Has("rate") || !o.Has("duration") {
			errs.Add(o.Pos, o.Path, fmt.Errorf("a constant rate needs both rate and duration"))
		}
		shape = loadgen.Constant{Rate: ts.Rate.PerSecond(), Duration: ts.Duration.D()}
	}
	if r := ts.Ramp; r != nil {
		shapes = append(shapes, "ramp")
		shape = loadgen.Ramp{From: r.From.PerSecond(), To: r.To.PerSecond(), Duration: r.Duration.D()}
	}
	if s := ts.Stages; s != nil {
		shapes = append(shapes, "stages")
		st := loadgen.Stages{Start: s.Start.PerSecond()}
		for _, x := range s.Stages {
			st.Stages = append(st.Stages, loadgen.Stage{Target: x.Target.PerSecond(), Duration: x.Duration.D()})
		}
		shape = st
	}
	if s := ts.Spike; s != nil {
		shapes = append(shapes, "spike")
		shape = loadgen.Spike{Base: s.Base.PerSecond(), Peak: s.Peak.PerSecond(), At: s.At.D(), Ramp: s.Ramp.D(), Hold: s.Hold.D(), Duration: s.Duration.D()}
	}
	switch len(shapes) {
	case 0:
		errs.Add(o.Pos, o.Path, fmt.Errorf("no traffic shape: give rate and duration, ramp, stages or spike"))
		return tr
	case 1:
	default:
		errs.Add(o.Pos, o.Path, fmt.Errorf("give one traffic shape, not %s", strings.Join(shapes, " and ")))
		return tr
	}
	proc := loadgen.Poisson
	if ts.Arrivals == "uniform" {
		proc = loadgen.Uniform
	}
	tr.Arrivals = loadgen.Arrivals{Shape: shape, Process: proc}
	if !decodeFailed {
		for _, err := range tr.Arrivals.Validate() {
			errs.Add(o.At(shapes[0]), o.PathOf(shapes[0]), err)
		}
	}

	tr.Payload = ts.Payload.Rng()
	if ts.Payload.IsZero() {
		tr.Payload = rng.Constant{Value: DefaultPayload}
	}

	tr.Bus = ts.Bus
	if tr.Bus == "" {
		tr.Bus = defaultBus(f, t)
		if tr.Bus == "" {
			errs.Add(o.Pos, o.Path, fmt.Errorf("bus is required: the topology has no global bus to default to"))
		}
	} else if !slices.ContainsFunc(t.Buses, func(b topology.Bus) bool { return b.Ref() == tr.Bus }) {
		errs.Add(o.At("bus"), o.PathOf("bus"), fmt.Errorf("unknown bus %q (write account/bus)", tr.Bus))
	}

	for i := range ts.Origins {
		og := &ts.Origins[i]
		if !slices.ContainsFunc(t.Accounts, func(a topology.Account) bool { return a.Name == og.Account }) {
			errs.Add(og.Origin.At("account"), og.Origin.PathOf("account"), fmt.Errorf("unknown account %q%s", og.Account, suggestAccount(t, og.Account)))
		}
		w := og.Weight
		if !og.Origin.Has("weight") {
			w = 1
		} else if !(w > 0) {
			errs.Add(og.Origin.At("weight"), og.Origin.PathOf("weight"), fmt.Errorf("weight must be positive"))
		}
		tr.Origins = append(tr.Origins, loadgen.Origin{Account: og.Account, Weight: w})
	}
	if len(tr.Origins) == 0 {
		if a := defaultOrigin(f, t, svcs); a != "" {
			tr.Origins = []loadgen.Origin{{Account: a, Weight: 1}}
		} else {
			errs.Add(o.Pos, o.Path, fmt.Errorf("origins is required: no service consumes Delivery.Updated to default to"))
		}
	}
	return tr
}

// defaultOrigin is the order service's account: the service that consumes
// Delivery.Updated (it publishes Order.Updated), else the first service
// account of the reference shorthand.
func defaultOrigin(f *File, t *topology.Topology, svcs []Service) string {
	for _, s := range svcs {
		if s.On == JourneyTypes[1] {
			return s.Account
		}
	}
	if f.Topology.Reference != nil && len(t.Accounts) > 1 {
		return t.Accounts[1].Name
	}
	return ""
}

// duration is the length of the traffic window.
func (t Traffic) duration() time.Duration {
	if t.Arrivals.Shape == nil {
		return 0
	}
	p, err := loadgen.Compile(t.Arrivals.Shape)
	if err != nil {
		return 0
	}
	return p.Duration()
}

package serve

import (
	"bytes"
	"strconv"
	"time"

	"github.com/busdrill/busdrill/actors"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim/backbone"
	"github.com/busdrill/busdrill/topology"
)

// standIns plays a preloaded scenario's services in their Lambda-like
// handler targets (--stand-ins): serve's adapter to the service logic
// every world shares (actors.Service). A successful run on a journey
// event reads the journey from detail.metadata (never from the envelope)
// and lets the service decide; what it publishes goes into the model as
// the service's account. Journeys are per busdrill run (metadata.run_id):
// each run id gets its own factory and services (their idempotency
// state); the last MaxRuns run ids are kept.
type standIns struct {
	b        *backend
	sc       *scenarios.Scenario
	services map[string]*standIn // by handler reference
	runs     map[string]*standInRun
	runOrder []string
}

// MaxRuns bounds the busdrill runs whose journeys the stand-ins follow at
// once.
const MaxRuns = 16

type standIn struct {
	spec scenarios.Service
}

type standInRun struct {
	factory  *loadgen.Factory
	services map[string]*actors.Service // by handler
	pub      actors.Publication
}

func newStandIns(sc *scenarios.Scenario, params *backbone.Params) (*standIns, error) {
	si := &standIns{sc: sc, services: map[string]*standIn{}, runs: map[string]*standInRun{}}
	for i := range params.Handlers {
		h := &params.Handlers[i]
		for _, s := range sc.Services {
			if s.Handler != h.Handler {
				continue
			}
			si.services[s.Handler] = &standIn{spec: s}
			h.OnSuccess = si.onSuccess
		}
	}
	return si, nil
}

// run returns the state of a busdrill run, creating it on first sight.
func (si *standIns) run(id string) (*standInRun, error) {
	if r, ok := si.runs[id]; ok {
		return r, nil
	}
	f, err := loadgen.NewFactory(loadgen.FactoryConfig{RunID: id, Payload: si.sc.Traffic.Payload, Origins: si.sc.Traffic.Origins}, rng.NewStreams(si.sc.Seed))
	if err != nil {
		return nil, err
	}
	r := &standInRun{factory: f, services: map[string]*actors.Service{}}
	si.runs[id] = r
	si.runOrder = append(si.runOrder, id)
	if len(si.runOrder) > MaxRuns {
		delete(si.runs, si.runOrder[0])
		si.runOrder = si.runOrder[1:]
	}
	return r, nil
}

// onSuccess is a service's business logic after a successful run.
func (si *standIns) onSuccess(c *backbone.HandlerCall) {
	s := si.services[c.Handler]
	if s == nil {
		return
	}
	env := c.Env
	runID, ok1 := metadataString(env.Detail, "run_id")
	jid, ok2 := loadgen.JourneyOf(env.Detail)
	intended, ok3 := metadataInt(env.Detail, "intended_ns")
	if !ok1 || !ok2 || !ok3 {
		return // not a journey event
	}
	r, err := si.run(runID)
	if err != nil {
		return
	}
	svc := r.services[c.Handler]
	if svc == nil {
		if svc, err = actors.NewService(s.spec, r.factory, 1); err != nil {
			return
		}
		r.services[c.Handler] = svc
	}
	if _, publishes := svc.Run(time.Duration(c.Now()), env, env.ID, jid, time.Duration(intended), r.factory, &r.pub); !publishes {
		return
	}
	e := r.pub.Entry
	e.EventBusName = si.putName(r.pub.Account, r.pub.Bus)
	c.PutEvents([]event.Entry{e})
}

// putName is how account names bus (a reference) in PutEvents: its name
// when the bus is its own, its ARN otherwise.
func (si *standIns) putName(account, bus string) string {
	owner, name, _ := topology.SplitRef(bus)
	if owner == account {
		return name
	}
	return topology.BusARN(si.b.region, accountIDOf(si.sc.Topology, owner), name)
}

// metadataString reads "key":"value" from a detail's metadata.
func metadataString(detail []byte, key string) (string, bool) {
	k := []byte(`"` + key + `":"`)
	i := bytes.Index(detail, k)
	if i < 0 {
		return "", false
	}
	rest := detail[i+len(k):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return "", false
	}
	return string(rest[:j]), true
}

// metadataInt reads "key":N from a detail's metadata.
func metadataInt(detail []byte, key string) (int64, bool) {
	k := []byte(`"` + key + `":`)
	i := bytes.Index(detail, k)
	if i < 0 {
		return 0, false
	}
	rest := detail[i+len(k):]
	j := 0
	for j < len(rest) && (rest[j] >= '0' && rest[j] <= '9' || rest[j] == '-') {
		j++
	}
	n, err := strconv.ParseInt(string(rest[:j]), 10, 64)
	return n, err == nil
}

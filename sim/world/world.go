package world

import (
	"fmt"
	"slices"

	"io"
	"time"

	"github.com/busdrill/busdrill/actors"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/internal/pipeline"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/sim/backbone"
	"github.com/busdrill/busdrill/topology"
)

// Options configure a run.
type Options struct {
	Scenario *scenarios.Scenario
	// Shard runs one shard of the arrival schedule (zero: the whole run).
	Shard loadgen.Shard
	// Trace, when set, receives every model observation as a JSON line.
	Trace io.Writer
	// Version is stamped into the results.
	Version string
	// Progress, when set, is called about once per virtual second with
	// the virtual time reached and the cut-off.
	Progress func(now, cutoff time.Duration, sent, completed int64)
	// Stop, when set, is asked whether to stop early (an interrupt):
	// about once per virtual second, and every few milliseconds of work
	// within a second. The results are then marked interrupted.
	Stop func() bool
	// MaxOrders, when not zero, ends the traffic after that many orders
	// (a pilot run: see runner.Estimate); the run still drains to its
	// cut-off, and plans only those orders.
	MaxOrders int64
	// Sample, when set, receives the run's state at the end of every
	// virtual second and at the cut-off (see Sample).
	Sample func(*Sample)
	// Concurrent runs the measurement (measure.go: the recorder and what
	// computes its calls) on a goroutine of its own, fed the model
	// side's notes in order (internal/pipeline), and has the model draw
	// its hop latencies, run times and records, and the producer its
	// arrivals (arrivals.go), ahead on goroutines of their own
	// (backbone.Params.DrawAhead): on two cores all overlap the model.
	// The results are the same either way.
	Concurrent bool

	// keepJourneys turns retirement off (see retire.go), eagerDetails
	// the lazy details (details.go): the tests that show they change
	// nothing compare runs with and without them.
	keepJourneys, eagerDetails bool
}

// Run runs the scenario to its cut-off (traffic duration plus drain) and
// returns the results, expectations evaluated, and the number of engine
// events the model processed (a cost figure, kept out of the results).
func Run(opts Options) (*report.Results, uint64, error) {
	w, err := build(opts)
	if err != nil {
		return nil, 0, err
	}
	defer w.notes.Close() // a concurrent measure's goroutine ends with the run
	defer w.model.Close() // and so do the latency draws' (Params.DrawAhead)
	w.run()
	if w.faults.err != nil {
		return nil, 0, w.faults.err
	}
	res := w.finish()
	if w.trace != nil {
		if err := w.trace.Flush(); err != nil {
			return nil, 0, fmt.Errorf("writing the trace: %w", err)
		}
	}
	return res, w.model.Processed(), nil
}

// world is one run's state.
type world struct {
	opts    Options
	sc      *scenarios.Scenario
	model   *backbone.Model
	router  *topology.Router
	factory *loadgen.Factory
	sched   *loadgen.Schedule

	traffic, cutoff sim.Time
	// trafficBus is the bus orders go to; orderBusName how the producer
	// names it in PutEvents entries (an ARN when it is in another account).
	trafficBus string
	// firstConsumer is the consumer reference of the service that
	// consumes Order.Created: its acceptance and run are the journey's
	// middle hops.
	firstConsumer string

	// journeys are the journeys started and not retired, as the model
	// side needs them; their measurement is measure's.
	journeys journeyStates
	services map[string]*service // by handler reference
	// serviceList are the services in the scenario's order.
	serviceList []*service

	// notes carry what the measurement must learn to measure.
	notes   *pipeline.Pipe[note]
	measure *measure
	// senderSlots is noteSender's lookaside (notes.go).
	senderSlots [8]senderSlot

	// lazyDetails: journey events are published without their details
	// (see lazyDetailsPossible).
	lazyDetails bool

	sent        int64
	interrupted bool
	// profile is the traffic's rate shape, for the orders an interrupted
	// run never reached (see producer.planned).
	profile  loadgen.Profile
	producer *producer
	trace    *backbone.TraceWriter

	streams rng.Streams
	// clientList are the accounts' PutEvents clients, by first use.
	clientList []*client
	faults     *faults
	// usage and sampled serve Options.Sample (sample.go).
	usage           *usageMeter
	sampled         Sample
	maxRequestBytes int
}

func build(opts Options) (*world, error) {
	sc := opts.Scenario
	if sc == nil {
		return nil, fmt.Errorf("world: no scenario")
	}
	if err := opts.Shard.Validate(); err != nil {
		return nil, err
	}
	streams := rng.NewStreams(sc.Seed)
	profile, err := loadgen.Compile(sc.Traffic.Arrivals.Shape)
	if err != nil {
		return nil, err
	}
	w := &world{
		opts:       opts,
		sc:         sc,
		traffic:    sim.At(profile.Duration()),
		trafficBus: sc.Traffic.Bus,
		services:   map[string]*service{},
		streams:    streams,
	}
	w.faults = newFaults(w, sc.Faults)
	w.cutoff = w.traffic.Add(sc.Drain)
	w.sched, err = sc.Traffic.Arrivals.Schedule(streams.Get(loadgen.StreamArrivals), opts.Shard)
	if err != nil {
		return nil, err
	}
	stride := max(opts.Shard.Count, 1)
	w.journeys.stride = stride

	params := ParamsFor(sc)
	w.maxRequestBytes = params.MaxRequestBytes
	if w.maxRequestBytes == 0 {
		w.maxRequestBytes = event.DefaultMaxRequestBytes
	}
	w.factory, err = loadgen.NewFactory(loadgen.FactoryConfig{
		RunID:   fmt.Sprintf("%s-%d", sc.Name, sc.Seed),
		Payload: sc.Traffic.Payload,
		Origins: sc.Traffic.Origins,
		// A detail the model's request limit refuses is never built.
		MaterialiseLimit: w.maxRequestBytes,
	}, streams)
	if err != nil {
		return nil, err
	}
	params.Details = detailCodec{w}
	params.Holds = holder{w}
	params.DrawAhead = opts.Concurrent
	params.Handlers = slices.Clone(params.Handlers)
	for i := range params.Handlers {
		h := &params.Handlers[i]
		for _, s := range sc.Services {
			if s.Handler != h.Handler {
				continue
			}
			svc, err := newService(w, s, stride)
			if err != nil {
				return nil, err
			}
			w.services[s.Handler] = svc
			w.serviceList = append(w.serviceList, svc)
			h.OnSuccess = svc.onSuccess
			w.attachPoison(h)
			if s.On == w.factory.Type(loadgen.OrderCreated).DetailType {
				w.firstConsumer = s.Consumer()
			}
		}
	}

	var obs backbone.Observer = backbone.Filter(w, observed)
	if opts.Trace != nil {
		w.trace = backbone.NewTraceWriter(opts.Trace)
		obs = backbone.Multi(obs, w.trace)
	}
	if opts.Sample != nil {
		w.usage = &usageMeter{}
		obs = backbone.Multi(obs, w.usage)
	}
	w.model, err = backbone.New(sc.Topology, params, obs)
	if err != nil {
		return nil, err
	}
	w.router = w.model.Router()
	if w.lazyDetails = lazyDetailsPossible(w.router) && !opts.eagerDetails; w.lazyDetails {
		for _, s := range w.serviceList {
			s.core.LazyDetails()
		}
	}

	w.profile = profile
	rec := actors.Plan{
		Scenario: sc, Target: "sim", Version: opts.Version, Shard: opts.Shard,
		Traffic: w.traffic.Duration(), Cutoff: w.cutoff.Duration(),
		ControlPlaneLag: params.ControlPlaneLag,
		Quotas: actors.Quotas(sc.Topology.Accounts, func(a string) (float64, float64) {
			put, inv, _ := w.model.QuotasOf(a)
			return put, inv
		}),
	}.Recorder()
	// The measure's own router: a Router is not safe for concurrent use,
	// and the model's is busy.
	router, err := topology.NewRouter(sc.Topology)
	if err != nil {
		w.model.Close()
		return nil, err
	}
	w.measure = &measure{
		rec: rec, journeys: actors.NewJourneys(rec, stride), router: router, factory: w.factory,
		trafficBus: w.trafficBus, firstConsumer: w.firstConsumer, services: map[string]bool{},
	}
	for ref := range w.services {
		w.measure.services[ref] = true
	}
	w.notes = pipeline.New(notesBatch, opts.Concurrent, w.measure.apply)
	return w, nil
}

// stopCheckEvents is how many engine events run between two looks at
// Options.Stop: a few milliseconds of work, so an interrupt is noticed
// at once however dense virtual time is.
const stopCheckEvents = 1 << 14

// run drives the model from the first arrival to the cut-off, one
// virtual second at a time (progress), and in slices of stopCheckEvents
// events within a second (interrupts).
func (w *world) run() {
	p := &producer{w: w, arrivals: newArrivals(w.sched, w.factory.Sizer(), w.opts.Concurrent)}
	defer p.arrivals.close()
	w.producer = p
	p.id = w.model.AddWaker(p)
	p.next()
	w.faults.schedule()
	for t := sim.Time(0); t < w.cutoff; {
		t = min(t.Add(time.Second), w.cutoff)
		for !w.model.RunUntilN(t, stopCheckEvents) {
			if w.stopped() {
				return
			}
		}
		if w.opts.Progress != nil {
			w.opts.Progress(t.Duration(), w.cutoff.Duration(), w.sent, w.measure.completed.Load())
		}
		if w.opts.Sample != nil {
			w.sample(t.Duration())
		}
		if w.stopped() {
			return
		}
	}
}

// stopped asks Options.Stop, and remembers a yes.
func (w *world) stopped() bool {
	if !w.interrupted && w.opts.Stop != nil && w.opts.Stop() {
		w.interrupted = true
	}
	return w.interrupted
}

// finish assembles the results and evaluates the expectations.
func (w *world) finish() *report.Results {
	metrics := map[string]int64{}
	for _, m := range w.model.Metrics() {
		key := m.Name
		if m.Scope != "" {
			key = m.Scope + ":" + m.Name
		}
		metrics[key] += int64(m.Value)
	}
	w.notes.Close() // every note applied: the recorder is the model side's again
	rec := w.measure.rec
	rec.Planned(w.producer.planned())
	res := rec.Finish(metrics)
	res.Interrupted = w.interrupted
	conds := w.sc.Conditions()
	res.Evaluate(conds)
	return res
}

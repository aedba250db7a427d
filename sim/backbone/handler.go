package backbone

import (
	"fmt"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/topology"
)

type handlerState struct {
	ref, arn string
	acct     int
	spec     HandlerSpec
	// runs draws the run times; the failure draws share its stream,
	// runs.r (it draws ahead only while FailureProbability is 0).
	runs    *draw
	busy    int
	backlog backlog // accepted invocations waiting for a free slot, FIFO
	outage  string
	stalled bool // StallHandler: start no run
	call    HandlerCall
	// rate is the handler's throughput limit (HandlerSpec.MaxRate; an
	// unlimited bucket without one).
	rate bucket
	load handlerLoad // counters for HandlerLoads (load.go)
}

// HandlerCall is what a handler's OnSuccess receives: the event and a way
// to publish as the handler's account. It is valid only during the call.
type HandlerCall struct {
	m *Model
	// Handler is the handler reference; Account its account name.
	Handler string
	Account string
	// Consumer is the target reference the invocation came through.
	Consumer string
	// Env is the event (immutable; it may be kept).
	Env *event.Envelope
	// Tag is the event's event.Entry.Tag.
	Tag uint64
	// Duplicate marks an extra at-least-once delivery.
	Duplicate bool
	// Attempt is the handler's retry number of this run (0 first).
	Attempt int
	acct    int
	rec     *record
}

// Detail returns the event's detail, building it first if the model had
// not (see event.Entry.DetailLazy): Env.Detail is nil until then.
func (c *HandlerCall) Detail() []byte {
	if c.rec != nil {
		c.m.materialise(c.rec)
	}
	return c.Env.Detail
}

// Now returns the virtual time of the call.
func (c *HandlerCall) Now() sim.Time { return c.m.Now() }

// Model returns the model, e.g. to schedule a wake-up.
func (c *HandlerCall) Model() *Model { return c.m }

// PutEvents publishes entries as the handler's account (see
// Model.PutEvents).
func (c *HandlerCall) PutEvents(entries []event.Entry) Response {
	return c.m.putEvents(nil, c.acct, entries)
}

// PutEventsTo is PutEvents appending the results to dst[:0].
func (c *HandlerCall) PutEventsTo(dst []event.Result, entries []event.Entry) Response {
	return c.m.putEvents(dst, c.acct, entries)
}

func (m *Model) buildHandlers(s rng.Streams) error {
	specs := map[string]int{}
	for i := range m.p.Handlers {
		ref := m.p.Handlers[i].Handler
		if _, ok := m.names.Handler(ref); !ok {
			return fmt.Errorf("backbone: Params.Handlers[%d]: unknown handler %q", i, ref)
		}
		if _, dup := specs[ref]; dup {
			return fmt.Errorf("backbone: Params.Handlers[%d]: duplicate spec for %q", i, ref)
		}
		specs[ref] = i
	}
	for i := range m.topo.Handlers {
		h := &m.topo.Handlers[i]
		ref := h.Ref()
		spec := DefaultHandlerSpec(ref)
		if j, ok := specs[ref]; ok {
			given := m.p.Handlers[j]
			if given.Concurrency <= 0 {
				given.Concurrency = spec.Concurrency
			}
			if given.Process == nil {
				given.Process = spec.Process
			}
			if given.RetryDelays == nil {
				given.RetryDelays = spec.RetryDelays
			}
			spec = given
		}
		a, _ := m.names.Account(h.Account)
		runs := newDraw(spec.Process, s.Source("handler/"+ref), m.p.DrawAhead && spec.FailureProbability == 0)
		hs := handlerState{
			ref: ref, acct: a, spec: spec, runs: runs,
			arn: topology.FunctionARN(m.region, m.accounts[a].id, h.Name),
		}
		hs.call = HandlerCall{m: m, Handler: ref, Account: m.accounts[a].name, acct: a}
		hs.rate = newBucket(spec.MaxRate, 0)
		m.handlers = append(m.handlers, hs)
	}
	return nil
}

// handlerSubmit queues an accepted invocation for a run.
func (m *Model) handlerSubmit(e ev) {
	h := &m.handlers[e.hnd]
	if h.busy < h.spec.Concurrency && !h.stalled {
		m.handlerStart(h, e)
		return
	}
	m.park(&h.backlog, e)
}

func (m *Model) handlerStart(h *handlerState, e ev) {
	h.busy++
	if o := m.at(m.begin(KindHandlerStarted, e.rec), int(e.bus), int(e.rule), int(e.tgt)); o != nil {
		o.Attempt, o.Duplicate = int(e.attempt), e.dup
		m.emit(o)
	}
	e.kind = evHandlerDone
	d := h.runs.next()
	h.load.work += d
	h.load.runs++
	m.pushAfter(d, e)
}

// handlerRetry resubmits a run the handler retries itself.
func (m *Model) handlerRetry(e ev) {
	m.handlers[m.buses[e.bus].rules[e.rule].targets[e.tgt].handler].load.retrying--
	m.handlerSubmit(e)
}

// handlerDone ends a run: success delivers (and calls the business
// logic), failure retries per the handler's own policy or drops.
func (m *Model) handlerDone(e ev) {
	h := &m.handlers[e.hnd]
	h.busy--
	failed, cause := m.runFails(h, e.rec)
	if failed {
		if o := m.at(m.begin(KindHandlerFailed, e.rec), int(e.bus), int(e.rule), int(e.tgt)); o != nil {
			o.Cause, o.Attempt, o.Duplicate = cause, int(e.attempt), e.dup
			m.emit(o)
		}
		if int(e.attempt) < len(h.spec.RetryDelays) {
			d := h.spec.RetryDelays[e.attempt]
			e.attempt++
			e.kind = evHandlerRetry
			h.load.retrying++
			m.pushAfter(d, e)
		} else if !e.dup {
			if o := m.at(m.begin(KindDropped, e.rec), int(e.bus), int(e.rule), int(e.tgt)); o != nil {
				o.Cause, o.Attempt = CauseHandlerFailed, int(e.attempt)
				m.emit(o)
			}
			m.downstream = append(m.downstream[:0], m.buses[e.bus].rules[e.rule].targets[e.tgt].consumer)
			m.routeLost(e.rec, int(e.bus), int(e.rule), int(e.tgt), CauseHandlerFailed, "")
		}
	} else {
		if o := m.at(m.begin(KindDelivered, e.rec), int(e.bus), int(e.rule), int(e.tgt)); o != nil {
			o.Attempt, o.Duplicate, o.Hopped = int(e.attempt), e.dup, e.hopped
			m.emit(o)
		}
	}
	if h.backlog.len() > 0 && !h.stalled {
		m.startWaiting(h)
	}
	if !failed && h.spec.OnSuccess != nil {
		c := &h.call
		c.Consumer = m.buses[e.bus].rules[e.rule].targets[e.tgt].consumer
		c.Env, c.Tag, c.Duplicate, c.Attempt, c.rec = &e.rec.env, e.rec.tag, e.dup, int(e.attempt), e.rec
		h.spec.OnSuccess(c)
		c.Env, c.Tag, c.rec = nil, 0, nil
	}
}

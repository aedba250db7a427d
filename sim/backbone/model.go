package backbone

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/internal/pipeline"
	"github.com/busdrill/busdrill/pattern"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/topology"
)

// Model is the in-memory EventBridge backbone: buses, rules, targets,
// policies, quotas, retries, DLQs, archives and replays, running on a
// sim.Engine in virtual time. It is single-threaded and deterministic:
// the same topology, Params and calls give the same observations.
type Model struct {
	p      Params
	topo   *topology.Topology
	router *topology.Router
	names  *topology.Index
	// busMemo spares putEntry the index for a sender's usual bus.
	busMemo busMemo
	region  string
	epoch   time.Time

	eng sim.Engine[ev]
	// obs receives the observations (see observerOf); nil when there is
	// no observer.
	obs Observer
	// want are the kinds obs wants (see Selective): the others are not
	// built (nor hopped ingestions, with OmitsHops).
	want KindSet
	o    Observation

	accounts []accountState
	buses    []busState
	queues   []queueState
	handlers []handlerState
	archives []archiveState
	replays  []replayState
	roles    map[string]int // "account/role" → index in roleDenied
	denied   []bool

	control []func() // pending control-plane changes, FIFO (constant lag)
	// busSlots holds every bus slot by reference, deleted ones included
	// (runtime.go); nil until the runtime control plane first needs it.
	busSlots map[string]int
	wakers   []Waker

	// rIDs draws the events' ids, when records are not made ahead
	// (alloc.go).
	rIDs *rand.Rand
	// The latencies, each from its own stream (draw.go).
	latAck, latIngest, latForward, latDeliver, latInvoke *draw
	// records serves the records of new events, made ahead on a
	// goroutine with their ids (Params.DrawAhead; not started: made when
	// needed), kept in the model's memory as a draw keeps its Ahead.
	records                 pipeline.Ahead[*record]
	rDup, rJitter, rArchive *rand.Rand

	fault faults // fault hooks' state (faults.go)

	// holds is Params.Holds (see holds.go).
	holds Holder

	scratch pattern.Scratch
	// detailScratch is the scanner state for validating PutEvents details.
	detailScratch event.Flat
	hits          []int
	downstream    []string
	// metas are the envelope metas of packed waiting events (see park).
	metas []envMeta
}

// ev is one scheduled engine event. It is a small value (no pointers but
// rec), so scheduling never allocates.
type ev struct {
	rec     *record
	at0     sim.Time // invoke: when the rule matched (the event's age base); wake: arg
	kind    evKind
	hopped  bool
	dup     bool
	granted bool // invoke: the invocations quota has admitted it
	attempt uint16
	// gen is the generation of the target slot an invocation or handler
	// run was scheduled for: a slot the runtime control plane has since
	// reused has another (runtime.go).
	gen  uint16
	bus  int32 // bus, handler, archive, replay or waker index
	rule int32
	tgt  int32
	// hnd is the handler index of a handler run (the target may change
	// while the run is under way).
	hnd int32
}

type evKind uint8

const (
	evIngest evKind = iota + 1
	evInvoke
	evHandlerDone
	evHandlerRetry
	evControl
	evArchive
	evReplay
	evWake
)

// record is one published event: its envelope and who sent it. It is the
// only per-event allocation of the model; the envelope is shared by every
// bus, rule and target the event reaches.
type record struct {
	// The fields every event of the record reads come first, with the
	// envelope's ID right after them: an event's first touch of its
	// record (usually a cache miss) then fetches them all at once.
	tag    uint64   // the entry's Tag
	at     sim.Time // when PutEvents accepted it
	sender int32    // account index of the publisher
	replay int32    // replay index, or -1
	// refs counts what refers to the record: scheduled engine events,
	// backlog entries, archives, replays, DLQ messages (see holds.go).
	refs int32
	// lazy: the detail is not built yet (env.Detail is nil); token
	// builds it through Params.Details, and size is its length (see
	// lazy.go).
	lazy  bool
	size  int32
	token uint64
	env   event.Envelope
	id    [36]byte
}

type accountState struct {
	name, id string
	info     topology.Account
	// quota is the account's configured quotas (Params, with its
	// AccountQuotas entry); the buckets hold the quotas in force.
	quota    AccountQuota
	put, inv bucket
	metrics  [numAccountMetrics]uint64
}

type busState struct {
	ref, name, arn string
	acct           int
	policy         []topology.Statement // live
	rules          []ruleState
	archives       []int
	matched        uint64 // MatchedEvents, bus dimension
	outage         string
	// matcher matches the rules' patterns (index = rule index; deleted
	// rules have none); memo remembers its answers (matchmemo.go).
	matcher *pattern.Matcher
	memo    matchMemo
	// deleted: the bus does not exist (deleted, or only named by a
	// target); its slot is kept for its reference (runtime.go).
	deleted bool
}

type ruleState struct {
	name, arn string
	enabled   bool
	targets   []targetState
	metrics   [numRuleMetrics]uint64
	// pattern is the rule's compiled pattern; deleted marks a free slot.
	pattern *pattern.Pattern
	deleted bool
}

type targetState struct {
	kind      topology.TargetKind
	id        string
	consumer  string // target reference
	arn       string
	dest      int // bus target: destination bus
	queue     int // queue target
	handler   int // handler target
	role      int // bus target: role index, -1 when none
	crossAcct bool
	retries   int
	maxAge    time.Duration
	dlq       int // queue index or -1
	outage    string
	lat       *draw
	// gen counts the slot's uses; removed marks a free slot (runtime.go).
	gen     uint16
	removed bool
	load    targetLoad // counters for TargetLoads (load.go)
}

type queueState struct {
	ref, arn string
	acct     int
	outage   string
	// missing: the queue does not exist (deleted, or named by a target
	// before it was created): deliveries fail with NO_RESOURCE.
	missing bool
}

// Waker is an actor the model wakes at times it asks for (see WakeAt): the
// seam through which load generators and fault schedules share the
// model's clock.
type Waker interface {
	Wake(now sim.Time, arg int64)
}

// New builds a model of t. t must validate (see topology.Validate); obs
// may be nil.
func New(t *topology.Topology, p Params, obs Observer) (*Model, error) {
	router, err := topology.NewRouter(t)
	if err != nil {
		return nil, err
	}
	p.fill()
	m := &Model{p: p, topo: t, router: router, names: topology.NewIndex(t), roles: map[string]int{}, holds: p.Holds}
	if m.obs = observerOf(obs); m.obs != nil {
		m.want = kindsOf(obs)
	}
	m.epoch = p.Epoch
	if m.epoch.IsZero() {
		m.epoch = sim.Epoch
	}
	m.region = p.Region
	if m.region == "" {
		m.region = t.RegionOrDefault()
	}
	if p.PutEventsTPS == 0 {
		m.p.PutEventsTPS = topology.PutEventsTPSByRegion(m.region)
	}
	if p.InvocationsTPS == 0 {
		m.p.InvocationsTPS = topology.InvocationsTPSByRegion(m.region)
	}
	s := rng.NewStreams(p.Seed)
	lat := &m.p.Latency
	m.latAck = newDraw(lat.Ack, s.Source("latency/ack"), p.DrawAhead)
	m.latIngest = newDraw(lat.Ingest, s.Source("latency/ingest"), p.DrawAhead)
	m.latForward = newDraw(lat.Forward, s.Source("latency/forward"), p.DrawAhead)
	m.latDeliver = newDraw(lat.Deliver, s.Source("latency/delivery"), p.DrawAhead)
	m.latInvoke = newDraw(lat.Invoke, s.Source("latency/invoke"), p.DrawAhead)
	m.rDup, m.rJitter, m.rArchive = s.Get("duplicates"), s.Get("retry-jitter"), s.Get("archive-lag")
	if ids := s.Get("ids"); p.DrawAhead {
		m.records.Start(recordBatch, recordMaker(ids))
	} else {
		m.rIDs = ids
	}

	for i := range t.Accounts {
		a := &t.Accounts[i]
		q := m.accountQuota(a.Name)
		m.accounts = append(m.accounts, accountState{
			name: a.Name, id: a.ID, info: *a, quota: q,
			put: newBucket(q.PutEventsTPS, q.PutEventsBurst),
			inv: newBucket(q.InvocationsTPS, q.InvocationsBurst),
		})
	}
	for i := range t.Queues {
		q := &t.Queues[i]
		a, _ := m.names.Account(q.Account)
		m.queues = append(m.queues, queueState{ref: q.Ref(), arn: topology.QueueARN(m.region, t.Accounts[a].ID, q.Name), acct: a})
	}
	if err := m.buildHandlers(s); err != nil {
		m.Close()
		return nil, err
	}
	for b := range t.Buses {
		m.buses = append(m.buses, m.buildBus(b))
	}
	if err := m.buildArchives(); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

func (m *Model) buildBus(b int) busState {
	t := m.topo
	bus := &t.Buses[b]
	a, _ := m.names.Account(bus.Account)
	bs := busState{
		ref: bus.Ref(), name: bus.Name, acct: a,
		arn:     topology.BusARN(m.region, t.Accounts[a].ID, bus.Name),
		policy:  append([]topology.Statement(nil), bus.Policy...),
		matcher: m.router.Matcher(b),
	}
	for i := range bus.Rules {
		r := &bus.Rules[i]
		rs := ruleState{name: r.Name, enabled: r.IsEnabled(), arn: topology.RuleARN(m.region, t.Accounts[a].ID, bus.Name, r.Name)}
		rs.pattern, _ = pattern.Compile([]byte(r.Pattern)) // the router compiled it already
		for k := range r.Targets {
			tg := &r.Targets[k]
			ts := targetState{
				kind: tg.Kind, id: tg.ID, consumer: m.router.TargetRef(b, i, k),
				dest: -1, queue: -1, handler: -1, role: -1, dlq: -1,
				retries: tg.Retry.Attempts(), maxAge: tg.Retry.MaxAge(),
			}
			switch tg.Kind {
			case topology.KindBus:
				ts.dest = m.router.Dest(b, i, k)
				d := &t.Buses[ts.dest]
				da, _ := m.names.Account(d.Account)
				ts.arn = topology.BusARN(m.region, t.Accounts[da].ID, d.Name)
				ts.crossAcct = da != a
				if tg.Role != "" {
					ts.role = m.roleIndex(bus.Account + "/" + tg.Role)
				}
				ts.lat = m.latForward
			case topology.KindQueue:
				ts.queue, _ = m.names.Queue(tg.Queue)
				ts.arn = m.queues[ts.queue].arn
				ts.lat = m.latDeliver
			case topology.KindLog:
				ts.arn = topology.LogARN(m.region, t.Accounts[a].ID, tg.Log)
				ts.lat = m.latDeliver
			case topology.KindHandler:
				ts.handler, _ = m.names.Handler(tg.Handler)
				ts.arn = m.handlers[ts.handler].arn
				ts.lat = m.latInvoke
			}
			if tg.DLQ != "" {
				ts.dlq, _ = m.names.Queue(tg.DLQ)
			}
			rs.targets = append(rs.targets, ts)
		}
		bs.rules = append(bs.rules, rs)
	}
	return bs
}

func (m *Model) roleIndex(key string) int {
	if i, ok := m.roles[key]; ok {
		return i
	}
	m.roles[key] = len(m.denied)
	m.denied = append(m.denied, false)
	return len(m.denied) - 1
}

// Now returns the current virtual time.
func (m *Model) Now() sim.Time { return m.eng.Now() }

// Close ends the goroutines of a model that draws ahead
// (Params.DrawAhead); the model must not be stepped after. It does
// nothing otherwise, and nothing the second time.
func (m *Model) Close() {
	for _, x := range []*draw{m.latAck, m.latIngest, m.latForward, m.latDeliver, m.latInvoke} {
		x.close()
	}
	for i := range m.handlers {
		m.handlers[i].runs.close()
	}
	m.records.Close()
}

// NextEventTime returns the time of the next scheduled engine event, or
// sim.Never when nothing is scheduled: how long a wall-clock driver may
// sleep.
func (m *Model) NextEventTime() sim.Time { return m.eng.PeekTime() }

// Wall maps a virtual instant onto the calendar: Params.Epoch (default
// sim.Epoch) plus t. Envelope times, archive retention and replay windows
// use it.
func (m *Model) Wall(t sim.Time) time.Time { return m.epoch.Add(time.Duration(t)) }

// Pending returns the number of scheduled engine events: the work in
// flight.
func (m *Model) Pending() int { return m.eng.Pending() }

// Processed returns the number of engine events processed so far.
func (m *Model) Processed() uint64 { return m.eng.Processed() }

// Topology returns the topology the model was built from.
func (m *Model) Topology() *topology.Topology { return m.topo }

// Router returns the nominal router (expected routes) of the topology,
// sharing the model's compiled patterns.
func (m *Model) Router() *topology.Router { return m.router }

// Region returns the Region the model runs in.
func (m *Model) Region() string { return m.region }

// AddWaker registers an actor and returns its id for WakeAt.
func (m *Model) AddWaker(w Waker) int {
	m.wakers = append(m.wakers, w)
	return len(m.wakers) - 1
}

// WakeAt schedules w.Wake(t, arg) for the waker with that id.
func (m *Model) WakeAt(t sim.Time, id int, arg int64) {
	m.eng.At(t, ev{kind: evWake, bus: int32(id), at0: sim.Time(arg)})
}

// Step processes the next engine event; false when there is none.
func (m *Model) Step() bool { return m.stepUntil(sim.Never) }

// stepUntil processes the next engine event if it is due at or before
// t; false when there is none.
func (m *Model) stepUntil(t sim.Time) bool {
	_, e, ok := m.eng.NextUntil(t)
	if !ok {
		return false
	}
	m.dispatch(e)
	if e.rec != nil {
		m.unref(e.rec) // the scheduled event's reference (see push)
	}
	return true
}

// RunUntil processes every event scheduled at or before t, then moves the
// clock to t.
func (m *Model) RunUntil(t sim.Time) {
	for m.stepUntil(t) {
	}
	m.eng.AdvanceTo(t)
}

// RunUntilN processes at most n of the events scheduled at or before t.
// When none of them is left it moves the clock to t and reports true;
// otherwise the clock stays at the last event processed. A caller that
// must notice an interrupt runs in such slices, since a dense stretch of
// virtual time (a huge rate) can hold any number of events.
func (m *Model) RunUntilN(t sim.Time, n int) bool {
	for ; n > 0; n-- {
		if !m.stepUntil(t) {
			m.eng.AdvanceTo(t)
			return true
		}
	}
	if m.eng.PeekTime() > t {
		m.eng.AdvanceTo(t)
		return true
	}
	return false
}

// RunUntilIdle processes events until none is left or maxEvents have been
// processed (0 means no limit); it reports whether the model went idle.
func (m *Model) RunUntilIdle(maxEvents uint64) bool {
	for n := uint64(0); maxEvents == 0 || n < maxEvents; n++ {
		if !m.Step() {
			return true
		}
	}
	return m.eng.Pending() == 0
}

func (m *Model) dispatch(e ev) {
	switch e.kind {
	case evIngest:
		m.ingest(e.rec, int(e.bus), e.hopped, e.dup)
	case evInvoke:
		m.invoke(e)
	case evHandlerDone:
		m.handlerDone(e)
	case evHandlerRetry:
		m.handlerRetry(e)
	case evControl:
		f := m.control[0]
		m.control[0] = nil
		m.control = m.control[1:]
		f()
	case evArchive:
		m.archiveAppend(int(e.bus), e.rec)
	case evReplay:
		m.replayStep(int(e.bus))
	case evWake:
		m.wakers[e.bus].Wake(m.eng.Now(), int64(e.at0))
	default:
		panic(fmt.Sprintf("backbone: unknown event kind %d", e.kind))
	}
}

// sample draws a latency from d with stream r.
func sample(d rng.Dist, r *rand.Rand) time.Duration { return rng.Duration(d, r) }

// begin prepares the shared observation for an event; it returns nil when
// nobody observes that kind.
func (m *Model) begin(k Kind, rec *record) *Observation {
	if !m.want.Has(k) {
		return nil
	}
	m.o = Observation{Kind: k, Time: m.eng.Now()}
	if rec != nil {
		if rec.lazy && m.want&WantsDetails != 0 {
			m.materialise(rec)
		}
		// The record's first cache line has all begin reads but a built
		// detail's length and a replay's name: those are read only when
		// there is one (only replays' records have replay ≥ 0 and a
		// ReplayName), which spares most events the miss on the lines
		// after it (record's fields, model.go).
		m.o.Env = &rec.env
		if rec.lazy {
			m.o.DetailBytes = int(rec.size)
		} else {
			m.o.DetailBytes = len(rec.env.Detail)
		}
		m.o.Tag = rec.tag
		m.o.EventID = rec.env.ID
		m.o.Sender = m.accounts[rec.sender].name
		if rec.replay >= 0 {
			m.o.Replay = rec.env.ReplayName
		}
	}
	return &m.o
}

func (m *Model) emit(o *Observation) {
	if o != nil {
		m.obs.Observe(o)
	}
}

// at fills the location fields of o for target k of rule i of bus b (k or
// i may be -1).
func (m *Model) at(o *Observation, b, i, k int) *Observation {
	if o == nil {
		return nil
	}
	bs := &m.buses[b]
	o.Bus, o.Account = bs.ref, m.accounts[bs.acct].name
	if i >= 0 {
		o.Rule = bs.rules[i].name
		if k >= 0 {
			t := &bs.rules[i].targets[k]
			o.Target = t.id
			if t.kind != topology.KindBus {
				o.Consumer = t.consumer
			}
		}
	}
	return o
}

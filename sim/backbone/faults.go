package backbone

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/topology"
)

// The fault hooks: data-plane conditions the chaos engine turns on and
// off (see the package doc, "Fault hooks"). Each applies at once (no
// control-plane lag), is observed as a KindControlApplied whose Message
// says what changed, and has a restore form. Their random decisions come
// from streams of their own ("faults/..."), created when first needed, so
// that a run with a fault and the same run without it differ only by the
// fault's consequences.

// The messages of the per-entry PutEvents failures SetEntryFailure
// injects (event.CodeThrottling and event.CodeInternalFailure): the
// model's wording, as AWS publishes none for PutEvents entries; "Rate
// exceeded" is its usual throttling text, UNCONFIRMED per entry.
const (
	MsgEntryThrottled = "Rate exceeded"
	MsgEntryInternal  = "Internal service error. Please retry the request."
)

// CausePoison is the Cause of a KindHandlerFailed run that failed because
// the handler's poison predicate (HandlerSpec.FailsOn) matched the event.
const CausePoison = "poison"

// Hops of SetExtraLatency.
const (
	HopAck     = "ack"
	HopIngest  = "ingest"
	HopForward = "forward"
	HopDeliver = "deliver"
	HopInvoke  = "invoke"
)

const (
	hAck = iota
	hIngest
	hForward
	hDeliver
	hInvoke
	numHops
)

var hopNames = [numHops]string{HopAck, HopIngest, HopForward, HopDeliver, HopInvoke}

// faults is the state of the fault hooks; its zero value is "no fault".
type faults struct {
	// entry[a]: per-entry failure of account a's PutEvents (nil until
	// SetEntryFailure is first called).
	entry []entryFault

	// dupSaved: dupBase holds Params.DuplicateProbability as configured.
	dupSaved bool
	dupBase  float64

	// lat: some extra latency is set; hop[h] is the hop-wide extra;
	// acct[h][a] the extra of account a's requests (ack, ingest); bus[b]
	// the ingest extra at bus b; tgt[b][i][k] the extra of target k of
	// rule i of bus b (forward, deliver, invoke). Slices are allocated on
	// first use.
	lat  bool
	hop  [numHops]latExtra
	acct [2][]latExtra
	bus  []latExtra
	tgt  [][][]latExtra
	// latStreams keeps one stream per (hop, scope) for the whole run, so
	// that a fault set again continues its sequence.
	latStreams map[string]*rand.Rand

	// dlq[q]: the messages of queue q as a dead-letter queue, oldest first.
	dlq      [][]DLQMessage
	rRedrive *rand.Rand
}

type entryFault struct {
	code, msg string
	p         float64
	r         *rand.Rand
}

type latExtra struct {
	d rng.Dist
	r *rand.Rand
}

func (x *latExtra) sample() time.Duration {
	if x.d == nil {
		return 0
	}
	return rng.Duration(x.d, x.r)
}

// stream returns the named fault stream of the model's seed.
func (m *Model) stream(name string) *rand.Rand { return rng.NewStreams(m.p.Seed).Get(name) }

// applied observes a fault hook's change.
func (m *Model) applied(account, desc string) {
	if o := m.begin(KindControlApplied, nil); o != nil {
		o.Account, o.Message = account, desc
		m.emit(o)
	}
}

func (m *Model) findAccount(account string) (int, error) {
	a, ok := m.names.Account(account)
	if !ok {
		return -1, &APIError{Code: CodeResourceNotFound, Message: "Account " + account + " does not exist."}
	}
	return a, nil
}

func validProbability(p float64) error {
	if !(p >= 0 && p <= 1) {
		return &APIError{Code: CodeValidation, Message: "Probability " + strconv.FormatFloat(p, 'g', -1, 64) + " is not in [0, 1]."}
	}
	return nil
}

func fmtQuota(tps float64, burst int) string {
	s := strconv.FormatFloat(tps, 'g', -1, 64) + "/s"
	if burst > 0 {
		s += " burst " + strconv.Itoa(burst)
	}
	return s
}

// rebucket returns a bucket of the new rate holding as many tokens in use
// as b does at now, so that a quota change neither forgives a burst just
// taken nor punishes for it.
func rebucket(b bucket, now sim.Time, tps float64, burst int) bucket {
	nb := newBucket(tps, burst)
	if nb.interval == b.interval {
		nb.tat = b.tat
	} else if b.interval > 0 && nb.interval > 0 && b.tat > now {
		used := float64(b.tat.Sub(now)) / float64(b.interval)
		nb.tat = now.Add(time.Duration(used * float64(nb.interval)))
	}
	return nb
}

// SetPutEventsQuota changes account's PutEvents quota (requests per
// second and token-bucket depth; burst 0 means one second's worth) at
// once: requests beyond it fail as a whole with ThrottlingException "Rate
// exceeded" (counted in PutEventsApproximateThrottledCount). tps ≤ 0
// restores the configured quota (Params.PutEventsTPS and PutEventsBurst).
// The bucket keeps the number of tokens in use. Quotas still returns the
// configured values.
func (m *Model) SetPutEventsQuota(account string, tps float64, burst int) error {
	return m.setQuota("SetPutEventsQuota", account, tps, burst, false)
}

// SetInvocationsQuota changes account's invocations quota likewise:
// invocations beyond it are delayed, never dropped (KindThrottled,
// ThrottledRules). tps ≤ 0 restores Params.InvocationsTPS and
// InvocationsBurst. Invocations already delayed keep the time they were
// granted; later ones queue behind them at the new rate.
func (m *Model) SetInvocationsQuota(account string, tps float64, burst int) error {
	return m.setQuota("SetInvocationsQuota", account, tps, burst, true)
}

func (m *Model) setQuota(verb, account string, tps float64, burst int, inv bool) error {
	a, err := m.findAccount(account)
	if err != nil {
		return err
	}
	if burst < 0 {
		return &APIError{Code: CodeValidation, Message: "Burst " + strconv.Itoa(burst) + " is negative."}
	}
	as := &m.accounts[a]
	desc := verb + " " + as.name + " "
	if !(tps > 0) {
		desc += "default "
		if inv {
			tps, burst = as.quota.InvocationsTPS, as.quota.InvocationsBurst
		} else {
			tps, burst = as.quota.PutEventsTPS, as.quota.PutEventsBurst
		}
	}
	desc += fmtQuota(tps, burst)
	if inv {
		as.inv = rebucket(as.inv, m.Now(), tps, burst)
	} else {
		as.put = rebucket(as.put, m.Now(), tps, burst)
	}
	m.applied(as.name, desc)
	return nil
}

// SetEntryFailure makes each entry of account's PutEvents requests (also
// those its handlers make) fail with probability p with ErrorCode code,
// ThrottlingException ("Rate exceeded") or InternalFailure ("Internal
// service error. Please retry the request."); any other code is refused.
// Only entries that pass validation and authorization are drawn for (from
// the stream "faults/entries/<account>"); the response stays HTTP 200 with
// FailedEntryCount, the failed entries get no EventId, are observed as
// KindPublishRejected and counted in PutEventsFailedEntriesCount (and the
// request in PutEventsApproximateFailedCount). p 0 restores.
func (m *Model) SetEntryFailure(account, code string, p float64) error {
	a, err := m.findAccount(account)
	if err != nil {
		return err
	}
	if err := validProbability(p); err != nil {
		return err
	}
	var msg string
	switch code {
	case event.CodeThrottling:
		msg = MsgEntryThrottled
	case event.CodeInternalFailure:
		msg = MsgEntryInternal
	default:
		if p > 0 {
			return &APIError{Code: CodeValidation, Message: "ErrorCode " + code + " cannot be injected: use " + event.CodeThrottling + " or " + event.CodeInternalFailure + "."}
		}
	}
	if m.fault.entry == nil {
		m.fault.entry = make([]entryFault, len(m.accounts))
	}
	f := &m.fault.entry[a]
	if f.r == nil {
		f.r = m.stream("faults/entries/" + m.accounts[a].name)
	}
	f.code, f.msg, f.p = code, msg, p
	if p == 0 {
		f.code, f.msg = "", ""
	}
	m.applied(m.accounts[a].name, "SetEntryFailure "+m.accounts[a].name+" "+code+" "+strconv.FormatFloat(p, 'g', -1, 64))
	return nil
}

// entryFault draws whether a valid entry of account s fails; it returns
// the ErrorCode and message, or "".
func (m *Model) entryFault(s int) (code, msg string) {
	if m.fault.entry == nil {
		return "", ""
	}
	return m.entryFaultSlow(s)
}

func (m *Model) entryFaultSlow(s int) (code, msg string) {
	f := &m.fault.entry[s]
	if f.p > 0 && f.r.Float64() < f.p {
		return f.code, f.msg
	}
	return "", ""
}

// SetDuplicateProbability overrides Params.DuplicateProbability for the
// invocations that succeed from now on (EventBridge redelivery: the same
// envelope, same id, observed with Duplicate). A negative p restores the
// configured value; so does setting the value DuplicateProbability
// returned before the change.
func (m *Model) SetDuplicateProbability(p float64) error {
	if !m.fault.dupSaved {
		m.fault.dupSaved, m.fault.dupBase = true, m.p.DuplicateProbability
	}
	if p < 0 {
		p = m.fault.dupBase
	}
	if err := validProbability(p); err != nil {
		return err
	}
	m.p.DuplicateProbability = p
	m.applied("", "SetDuplicateProbability "+strconv.FormatFloat(p, 'g', -1, 64))
	return nil
}

// DuplicateProbability returns the duplicate-delivery probability in force.
func (m *Model) DuplicateProbability() float64 { return m.p.DuplicateProbability }

// SetExtraLatency adds a sample of d to every latency of hop: "ack"
// (PutEvents call → response), "ingest" (call → the event at its bus),
// "forward" (rule match → the destination bus of a bus target), "deliver"
// (→ a queue or log target) or "invoke" (→ a handler accepts). nil
// restores. It applies to what is scheduled from now on (also retries and
// duplicates), not to what is already under way. Samples come from the
// stream "faults/latency/<hop>".
func (m *Model) SetExtraLatency(hop string, d rng.Dist) error {
	return m.SetExtraLatencyAt(hop, "", d)
}

// SetExtraLatencyAt is SetExtraLatency for part of a hop. ref "" is the
// whole hop. For ack and ingest, ref may be an account (its requests);
// for ingest also a bus reference "account/bus" (events arriving there
// from PutEvents). For forward, deliver and invoke, ref is a target
// reference "account/bus/rule/target" (that target), or the reference of
// the bus, queue or handler the targets deliver to (every target of that
// hop delivering to it), as in SetAvailability. A scoped extra adds to the
// hop-wide one; on one target (or account, or bus) the last scoped call
// covering it wins. Samples come from "faults/latency/<hop>/<ref>".
func (m *Model) SetExtraLatencyAt(hop, ref string, d rng.Dist) error {
	h := -1
	for i, n := range hopNames {
		if n == hop {
			h = i
		}
	}
	if h < 0 {
		return &APIError{Code: CodeValidation, Message: "Unknown hop " + strconv.Quote(hop) + ": use ack, ingest, forward, deliver or invoke."}
	}
	name := "faults/latency/" + hop
	if ref != "" {
		name += "/" + ref
	}
	x := latExtra{d: d}
	if d != nil {
		if m.fault.latStreams == nil {
			m.fault.latStreams = map[string]*rand.Rand{}
		}
		if x.r = m.fault.latStreams[name]; x.r == nil {
			x.r = m.stream(name)
			m.fault.latStreams[name] = x.r
		}
	}
	n := 0
	switch {
	case ref == "":
		m.fault.hop[h] = x
		n = 1
	case h == hAck || h == hIngest:
		if a, ok := m.names.Account(ref); ok && !strings.Contains(ref, "/") {
			if m.fault.acct[h] == nil {
				m.fault.acct[h] = make([]latExtra, len(m.accounts))
			}
			m.fault.acct[h][a] = x
			n++
		} else if b, ok := m.names.Bus(ref); ok && h == hIngest {
			if m.fault.bus == nil {
				m.fault.bus = make([]latExtra, len(m.buses))
			}
			m.fault.bus[b] = x
			n++
		}
	default:
		n = m.setTargetLatency(h, ref, x)
	}
	if n == 0 {
		return &APIError{Code: CodeResourceNotFound, Message: "No " + hop + " hop at " + ref + "."}
	}
	m.fault.lat = m.fault.lat || d != nil
	desc := "SetExtraLatency " + hop
	if ref != "" {
		desc += " " + ref
	}
	if d == nil {
		desc += " none"
	} else {
		desc += " " + d.String()
	}
	m.applied("", desc)
	return nil
}

// setTargetLatency sets x on the targets of hop h that ref designates and
// returns how many.
func (m *Model) setTargetLatency(h int, ref string, x latExtra) int {
	want := topology.KindBus
	switch h {
	case hDeliver:
		want = topology.KindQueue
	case hInvoke:
		want = topology.KindHandler
	}
	q, isQueue := m.names.Queue(ref)
	hd, isHandler := m.names.Handler(ref)
	d, isBus := m.names.Bus(ref)
	target := strings.Count(ref, "/") == 3
	n := 0
	for b := range m.buses {
		for i := range m.buses[b].rules {
			for k := range m.buses[b].rules[i].targets {
				t := &m.buses[b].rules[i].targets[k]
				kind := t.kind
				if kind == topology.KindLog {
					kind = topology.KindQueue // deliver hop
				}
				if kind != want {
					continue
				}
				hit := target && t.consumer == ref ||
					!target && (isQueue && t.queue == q || isHandler && t.handler == hd || isBus && t.dest == d)
				if !hit {
					continue
				}
				if m.fault.tgt == nil {
					m.fault.tgt = make([][][]latExtra, len(m.buses))
					for bb := range m.buses {
						m.fault.tgt[bb] = make([][]latExtra, len(m.buses[bb].rules))
						for ii := range m.buses[bb].rules {
							m.fault.tgt[bb][ii] = make([]latExtra, len(m.buses[bb].rules[ii].targets))
						}
					}
				}
				m.fault.tgt[b][i][k] = x
				n++
			}
		}
	}
	return n
}

// extraAck, extraIngest and extraTarget are the extra latencies of a hop:
// zero, without a draw, unless SetExtraLatency was called.
func (m *Model) extraAck(s int) time.Duration {
	if !m.fault.lat {
		return 0
	}
	return m.extraAccount(hAck, s)
}

func (m *Model) extraIngest(s, b int) time.Duration {
	if !m.fault.lat {
		return 0
	}
	return m.extraIngestSlow(s, b)
}

func (m *Model) extraIngestSlow(s, b int) time.Duration {
	d := m.extraAccount(hIngest, s)
	if m.fault.bus != nil {
		d += m.fault.bus[b].sample()
	}
	return d
}

func (m *Model) extraAccount(h, s int) time.Duration {
	d := m.fault.hop[h].sample()
	if m.fault.acct[h] != nil {
		d += m.fault.acct[h][s].sample()
	}
	return d
}

func (m *Model) extraTarget(b, i, k int32) time.Duration {
	if !m.fault.lat {
		return 0
	}
	return m.extraTargetSlow(b, i, k)
}

func (m *Model) extraTargetSlow(b, i, k int32) time.Duration {
	h := hForward
	switch m.buses[b].rules[i].targets[k].kind {
	case topology.KindQueue, topology.KindLog:
		h = hDeliver
	case topology.KindHandler:
		h = hInvoke
	}
	d := m.fault.hop[h].sample()
	if m.fault.tgt != nil {
		d += m.fault.tgt[b][i][k].sample()
	}
	return d
}

// StallHandler stalls a handler (stalled true) or lets it run again
// (false), at once: a stalled consumer. A stalled handler still accepts
// invocations (EventBridge's asynchronous invocation succeeds,
// KindHandlerAccepted) and finishes the runs already started, but starts
// none: accepted invocations, and the handler's own retries as they fall
// due, wait in its backlog. When it is let run again, the backlog starts
// in order, up to Concurrency runs at once, the rest as runs end. The
// backlog is in memory: it grows with the events accepted while stalled.
func (m *Model) StallHandler(handler string, stalled bool) error {
	hi, ok := m.names.Handler(handler)
	if !ok {
		return &APIError{Code: CodeResourceNotFound, Message: "Function not found: " + handler}
	}
	h := &m.handlers[hi]
	h.stalled = stalled
	m.applied(m.accounts[h.acct].name, "StallHandler "+handler+" "+strconv.FormatBool(stalled))
	for !h.stalled && h.busy < h.spec.Concurrency && h.backlog.len() > 0 {
		m.startWaiting(h)
	}
	return nil
}

// SetPoison sets (or, with nil, removes) a handler's poison predicate,
// HandlerSpec.FailsOn, at once: every run on an event it matches fails
// (KindHandlerFailed with Cause "poison"), see HandlerSpec.FailsOn.
func (m *Model) SetPoison(handler string, failsOn func(env *event.Envelope) bool) error {
	hi, ok := m.names.Handler(handler)
	if !ok {
		return &APIError{Code: CodeResourceNotFound, Message: "Function not found: " + handler}
	}
	h := &m.handlers[hi]
	h.spec.FailsOn = failsOn
	m.applied(m.accounts[h.acct].name, "SetPoison "+handler+" "+strconv.FormatBool(failsOn != nil))
	return nil
}

// runFails decides whether a handler run on rec fails, and why: the
// FailureProbability draw happens whether or not the event is poison, so
// a poison predicate shifts nothing in the handler's stream.
func (m *Model) runFails(h *handlerState, rec *record) (bool, string) {
	failed := h.spec.FailureProbability > 0 && h.runs.r.Float64() < h.spec.FailureProbability
	if h.spec.FailsOn != nil {
		m.materialise(rec)
	}
	if h.spec.FailsOn != nil && h.spec.FailsOn(&rec.env) {
		return true, CausePoison
	}
	return failed, CauseHandlerFailed
}

// DLQMessage is one message of a dead-letter queue: the original event
// and EventBridge's message attributes.
type DLQMessage struct {
	// Time is when EventBridge sent it to the queue.
	Time sim.Time
	// Env is the message body, the original event; Tag its Entry.Tag.
	Env *event.Envelope
	Tag uint64
	// Sender is the account that published the event; Target the
	// reference "account/bus/rule/target" of the target that failed.
	Sender string
	Target string
	// The message attributes (RETRY_ATTEMPTS is RetryAttempts;
	// ExhaustedRetryCondition is "" for an error that is not retried).
	RuleARN                 string
	TargetARN               string
	ErrorCode               string
	ErrorMessage            string
	ExhaustedRetryCondition string
	RetryAttempts           int

	rec            *record
	bus, rule, tgt int32
	gen            uint16
	hopped         bool
}

// deadLetter keeps the DLQ message of invocation e (see fail).
func (m *Model) deadLetter(e ev, q int, code, msg, exhausted string) {
	if m.fault.dlq == nil {
		m.fault.dlq = make([][]DLQMessage, len(m.queues))
	}
	rs := &m.buses[e.bus].rules[e.rule]
	t := &rs.targets[e.tgt]
	m.fault.dlq[q] = append(m.fault.dlq[q], DLQMessage{
		Time: m.Now(), Env: &e.rec.env, Tag: e.rec.tag, Sender: m.accounts[e.rec.sender].name, Target: t.consumer,
		RuleARN: rs.arn, TargetARN: t.arn, ErrorCode: code, ErrorMessage: msg,
		ExhaustedRetryCondition: exhausted, RetryAttempts: int(e.attempt),
		rec: e.rec, bus: e.bus, rule: e.rule, tgt: e.tgt, gen: e.gen, hopped: e.hopped,
	})
	m.ref(e.rec)
}

// DLQMessages returns a copy of the messages in queue (a queue reference
// "account/name") that EventBridge dead-lettered there, oldest first, and
// not redriven yet; nil for an unknown or empty queue. The model keeps
// every dead-lettered message until it is redriven: memory grows with the
// failures, as a real DLQ does.
func (m *Model) DLQMessages(queue string) []DLQMessage {
	q, ok := m.names.Queue(queue)
	if !ok || m.fault.dlq == nil || len(m.fault.dlq[q]) == 0 {
		return nil
	}
	for i := range m.fault.dlq[q] {
		m.materialise(m.fault.dlq[q][i].rec)
	}
	return append([]DLQMessage(nil), m.fault.dlq[q]...)
}

// Redrive takes the oldest max messages of queue (max ≤ 0: all) out of it
// and sends each event again to the target that dead-lettered it, as a
// custom redrive function calling that target would (EventBridge has no
// DLQ redrive of its own): a fresh invocation of the same envelope (same
// id, same sender), started now, reaching the target after the hop's
// latency (drawn from the stream "faults/redrive"), not counted against
// the invocations quota, with the target's retry policy and DLQ as for
// any invocation (so a target still failing dead-letters it again) and
// counted in the rule's invocation metrics. The rule's state is not
// consulted: the target is called directly.
//
// For the ledger, each message emits one KindRedriven per route its
// dead-lettering had cut (the KindRouteLost with DLQ true it emitted:
// same Sender, Consumer and EventID; Queue is the DLQ, Cause the
// ERROR_CODE): for a queue, log or handler target that is the target
// itself. The route is then in flight again and ends as usual. It returns
// the number of messages redriven.
func (m *Model) Redrive(queue string, max int) (int, error) {
	q, ok := m.names.Queue(queue)
	if !ok {
		return 0, &APIError{Code: "AWS.SimpleQueueService.NonExistentQueue", Message: "The specified queue does not exist."}
	}
	var msgs []DLQMessage
	if m.fault.dlq != nil {
		msgs = m.fault.dlq[q]
	}
	n := len(msgs)
	if max > 0 && max < n {
		n = max
	}
	take := append([]DLQMessage(nil), msgs[:n]...)
	k := copy(msgs, msgs[n:])
	clear(msgs[k:])
	if m.fault.dlq != nil {
		m.fault.dlq[q] = msgs[:k]
	}
	m.applied(m.accounts[m.queues[q].acct].name,
		"Redrive "+queue+" "+strconv.Itoa(n)+" of "+strconv.Itoa(len(msgs))+" messages")
	if n > 0 && m.fault.rRedrive == nil {
		m.fault.rRedrive = m.stream("faults/redrive")
	}
	for i := range take {
		x := &take[i]
		e := ev{kind: evInvoke, rec: x.rec, bus: x.bus, rule: x.rule, tgt: x.tgt, gen: x.gen, hopped: x.hopped, at0: m.Now(), granted: true}
		if m.want.Has(KindRedriven) {
			m.downstream = m.nominalFromTarget(e)
			for _, c := range m.downstream {
				o := m.at(m.begin(KindRedriven, x.rec), int(e.bus), int(e.rule), int(e.tgt))
				o.Consumer, o.Queue, o.Cause = c, queue, x.ErrorCode
				m.emit(o)
			}
		}
		t := &m.buses[e.bus].rules[e.rule].targets[e.tgt]
		m.pushAfter(sample(t.lat.d, m.fault.rRedrive)+m.extraTarget(e.bus, e.rule, e.tgt), e)
		m.unref(x.rec) // the message left the queue
	}
	return n, nil
}

// Statement returns the statement sid of bus's policy as it is in force
// now (control-plane changes still propagating are not in it), so that a
// fault may remove it and later put the exact statement back.
func (m *Model) Statement(bus, sid string) (topology.Statement, bool) {
	b, ok := m.names.Bus(bus)
	if !ok {
		return topology.Statement{}, false
	}
	for _, s := range m.buses[b].policy {
		if s.Sid == sid {
			return s, true
		}
	}
	return topology.Statement{}, false
}

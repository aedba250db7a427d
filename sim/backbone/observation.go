package backbone

import (
	"bufio"
	"io"
	"strconv"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/sim"
)

// Kind is the kind of an Observation.
type Kind uint8

// Observation kinds. The loss ledger needs only three terminal kinds per
// (event, consumer): Delivered, RouteLost (with DLQ telling "in a DLQ"
// from "dropped"), or nothing yet (in flight). The others explain why.
const (
	_ Kind = iota
	// KindPublishAccepted: a PutEvents entry got an EventId (Entry, Env;
	// Bus is the bus reference, or the unresolvable name as given: pass it
	// to topology.Router.ExpectedRoutes with Sender for the expected routes).
	KindPublishAccepted
	// KindPublishRejected: a PutEvents entry failed (Entry, Cause =
	// ErrorCode or request-level exception, Message). Request-level
	// failures (throttling, too many entries, too large) produce one per
	// entry.
	KindPublishRejected
	// KindIngested: an event arrived at a bus (Bus; Hopped when through a
	// bus-to-bus forward).
	KindIngested
	// KindArchived: an event entered an archive (Message = archive name).
	KindArchived
	// KindRuleMatched: an enabled rule matched an event.
	KindRuleMatched
	// KindRuleDisabled: a rule whose pattern matches was disabled at that
	// instant: the event is dropped for that rule, nothing is queued. One
	// RouteLost per nominal downstream consumer follows.
	KindRuleDisabled
	// KindThrottled: an invocation was delayed by the invocations quota
	// (Delay); it is not lost.
	KindThrottled
	// KindForwarded: a bus target put the event on its destination bus
	// (Message = destination bus reference).
	KindForwarded
	// KindDelivered: the event reached a consumer: a queue or log target on
	// arrival, a handler target when its run completed successfully.
	// Duplicate marks an extra at-least-once delivery.
	KindDelivered
	// KindHandlerAccepted, KindHandlerStarted, KindHandlerFailed: the
	// handler accepted an invocation, started a run (Attempt = handler
	// retry number), or a run failed (Cause "handler-failed").
	KindHandlerAccepted
	KindHandlerStarted
	KindHandlerFailed
	// KindRetryScheduled: an invocation failed with a retryable error
	// (Cause) and will be retried after Delay (Attempt = retries so far).
	KindRetryScheduled
	// KindDeadLettered: a DLQ message was written (Queue = the DLQ; Cause =
	// ERROR_CODE, Message = ERROR_MESSAGE, Exhausted =
	// EXHAUSTED_RETRY_CONDITION, Attempt = RETRY_ATTEMPTS, RuleARN,
	// TargetARN).
	KindDeadLettered
	// KindDropped: the model dropped an event at some point (Cause:
	// "unknown-bus", "rule-disabled", "handler-failed", or the ERROR_CODE of
	// a final invocation failure without DLQ).
	KindDropped
	// KindRouteLost: ledger attribution: the event will never reach
	// Consumer, which it reaches in the nominal topology; DLQ says whether
	// it is in a dead-letter queue (Queue) or dropped (Cause).
	KindRouteLost
	// KindControlApplied: a control-plane change took effect (Message).
	KindControlApplied
	// KindReplayState: a replay changed state (Replay, Message = state).
	KindReplayState
	// KindReplayed: an archived event was re-sent by a replay (Replay).
	KindReplayed
	// KindRedriven: Model.Redrive sent a dead-lettered event again to its
	// target: one per route its dead-lettering cut (Consumer; Queue = the
	// DLQ, Cause = its ERROR_CODE), which is in flight again.
	KindRedriven
	numKinds
)

var kindNames = [numKinds]string{
	KindPublishAccepted: "publish-accepted",
	KindPublishRejected: "publish-rejected",
	KindIngested:        "ingested",
	KindArchived:        "archived",
	KindRuleMatched:     "rule-matched",
	KindRuleDisabled:    "rule-disabled",
	KindThrottled:       "throttled",
	KindForwarded:       "forwarded",
	KindDelivered:       "delivered",
	KindHandlerAccepted: "handler-accepted",
	KindHandlerStarted:  "handler-started",
	KindHandlerFailed:   "handler-failed",
	KindRetryScheduled:  "retry-scheduled",
	KindDeadLettered:    "dead-lettered",
	KindDropped:         "dropped",
	KindRouteLost:       "route-lost",
	KindControlApplied:  "control-applied",
	KindReplayState:     "replay-state",
	KindReplayed:        "replayed",
	KindRedriven:        "redriven",
}

func (k Kind) String() string {
	if k < numKinds && kindNames[k] != "" {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Observation is one state change of the model. The model reuses one
// Observation for every call: an Observer must copy what it keeps (the
// strings and the Env pointer may be kept: they are immutable).
type Observation struct {
	Kind Kind
	Time sim.Time
	// Sender is the name of the account that published the event: with
	// Consumer, the route the ledger counts.
	Sender string
	// Account is the acting account: the publisher for publish kinds, the
	// owner of Bus otherwise.
	Account string
	// Bus, Rule and Target locate the observation ("account/bus", rule
	// name, target id).
	Bus    string
	Rule   string
	Target string
	// Consumer is the consumer reference ("account/bus/rule/target").
	Consumer string
	// Queue is the delivery queue, or the DLQ of KindDeadLettered and
	// KindRouteLost.
	Queue string
	// EventID and Env are the event (Env is nil for rejected entries).
	EventID string
	Env     *event.Envelope
	// DetailBytes is the size of the event's detail, whether or not it
	// was built (a lazy detail is built only for an observer that wants
	// details: see lazy.go).
	DetailBytes int
	// Tag is the event's event.Entry.Tag (0 for rejected entries): the
	// harness's correlation value, never part of the trace.
	Tag uint64
	// Entry is the index of the entry in its PutEvents request.
	Entry int
	// Cause is an error code or drop cause; Message explains it.
	Cause   string
	Message string
	// Attempt is the retry count (RETRY_ATTEMPTS) or handler attempt.
	Attempt int
	// Exhausted is EXHAUSTED_RETRY_CONDITION: "MaximumRetryAttempts",
	// "MaximumEventAgeInSeconds" or "" for a no-retry error.
	Exhausted string
	// RuleARN and TargetARN are DLQ attributes.
	RuleARN   string
	TargetARN string
	// Delay is a throttling or retry delay.
	Delay time.Duration
	// Duplicate marks an extra at-least-once delivery; Hopped an event
	// that came through a bus-to-bus forward; DLQ a RouteLost into a DLQ.
	Duplicate bool
	Hopped    bool
	DLQ       bool
	// Replay is the replay name of a replayed event.
	Replay string
}

// Observer receives the model's observations, in order.
type Observer interface {
	Observe(o *Observation)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(o *Observation)

// Observe calls f(o).
func (f ObserverFunc) Observe(o *Observation) { f(o) }

// KindSet is a set of observation kinds.
type KindSet uint32

// Every kind must fit in a KindSet, below OmitsHops and WantsDetails.
const _ = uint(30 - numKinds)

// WantsDetails, in an observer's kinds, asks for the detail of every
// event it observes: the model builds the details it left unbuilt (see
// lazy.go) before the observer sees them. Without it, Env.Detail is nil
// for such an event.
const WantsDetails = KindSet(1 << 31)

// OmitsHops, in an observer's kinds, declines the KindIngested of events
// arriving through a bus-to-bus forward (Hopped): an observer that follows
// events from their publication needs only their first arrival, and a
// backbone that fans every event out to each service's bus makes a hopped
// arrival of most (half the ingestions of busdrill's reference backbone).
// The model does not build those observations for it.
const OmitsHops = KindSet(1 << 30)

// AllKinds holds every kind, and details.
const AllKinds = KindSet(1<<numKinds-1) | WantsDetails

// KindsOf returns the set of the kinds given.
func KindsOf(kinds ...Kind) KindSet {
	var s KindSet
	for _, k := range kinds {
		s |= 1 << k
	}
	return s
}

// Has reports whether k is in the set.
func (s KindSet) Has(k Kind) bool { return s&(1<<k) != 0 }

// wants reports whether an observer of the set gets an observation of
// kind k, of a hopped event or not (see OmitsHops).
func (s KindSet) wants(k Kind, hopped bool) bool {
	return s.Has(k) && !(hopped && k == KindIngested && s&OmitsHops != 0)
}

// Selective is an Observer that wants only some kinds of observation:
// the model does not build the others (a rule match, a handler start:
// more than a third of a journey's observations are of kinds a harness
// may not need). Filter wraps an Observer into one.
type Selective interface {
	Observer
	Kinds() KindSet
}

// Filter returns obs receiving only the observations of the given kinds.
func Filter(obs Observer, kinds KindSet) Selective { return filtered{obs, kinds} }

type filtered struct {
	Observer
	kinds KindSet
}

func (f filtered) Kinds() KindSet { return f.kinds }

// observerOf returns the observer that receives obs's observations,
// unwrapped from Filter (kinds are the model's to check, kindsOf), so
// that each observation costs the model one call through an interface
// (an observer with an Observe method of its own, as the simulator's
// world has, is called straight away). It returns nil when there is no
// observer: obs, the one it filters, or its ObserverFunc is nil.
func observerOf(obs Observer) Observer {
	for {
		switch o := obs.(type) {
		case nil:
			return nil
		case filtered:
			obs = o.Observer
		case ObserverFunc:
			if o == nil {
				return nil
			}
			return o
		default:
			return obs
		}
	}
}

// kindsOf returns the kinds obs wants: all, unless it is Selective.
func kindsOf(obs Observer) KindSet {
	if s, ok := obs.(Selective); ok {
		return s.Kinds()
	}
	return AllKinds
}

// AppendJSON appends o as one JSON object with a fixed field order,
// omitting empty fields: {"t":ns,"kind":...,...}.
func (o *Observation) AppendJSON(dst []byte) []byte {
	dst = append(dst, `{"t":`...)
	dst = strconv.AppendInt(dst, int64(o.Time), 10)
	dst = append(dst, `,"kind":"`...)
	dst = append(dst, o.Kind.String()...)
	dst = append(dst, '"')
	str := func(k, v string) {
		if v != "" {
			dst = append(dst, ',', '"')
			dst = append(dst, k...)
			dst = append(dst, '"', ':')
			dst = event.AppendJSONString(dst, v)
		}
	}
	str("sender", o.Sender)
	str("account", o.Account)
	str("bus", o.Bus)
	str("rule", o.Rule)
	str("target", o.Target)
	str("consumer", o.Consumer)
	str("queue", o.Queue)
	str("id", o.EventID)
	if o.Kind == KindPublishAccepted || o.Kind == KindPublishRejected {
		dst = append(dst, `,"entry":`...)
		dst = strconv.AppendInt(dst, int64(o.Entry), 10)
	}
	if o.Env != nil && (o.Kind == KindPublishAccepted || o.Kind == KindReplayed) {
		str("detail-type", o.Env.DetailType)
	}
	str("cause", o.Cause)
	str("message", o.Message)
	if o.Attempt != 0 || o.Kind == KindDeadLettered {
		dst = append(dst, `,"attempt":`...)
		dst = strconv.AppendInt(dst, int64(o.Attempt), 10)
	}
	str("exhausted", o.Exhausted)
	str("rule_arn", o.RuleARN)
	str("target_arn", o.TargetARN)
	if o.Delay != 0 {
		dst = append(dst, `,"delay_ns":`...)
		dst = strconv.AppendInt(dst, int64(o.Delay), 10)
	}
	if o.Duplicate {
		dst = append(dst, `,"duplicate":true`...)
	}
	if o.Hopped {
		dst = append(dst, `,"hopped":true`...)
	}
	if o.DLQ {
		dst = append(dst, `,"dlq":true`...)
	}
	str("replay", o.Replay)
	return append(dst, '}')
}

// TraceWriter is an Observer writing one JSON line per observation (what
// `--trace` writes). Call Flush at the end; Err reports the first write
// error.
type TraceWriter struct {
	w   *bufio.Writer
	buf []byte
	err error
	// Filter, when set, selects the observations written.
	Filter func(o *Observation) bool
}

// NewTraceWriter returns a TraceWriter on w.
func NewTraceWriter(w io.Writer) *TraceWriter {
	return &TraceWriter{w: bufio.NewWriterSize(w, 64<<10)}
}

// Kinds says the trace wants every kind, but no detail (it writes none),
// unless its Filter may read one. The model asks when it is built: set
// Filter before.
func (t *TraceWriter) Kinds() KindSet {
	if t.Filter != nil {
		return AllKinds
	}
	return AllKinds &^ WantsDetails
}

// Observe writes o as a JSON line.
func (t *TraceWriter) Observe(o *Observation) {
	if t.err != nil || (t.Filter != nil && !t.Filter(o)) {
		return
	}
	t.buf = append(o.AppendJSON(t.buf[:0]), '\n')
	_, t.err = t.w.Write(t.buf)
}

// Flush flushes buffered lines and returns the first error.
func (t *TraceWriter) Flush() error {
	if t.err != nil {
		return t.err
	}
	t.err = t.w.Flush()
	return t.err
}

// Multi returns an Observer calling each of obs in order, each with the
// kinds it wants; it wants the union of theirs, and details if one does.
// It omits hops unless one that wants KindIngested does not.
func Multi(obs ...Observer) Observer {
	var union KindSet
	omits := OmitsHops
	kinds := make([]KindSet, len(obs))
	for i, x := range obs {
		kinds[i] = kindsOf(x)
		union |= kinds[i] &^ OmitsHops
		if kinds[i].wants(KindIngested, true) {
			omits = 0
		}
	}
	return Filter(ObserverFunc(func(o *Observation) {
		for i, x := range obs {
			if kinds[i].wants(o.Kind, o.Hopped) {
				x.Observe(o)
			}
		}
	}), union|omits)
}

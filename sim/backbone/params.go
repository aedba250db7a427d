package backbone

import (
	"math/rand/v2"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/rng"
)

// Params are the model's knobs. Start from DefaultParams and override; New
// fills any nil distribution, zero quota, zero size limit, zero backoff and
// empty code with its default, but takes durations (ControlPlaneLag,
// replay timings) as given, so that a test may set them to zero.
type Params struct {
	// Seed derives every random stream of the model (see package doc).
	Seed uint64
	// DrawAhead draws the hop latencies (ack, ingest, forward, delivery,
	// invoke) and the handlers' run times on goroutines of their own, in
	// batches ahead of their use: the same values in the same order, so
	// results are unchanged, at the cost of a second core's time. A
	// handler's run times are drawn ahead only while its failure
	// probability is 0 (failure draws share their stream; setting one
	// stops drawing ahead where the model had got to). It also has a
	// goroutine make the records of events ahead, with their event ids
	// (alloc.go). A model that draws ahead must be closed (Model.Close)
	// to end them.
	DrawAhead bool
	// Details, when set, lets the model keep the events waiting in a
	// handler's backlog without their detail bytes (memory only: see
	// DetailCodec).
	Details DetailCodec
	// Holds, when set, is told which events the model holds (see
	// Holder): what a harness needs to know when a journey is over.
	Holds Holder
	// Region overrides the topology's Region for the quota tables; ""
	// uses the topology's.
	Region string
	// Epoch is the calendar instant virtual time 0 maps to (envelope
	// times, archive retention, replay windows); zero means sim.Epoch, a
	// fixed date, so that runs are reproducible. A wall-clock driver
	// (busdrill serve) sets it to when it started.
	Epoch time.Time

	// PutEventsTPS is the PutEvents requests-per-second quota per account
	// per Region ([QUOTA], shared by all the account's buses); 0 takes the
	// Region's default from topology.PutEventsTPSByRegion. PutEventsBurst
	// is the token bucket's depth; 0 means one second's worth
	// (UNCONFIRMED: AWS publishes no burst for PutEvents).
	PutEventsTPS   float64
	PutEventsBurst int
	// InvocationsTPS is the invocations-per-second quota per account per
	// Region ([QUOTA]); 0 takes the Region's default from
	// topology.InvocationsTPSByRegion. Invocations over it are delayed,
	// never dropped, and counted in ThrottledRules. InvocationsBurst as
	// above.
	InvocationsTPS   float64
	InvocationsBurst int

	// MaxRequestBytes is the PutEvents request size limit, summed over the
	// entries by the documented formula. Default
	// event.DefaultMaxRequestBytes (1 MiB, the 2026 limit; its exact byte
	// value is UNCONFIRMED); event.LegacyMaxRequestBytes is the 256 KiB one.
	MaxRequestBytes int

	// ControlPlaneLag is how long a control-plane change (EnableRule,
	// DisableRule, PutPermission, RemovePermission, an IAM role change)
	// takes to apply to the data plane. AWS documents these operations as
	// eventually consistent with no figure (UNCONFIRMED); default 5s.
	ControlPlaneLag time.Duration

	// Latency are the per-hop latency distributions, in nanoseconds.
	Latency Latency

	// DuplicateProbability is the chance that a successful invocation is
	// followed by a second one of the same event (at-least-once delivery;
	// AWS says duplicates are rare and gives no rate). Default 0, so a run
	// without faults delivers exactly the expected routes; scenarios that
	// drill idempotency set it (1e-4 is a plausible "rare").
	DuplicateProbability float64

	// Backoff is the retry schedule of failed invocations. AWS documents
	// only "exponential back off and jitter" (UNCONFIRMED schedule).
	Backoff Backoff

	// CrossAccountDeniedCode is the DLQ ERROR_CODE of a forward refused by
	// the destination bus's policy. UNCONFIRMED (NO_PERMISSIONS or
	// CROSS_ACCOUNT_INGESTION_FAILED); default NO_PERMISSIONS.
	CrossAccountDeniedCode string

	// ArchiveLag is the delay before an ingested event appears in an
	// archive. AWS suggests waiting 10 minutes before replaying; default
	// uniform 30s–10min.
	ArchiveLag rng.Dist
	// ReplayStartDelay is the time a replay spends in STARTING (default
	// 30s, UNCONFIRMED) and ReplayBucketInterval the time between two
	// one-minute buckets of replayed events (default 1s, UNCONFIRMED).
	ReplayStartDelay     time.Duration
	ReplayBucketInterval time.Duration
	// ReplayNewIDs gives replayed events new ids; by default they keep the
	// archived id (UNCONFIRMED which AWS does), so consumers that dedupe by
	// id see replays as duplicates.
	ReplayNewIDs bool
	// MaxActiveReplays: 10 per account per Region ([UG23]).
	MaxActiveReplays int

	// Handlers describe the behaviour of the topology's handlers; a
	// handler without a spec gets DefaultHandlerSpec.
	Handlers []HandlerSpec

	// AccountQuotas override the quotas above for single accounts (AWS
	// raises a quota per account and Region); see AccountQuota.
	AccountQuotas []AccountQuota
}

// Latency are the distributions (in nanoseconds) of each hop. The
// reference material has no official latency figure (eventbridge-model.md
// §8); the defaults are lognormals chosen so that an event published to
// the global bus reaches a handler on a local bus in about 45 ms median
// and 80 ms p90 end to end, which is what the Amazon Key team reports at
// about 2,000 events/s (AWS Architecture Blog, Feb 2026).
type Latency struct {
	// Ack: PutEvents call → the caller sees the response. Default
	// lognormal(median 20ms, p99 80ms).
	Ack rng.Dist
	// Ingest: PutEvents call → the event is ingested at its bus and
	// evaluated against the rules. Default lognormal(10ms, 40ms).
	Ingest rng.Dist
	// Forward: rule match → the event is ingested at the destination bus
	// of a bus target. Default lognormal(20ms, 100ms).
	Forward rng.Dist
	// Deliver: rule match → the event is in a queue or log target.
	// Default lognormal(15ms, 60ms).
	Deliver rng.Dist
	// Invoke: rule match → a handler target accepts the asynchronous
	// invocation. Default lognormal(15ms, 60ms).
	Invoke rng.Dist
}

// Backoff is an exponential retry schedule with downward jitter: the
// delay before retry k (k = 1, 2, ...) is min(Cap, Base·2^(k-1)) × (1 −
// Jitter·u), u uniform in [0,1).
//
// Defaults Base 1s, Cap 9min, Jitter 0.2: the delays double from 1s to
// 512s in ten retries, then stay at 432–540s, so 185 retries span about
// 23.9 h on average: the two default limits (185 attempts, 24 h) end
// retrying at about the same time, which is how AWS describes them.
type Backoff struct {
	Base   time.Duration
	Cap    time.Duration
	Jitter float64
}

// Delay returns the delay before retry number retry (1-based).
func (b Backoff) Delay(retry int, r *rand.Rand) time.Duration {
	d := b.Cap
	if retry-1 < 40 {
		if e := b.Base << uint(retry-1); e > 0 && e < b.Cap {
			d = e
		}
	}
	if b.Jitter > 0 {
		d -= time.Duration(float64(d) * b.Jitter * r.Float64())
	}
	return d
}

// HandlerSpec is the behaviour of a Lambda-like handler.
//
// The model of a handler target: EventBridge invokes it asynchronously, so
// the invocation succeeds when the handler accepts it (a target outage
// makes acceptance fail, and then the target's retry policy and DLQ
// apply). Accepted invocations queue for one of Concurrency slots, run for
// a Process time, and fail with FailureProbability. A failed run is
// retried by the handler itself (Lambda's asynchronous retries, not
// EventBridge's) after each of RetryDelays; when they are used up the
// event is dropped with cause "handler-failed". A successful run is the
// consumer's delivery: OnSuccess is called then.
type HandlerSpec struct {
	// Handler is the handler reference, "account/name".
	Handler string
	// Concurrency is the number of invocations processed at once; 0 means
	// 1,000 (Lambda's default account concurrency).
	Concurrency int
	// Process is the processing time distribution (ns); nil means
	// lognormal(median 20ms, p99 200ms).
	Process rng.Dist
	// FailureProbability is the chance a run fails.
	FailureProbability float64
	// RetryDelays are the handler's own retries after a failed run; nil
	// means Lambda's asynchronous default of two retries, after 1 and 2
	// minutes. An empty non-nil slice means no retries.
	RetryDelays []time.Duration
	// OnSuccess is the business logic, called when a run completes
	// successfully; it may publish with c.PutEvents as the handler's
	// account. Nil means nothing.
	OnSuccess func(c *HandlerCall)
	// MaxRate, when positive, is the target's throughput limit in
	// invocations per second (an API destination's invocation rate, a
	// downstream API's rate limit), as a token bucket one second deep: an
	// invocation over it fails with THROTTLING, and EventBridge retries
	// it under the target's retry policy (eventbridge-model.md §2.2,
	// target-side throttling). Zero: no limit.
	MaxRate float64
	// FailsOn, when set, is a poison predicate: every run on an event it
	// reports (a pure function of the envelope) fails, with Cause "poison",
	// whatever FailureProbability; the handler's retries apply, then the
	// event is dropped with cause "handler-failed" like any failed run. See
	// also Model.SetPoison.
	FailsOn func(env *event.Envelope) bool
}

// DefaultHandlerSpec returns the behaviour of a handler without a spec.
func DefaultHandlerSpec(ref string) HandlerSpec {
	return HandlerSpec{
		Handler:     ref,
		Concurrency: 1000,
		Process:     rng.NewLogNormal(20e6, 200e6),
		RetryDelays: []time.Duration{time.Minute, 2 * time.Minute},
	}
}

// DefaultParams returns the documented defaults.
func DefaultParams() Params {
	return Params{
		MaxRequestBytes: event.DefaultMaxRequestBytes,
		ControlPlaneLag: 5 * time.Second,
		Latency: Latency{
			Ack:     rng.NewLogNormal(20e6, 80e6),
			Ingest:  rng.NewLogNormal(10e6, 40e6),
			Forward: rng.NewLogNormal(20e6, 100e6),
			Deliver: rng.NewLogNormal(15e6, 60e6),
			Invoke:  rng.NewLogNormal(15e6, 60e6),
		},
		Backoff:                DefaultBackoff,
		CrossAccountDeniedCode: CodeNoPermissions,
		ArchiveLag:             rng.Uniform{Min: float64(30 * time.Second), Max: float64(10 * time.Minute)},
		ReplayStartDelay:       30 * time.Second,
		ReplayBucketInterval:   time.Second,
		MaxActiveReplays:       10,
	}
}

// DefaultBackoff is the default retry schedule (see Backoff).
var DefaultBackoff = Backoff{Base: time.Second, Cap: 9 * time.Minute, Jitter: 0.2}

// fill applies defaults to zero fields that have no meaningful zero.
func (p *Params) fill() {
	d := DefaultParams()
	if p.MaxRequestBytes == 0 {
		p.MaxRequestBytes = d.MaxRequestBytes
	}
	for _, f := range []struct {
		dst *rng.Dist
		def rng.Dist
	}{
		{&p.Latency.Ack, d.Latency.Ack}, {&p.Latency.Ingest, d.Latency.Ingest},
		{&p.Latency.Forward, d.Latency.Forward}, {&p.Latency.Deliver, d.Latency.Deliver},
		{&p.Latency.Invoke, d.Latency.Invoke}, {&p.ArchiveLag, d.ArchiveLag},
	} {
		if *f.dst == nil {
			*f.dst = f.def
		}
	}
	if p.Backoff.Base <= 0 {
		p.Backoff.Base = d.Backoff.Base
	}
	if p.Backoff.Cap <= 0 {
		p.Backoff.Cap = d.Backoff.Cap
	}
	if p.CrossAccountDeniedCode == "" {
		p.CrossAccountDeniedCode = d.CrossAccountDeniedCode
	}
	if p.MaxActiveReplays == 0 {
		p.MaxActiveReplays = d.MaxActiveReplays
	}
}

package world

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/busdrill/busdrill/actors"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/sim"
	"github.com/busdrill/busdrill/sim/backbone"
)

// The client behaviour of a producer, modelled on aws-sdk-go-v2's standard
// retryer (eventbridge-model.md §2.3) plus the resend loop a careful
// caller writes for partially failed PutEvents responses (the SDK treats
// a 200 with FailedEntryCount > 0 as a success).
const (
	// sdkMaxAttempts: one call plus two retries of a failed request.
	sdkMaxAttempts = 3
	// sdkMaxBackoff caps the full-jitter backoff.
	sdkMaxBackoff = 20 * time.Second
	// sdkRetryTokens is the retry token bucket's size; a retry costs
	// sdkRetryCost and a success that needed no retry refunds one.
	sdkRetryTokens = 500
	sdkRetryCost   = 5
	// maxResends bounds the resends of failed entries of a partially
	// failed response; resendBase is the first resend's backoff
	// (doubling, full jitter). What is still failing after that is given
	// up and counted lost ("throttled" for throttled entries).
	maxResends = 3
	resendBase = 100 * time.Millisecond
	// ambiguousTimeout is how long a client waits before it gives up on
	// a request whose response it never saw, and resends it (a
	// producer-timeout duplicate).
	ambiguousTimeout = time.Second
)

// Causes of entries given up by a producer (actors.GiveUpCause).
const (
	CauseThrottled = actors.CauseThrottled
	CauseOversized = actors.CauseOversized
)

// sent describes one entry of a request: which journey step it is.
type sent struct {
	journey uint64
	step    int8 // loadgen.Kind, or -1 for a non-journey event
	// order marks the journey's Order.Created: its acceptance is the
	// put_ack hop, and giving it up means the order was never sent.
	order    bool
	intended sim.Time
}

// request is a PutEvents request in the producer's hands, across retries.
type request struct {
	entries []event.Entry
	meta    []sent
	// attempt counts the calls made for the request (SDK retries);
	// resends counts resend rounds of failed entries.
	attempt, resends int
	retried          bool
}

// client is one account's PutEvents client.
type client struct {
	w       *world
	account string
	// acct is the account's index in the model (known: it has one).
	acct   int
	known  bool
	id     int
	r      *rand.Rand
	tokens int
	// pending holds requests waiting for a retry, by slot.
	pending []*request
	free    []int
	results []event.Result
	// one is the request of publishOne, reused: a request is copied to
	// the heap only when the client keeps it for later.
	one request
	// busNames remembers how the account names the buses it publishes
	// to (see busName).
	busNames []busName
}

type busName struct{ bus, name string }

func (w *world) client(account string) *client {
	// Few accounts publish: a scan of the clients, whose names are
	// usually the very strings asked with, beats hashing the name.
	for _, c := range w.clientList {
		if c.account == account {
			return c
		}
	}
	c := &client{w: w, account: account, r: w.streams.Get("sdk/" + account), tokens: sdkRetryTokens}
	c.acct, c.known = w.model.AccountIndex(account)
	c.id = w.model.AddWaker(c)
	w.clientList = append(w.clientList, c)
	return c
}

// busName is how the client's account names bus in a PutEvents entry
// (see world.busName), remembered.
func (c *client) busName(bus string) string {
	for i := range c.busNames {
		if c.busNames[i].bus == bus {
			return c.busNames[i].name
		}
	}
	name := c.w.busName(c.account, bus)
	c.busNames = append(c.busNames, busName{bus, name})
	return name
}

// publishOne sends one entry now, its request the client's reusable one.
// e is copied once, into the request: an entry is 168 bytes, and every
// event of a journey passes here.
func (c *client) publishOne(now sim.Time, e *event.Entry, m sent) {
	req := &c.one
	*req = request{entries: append(req.entries[:0], *e), meta: append(req.meta[:0], m)}
	c.publish(now, req)
	req.entries[0] = event.Entry{} // let the detail go
}

// publish sends a request now.
func (c *client) publish(now sim.Time, req *request) {
	w := c.w
	req.attempt++
	var resp backbone.Response
	if c.known {
		resp = w.model.PutEventsFrom(c.results[:0], c.acct, req.entries)
	} else {
		resp = w.model.PutEventsTo(c.results[:0], c.account, req.entries)
	}
	c.results = resp.Entries
	throttled := resp.Err != nil && resp.Err.Code == event.CodeThrottling
	w.notePutCall(c.account, now, len(req.entries), throttled)

	if resp.Err != nil {
		if backbone.Retryable(resp.Err.Code) || resp.Err.Code == event.CodeThrottling || resp.Err.Code == event.CodeInternalFailure {
			if req.attempt < sdkMaxAttempts && c.tokens >= sdkRetryCost {
				c.tokens -= sdkRetryCost
				req.retried = true
				c.later(now.Add(c.backoff(req.attempt)), req)
				return
			}
		}
		for i := range req.entries {
			c.giveUp(now, req, i, actors.GiveUpCause(resp.Err.Code, resp.Err.Message))
		}
		return
	}
	if !req.retried && c.tokens < sdkRetryTokens {
		c.tokens++
	}
	var again *request
	for i := range req.entries {
		res := resp.Entries[i]
		if !res.Failed() {
			c.accepted(now, req, i, resp.AckAt)
			continue
		}
		if event.Retryable(res.ErrorCode) && req.resends < maxResends {
			if again == nil {
				again = &request{resends: req.resends + 1}
			}
			again.entries = append(again.entries, req.entries[i])
			again.meta = append(again.meta, req.meta[i])
			continue
		}
		c.giveUp(now, req, i, actors.GiveUpCause(res.ErrorCode, res.ErrorMessage))
	}
	if again != nil {
		c.later(now.Add(fullJitter(c.r, resendBase<<(again.resends-1), sdkMaxBackoff)), again)
	}
}

// backoff is the SDK's delay before retry number attempt (1-based): full
// jitter, uniform in [0, 2^(attempt-1) s), capped at 20 s. (The SDK's
// exact attempt indexing is UNCONFIRMED; this is its documented shape.)
func (c *client) backoff(attempt int) time.Duration {
	return fullJitter(c.r, time.Second<<(attempt-1), sdkMaxBackoff)
}

func fullJitter(r *rand.Rand, d, cap time.Duration) time.Duration {
	if d <= 0 || d > cap {
		d = cap
	}
	return rng.Duration(rng.Uniform{Max: float64(d)}, r)
}

// later keeps req to publish at at; its journeys are held until then.
func (c *client) later(at sim.Time, req *request) {
	if req == &c.one {
		kept := *req
		kept.entries, kept.meta = slices.Clone(req.entries), slices.Clone(req.meta)
		req = &kept
	}
	for i := range req.meta {
		c.w.journeys.hold(req.meta[i].journey)
	}
	slot := len(c.pending)
	if n := len(c.free); n > 0 {
		slot, c.free = c.free[n-1], c.free[:n-1]
		c.pending[slot] = req
	} else {
		c.pending = append(c.pending, req)
	}
	c.w.model.WakeAt(at, c.id, int64(slot))
}

// Wake retries or resends the request in slot arg, then lets its
// journeys go (what it published, or keeps for later, holds them again).
func (c *client) Wake(now sim.Time, arg int64) {
	req := c.pending[arg]
	c.pending[arg] = nil
	c.free = append(c.free, int(arg))
	c.publish(now, req)
	for i := range req.meta {
		c.w.release(req.meta[i].journey)
	}
}

// accepted records an entry's acceptance.
func (c *client) accepted(now sim.Time, req *request, i int, ackAt sim.Time) {
	m := req.meta[i]
	w := c.w
	if m.order {
		w.orderAccepted(m.journey, ackAt)
	}
	w.producerDuplicates(now, c, &req.entries[i], m)
}

// giveUp counts an entry the producer will not send again: its nominal
// routes are expected and dropped with the cause, so the ledger accounts
// for events that never got in; an order's Order.Created never sent.
func (c *client) giveUp(now sim.Time, req *request, i int, cause string) {
	w := c.w
	m := req.meta[i]
	e := &req.entries[i]
	w.noteGaveUp(c.account, e.EventBusName, w.giveUpEnvelope(c.account, e, now), m.journey, m.step >= 0, m.order, cause, now)
}

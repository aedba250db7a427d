package backbone

import (
	"time"

	"github.com/busdrill/busdrill/sim"
)

// The model's load, for a capacity search (busdrill capacity): how busy
// each handler is and how much waits for it, how far ahead each account's
// invocations quota is booked, and how many invocations wait for a
// retry. These are read-only views of the model's state plus a few
// counters kept on paths that already run (a run starting, a retry being
// scheduled); reading them changes nothing, and they allocate only into
// the caller's slices.

// AccountQuota is one account's quotas where they differ from Params'
// (a zero field keeps Params' value). Burst 0 is one second's worth.
type AccountQuota struct {
	Account                          string // the account's name
	PutEventsTPS, InvocationsTPS     float64
	PutEventsBurst, InvocationsBurst int
}

// accountQuota is account's configured quotas: Params' defaults with its
// AccountQuotas entry applied.
func (m *Model) accountQuota(account string) AccountQuota {
	q := AccountQuota{
		Account:      account,
		PutEventsTPS: m.p.PutEventsTPS, PutEventsBurst: m.p.PutEventsBurst,
		InvocationsTPS: m.p.InvocationsTPS, InvocationsBurst: m.p.InvocationsBurst,
	}
	for _, o := range m.p.AccountQuotas {
		if o.Account != account {
			continue
		}
		if o.PutEventsTPS > 0 {
			q.PutEventsTPS, q.PutEventsBurst = o.PutEventsTPS, o.PutEventsBurst
		}
		if o.InvocationsTPS > 0 {
			q.InvocationsTPS, q.InvocationsBurst = o.InvocationsTPS, o.InvocationsBurst
		}
	}
	return q
}

// QuotasOf returns account's configured PutEvents and invocations quotas
// (Params with its AccountQuotas entry; fault hooks aside), and false for
// an unknown account.
func (m *Model) QuotasOf(account string) (putEventsTPS, invocationsTPS float64, ok bool) {
	a, found := m.names.Account(account)
	if !found {
		return 0, 0, false
	}
	q := &m.accounts[a].quota
	return q.PutEventsTPS, q.InvocationsTPS, true
}

// msgTargetRate is the ERROR_MESSAGE of an invocation over a target's
// throughput limit (HandlerSpec.MaxRate; the model's wording).
const msgTargetRate = "The target's throughput limit was exceeded (Rate exceeded)."

// handlerLoad are a handler's load counters.
type handlerLoad struct {
	work     time.Duration // processing time of the runs started
	runs     uint64        // runs started
	offered  uint64        // first invocation attempts reaching it
	retrying int32         // its own retries scheduled, not yet resubmitted
}

// targetLoad are a target's retry counters.
type targetLoad struct {
	retrying   int32 // EventBridge retries scheduled, not yet attempted
	maxRetry   int32 // the highest retry number scheduled
	maxAge     time.Duration
	exhaustedN [2]uint64 // by MaximumRetryAttempts, MaximumEventAgeInSeconds
}

// retried counts a retry scheduled: its number and the event's age when
// it will start.
func (t *targetLoad) retried(retry int, age time.Duration) {
	t.retrying++
	t.maxRetry = max(t.maxRetry, int32(retry))
	t.maxAge = max(t.maxAge, age)
}

// exhausted counts an invocation given up for its retry policy
// (condition ExhaustedAttempts or ExhaustedAge; "" counts nothing).
func (t *targetLoad) exhausted(condition string) {
	switch condition {
	case ExhaustedAttempts:
		t.exhaustedN[0]++
	case ExhaustedAge:
		t.exhaustedN[1]++
	}
}

// HandlerLoad is a handler's load at an instant.
type HandlerLoad struct {
	Handler, Account string
	Concurrency      int
	// MaxRate is its throughput limit (invocations per second; 0: none).
	MaxRate float64
	// Busy runs now; Waiting accepted invocations waiting for a slot
	// (its backlog), the oldest of them for OldestWait since its rule
	// matched the event.
	Busy, Waiting int
	OldestWait    time.Duration
	// Work is the processing time of every run started so far (busy
	// slot-time, once they end), Runs their number; Offered counts the
	// first invocation attempts that reached it (retries and duplicates
	// excluded; throttled ones included): its demand.
	Work          time.Duration
	Runs, Offered uint64
	// Retrying counts its own retries of failed runs not yet resubmitted.
	Retrying int
	// RateBooked is how far ahead its throughput limit's token bucket is
	// booked (see AccountLoad.PutEventsBooked); 0 without a limit.
	RateBooked time.Duration
}

// HandlerLoads appends the load of every handler, in topology order, to
// dst.
func (m *Model) HandlerLoads(dst []HandlerLoad) []HandlerLoad {
	now := m.eng.Now()
	for i := range m.handlers {
		h := &m.handlers[i]
		l := HandlerLoad{
			Handler: h.ref, Account: h.call.Account, Concurrency: h.spec.Concurrency, MaxRate: h.spec.MaxRate,
			Busy: h.busy, Waiting: h.backlog.len(),
			Work: h.load.work, Runs: h.load.runs, Offered: h.load.offered, Retrying: int(h.load.retrying),
			RateBooked: h.rate.booked(now),
		}
		if at0, ok := h.backlog.oldest(); ok {
			l.OldestWait = max(now.Sub(at0), 0)
		}
		dst = append(dst, l)
	}
	return dst
}

// oldest returns when the rule matched the event of the oldest waiting
// invocation.
func (b *backlog) oldest() (sim.Time, bool) {
	if b.n == 0 {
		return 0, false
	}
	return b.chunks[0][b.head].e.at0, true
}

// AccountLoad is an account's use of its quotas at an instant.
type AccountLoad struct {
	Account string
	// The quotas configured (Params and AccountQuotas) and in force now
	// (a fault hook may have changed them).
	PutEventsTPS, InvocationsTPS               float64
	PutEventsTPSInForce, InvocationsTPSInForce float64
	// PutCalls and PutThrottled count its PutEvents requests so far, all
	// and refused by throttling; Invocations the invocations its rules
	// created (InvocationsCreated).
	PutCalls, PutThrottled, Invocations uint64
	// InvocationDelay is how long an invocation created now would wait for
	// a token of the invocations quota: the backlog of delayed
	// invocations, in time.
	InvocationDelay time.Duration
	// PutEventsBooked and InvocationsBooked are how far ahead each quota's
	// token bucket is booked: its tokens in use, in time (a full burst is
	// about a second). Under a steady demand over the quota they grow from
	// the first second on, while the burst still hides the overload.
	PutEventsBooked, InvocationsBooked time.Duration
}

// AccountLoads appends the load of every account, in topology order, to
// dst.
func (m *Model) AccountLoads(dst []AccountLoad) []AccountLoad {
	now := m.eng.Now()
	for a := range m.accounts {
		as := &m.accounts[a]
		l := AccountLoad{
			Account:      as.name,
			PutEventsTPS: as.quota.PutEventsTPS, InvocationsTPS: as.quota.InvocationsTPS,
			PutEventsTPSInForce: as.put.perSecond(), InvocationsTPSInForce: as.inv.perSecond(),
			PutCalls: as.metrics[mPutCalls], PutThrottled: as.metrics[mPutThrottled],
			InvocationDelay: as.inv.wait(now),
			PutEventsBooked: as.put.booked(now), InvocationsBooked: as.inv.booked(now),
		}
		for b := range m.buses {
			if m.buses[b].acct != a {
				continue
			}
			for i := range m.buses[b].rules {
				l.Invocations += m.buses[b].rules[i].metrics[mInvocationsCreated]
			}
		}
		dst = append(dst, l)
	}
	return dst
}

// perSecond is the bucket's rate (0: unlimited).
func (b *bucket) perSecond() float64 {
	if b.interval == 0 {
		return 0
	}
	return float64(time.Second) / float64(b.interval)
}

// booked is how far ahead of now the bucket has given its tokens.
func (b *bucket) booked(now sim.Time) time.Duration {
	if b.interval == 0 {
		return 0
	}
	return max(b.tat.Sub(now), 0)
}

// wait is how long a reservation made at now would wait.
func (b *bucket) wait(now sim.Time) time.Duration {
	if b.interval == 0 {
		return 0
	}
	return max(b.tat.Add(-b.tau).Sub(now), 0)
}

// TargetLoad is a target's retrying at an instant.
type TargetLoad struct {
	// Target is the target reference (account/bus/rule/id), Account the
	// rule's account, Handler the handler it invokes ("" for another
	// kind of target).
	Target, Account, Handler string
	// The retry policy: MaximumRetryAttempts and MaximumEventAgeInSeconds.
	MaxRetries int
	MaxAge     time.Duration
	// Retrying counts invocations waiting for a retry now; MaxRetry is the
	// highest retry number scheduled so far and MaxRetryAge the greatest
	// age (since the rule matched) at which a retry was to start.
	Retrying    int
	MaxRetry    int
	MaxRetryAge time.Duration
	// ExhaustedAttempts and ExhaustedAge count invocations given up by
	// their retry policy (EXHAUSTED_RETRY_CONDITION).
	ExhaustedAttempts, ExhaustedAge uint64
}

// TargetLoads appends the retrying of every target, in topology order
// (bus, rule, target), to dst.
func (m *Model) TargetLoads(dst []TargetLoad) []TargetLoad {
	for b := range m.buses {
		bs := &m.buses[b]
		for i := range bs.rules {
			for k := range bs.rules[i].targets {
				t := &bs.rules[i].targets[k]
				handler := ""
				if t.handler >= 0 {
					handler = m.handlers[t.handler].ref
				}
				dst = append(dst, TargetLoad{Handler: handler,
					Target: t.consumer, Account: m.accounts[bs.acct].name,
					MaxRetries: t.retries, MaxAge: t.maxAge,
					Retrying: int(t.load.retrying), MaxRetry: int(t.load.maxRetry), MaxRetryAge: t.load.maxAge,
					ExhaustedAttempts: t.load.exhaustedN[0], ExhaustedAge: t.load.exhaustedN[1],
				})
			}
		}
	}
	return dst
}

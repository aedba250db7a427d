package drill

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/smithy-go"

	"github.com/busdrill/busdrill/actors"
	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

// item is one entry to publish.
type item struct {
	sender   string // scenario account that publishes it
	bus      string // scenario bus reference it goes to
	entry    event.Entry
	journey  uint64
	kind     loadgen.Kind
	intended time.Duration // orders: the arrival's intended send time
	order    bool          // an Order.Created from the schedule
	relay    bool          // a relay's publication (not the step's own)
}

// batch is one PutEvents request's worth of items, of one sender.
type batch struct {
	sender   string
	items    []item
	size     int
	deadline time.Duration // elapsed time by which it must leave (linger)
}

// result is one entry's final outcome.
type result struct {
	id   string
	code string // error code when failed
	ack  time.Duration
}

// callRec is one PutEvents call made for a batch.
type callRec struct {
	at        time.Duration
	entries   int
	throttled bool
}

// counters are updated by workers and pollers with atomics.
type counters struct {
	calls, entries, resent, throttled atomic.Int64
	probeMessages, pollErrors         atomic.Int64
}

// emitQueue carries the stand-ins' entries from the event loop to the
// pacer. It is unbounded, so the loop never blocks on the publisher.
type emitQueue struct {
	mu     sync.Mutex
	items  []item
	notify chan struct{}
}

func (q *emitQueue) push(it item) {
	q.mu.Lock()
	q.items = append(q.items, it)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

func (q *emitQueue) take(dst []item) []item {
	q.mu.Lock()
	dst = append(dst, q.items...)
	q.items = q.items[:0]
	q.mu.Unlock()
	return dst
}

// pace is the publishing side of the open model: it follows the arrival
// schedule on the wall clock, builds each order's Order.Created, and
// batches entries per sender (up to 10, within the request size budget,
// waiting at most Linger for company) for the workers. It also batches the
// stand-ins' entries. Orders are never skipped: when the workers are all
// busy the pacer waits, and the orders go late (and are counted so).
func (d *Drill) pace(ctx context.Context, start time.Time, pacer loadgen.Pacer, f *loadgen.Factory, out chan<- *batch) {
	o := d.opts
	sp, _ := pacer.(*loadgen.SchedulePacer)
	linger := orDur(o.Publisher.Linger.D(), livespec.DefaultLinger)
	if o.Publisher.Linger.D() < 0 {
		linger = 0
	}
	budget := int(o.Publisher.MaxRequestBytes.Bytes())
	if budget <= 0 {
		budget = livespec.DefaultMaxRequestBytes
	}
	var pending []*batch
	dispatch := func(i int) bool {
		b := pending[i]
		pending = append(pending[:i], pending[i+1:]...)
		select {
		case out <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	add := func(it item, now time.Duration) bool {
		s := event.EntrySize(&it.entry)
		i := -1
		for k, b := range pending {
			if b.sender == it.sender {
				i = k
				break
			}
		}
		if i >= 0 && pending[i].size+s > budget {
			if !dispatch(i) {
				return false
			}
			i = -1
		}
		if i < 0 {
			pending = append(pending, &batch{sender: it.sender, items: make([]item, 0, event.MaxEntriesPerRequest), deadline: now + linger})
			i = len(pending) - 1
		}
		b := pending[i]
		b.items = append(b.items, it)
		b.size += s
		if len(b.items) == event.MaxEntriesPerRequest || linger == 0 {
			return dispatch(i)
		}
		return true
	}
	timer := d.clock.NewTimer(time.Hour)
	defer timer.Stop()
	var sent uint64
	trafficDone := false
	var emits []item
	for {
		now := d.clock.Now().Sub(start)
		next := time.Duration(1<<62 - 1)
		for !trafficDone {
			wait, stop := pacer.Pace(now, sent)
			if stop {
				trafficDone = true
				d.post(msg{kind: msgTrafficDone, n: int64(sent)})
				break
			}
			if wait > 0 {
				next = now + wait
				break
			}
			a, _ := sp.Arrival(sent)
			ord := f.Order(a)
			e := f.Entry(&ord, loadgen.OrderCreated)
			e.EventBusName = o.Layout.PutName(ord.Origin, o.Scenario.Traffic.Bus)
			if !add(item{sender: ord.Origin, bus: o.Scenario.Traffic.Bus, entry: e, journey: a.Index,
				kind: loadgen.OrderCreated, intended: a.At, order: true}, now) {
				return
			}
			sent++
		}
		emits = d.emits.take(emits[:0])
		for _, it := range emits {
			if !add(it, now) {
				return
			}
		}
		for i := 0; i < len(pending); {
			if pending[i].deadline <= now {
				if !dispatch(i) {
					return
				}
				continue
			}
			next = min(next, pending[i].deadline)
			i++
		}
		if ctx.Err() != nil {
			return
		}
		if next-now > 0 {
			timer.Reset(next - now)
			select {
			case <-ctx.Done():
				return
			case <-timer.C():
			case <-d.emits.notify:
				timer.Stop()
			}
		}
	}
}

// worker makes PutEvents calls for batches and posts their outcomes to
// the loop. Entries that fail with a retryable code (ThrottlingException,
// InternalFailure) are resent, up to MaxResends times with doubling,
// jittered backoff; the SDK's own retryer retries whole calls that fail.
func (d *Drill) worker(ctx context.Context, batches <-chan *batch) {
	o := d.opts
	maxResends := o.Publisher.MaxResends
	if maxResends == 0 {
		maxResends = livespec.DefaultMaxResends
	}
	backoff := orDur(o.Publisher.ResendBackoff.D(), livespec.DefaultResendBackoff)
	var entries []ebtypes.PutEventsRequestEntry
	for b := range batches {
		if ctx.Err() != nil {
			d.post(msg{kind: msgSkipped, batch: b})
			continue
		}
		client := o.Clients[b.sender].EventBridge
		d.post(msg{kind: msgStarted, batch: b, at: d.elapsed()})
		results := make([]result, len(b.items))
		pending := make([]int, 0, len(b.items))
		for i := range b.items {
			if b.items[i].entry.DetailBytes > 0 {
				// A detail no PutEvents limit accepts is never built
				// (loadgen's MaterialiseLimit): refused here, as AWS
				// would refuse it, with the simulator's cause.
				results[i] = result{code: actors.CauseOversized}
				continue
			}
			pending = append(pending, i)
		}
		var calls []callRec
		for attempt := 0; len(pending) > 0; attempt++ {
			entries = entries[:0]
			for _, i := range pending {
				e := &b.items[i].entry
				entries = append(entries, ebtypes.PutEventsRequestEntry{
					EventBusName: aws.String(e.EventBusName), Source: aws.String(e.Source),
					DetailType: aws.String(e.DetailType), Detail: aws.String(string(e.Detail)),
				})
			}
			at := d.elapsed()
			out, err := client.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: entries})
			ack := d.elapsed()
			d.counters.calls.Add(1)
			d.counters.entries.Add(int64(len(pending)))
			if err != nil {
				code := errorCode(ctx, err)
				th := code == event.CodeThrottling
				if th {
					d.counters.throttled.Add(1)
				}
				calls = append(calls, callRec{at: at, entries: len(pending), throttled: th})
				for _, i := range pending {
					results[i] = result{code: code}
				}
				break
			}
			var retry []int
			throttled := false
			for k, i := range pending {
				if k >= len(out.Entries) {
					results[i] = result{code: "MissingResult"}
					continue
				}
				r := out.Entries[k]
				code := aws.ToString(r.ErrorCode)
				if code == "" {
					results[i] = result{id: aws.ToString(r.EventId), ack: ack}
					continue
				}
				if code == event.CodeThrottling {
					throttled = true
				}
				if event.Retryable(code) && attempt < maxResends {
					retry = append(retry, i)
					continue
				}
				results[i] = result{code: code}
			}
			if throttled {
				d.counters.throttled.Add(1)
			}
			calls = append(calls, callRec{at: at, entries: len(pending), throttled: throttled})
			if len(retry) == 0 {
				break
			}
			d.counters.resent.Add(int64(len(retry)))
			wait := backoff << attempt
			wait = wait/2 + rand.N(wait/2+1)
			t := d.clock.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				for _, i := range retry {
					results[i] = result{code: "Interrupted"}
				}
				retry = nil
			case <-t.C():
			}
			if len(retry) == 0 {
				break
			}
			pending = retry
		}
		d.post(msg{kind: msgDone, batch: b, results: results, calls: calls})
	}
}

func (d *Drill) elapsed() time.Duration { return d.clock.Now().Sub(d.start) }

func (d *Drill) post(m msg) { d.inbox <- m }

// errorCode names a failed call by its AWS error code, never its message
// (which could quote a request).
func errorCode(ctx context.Context, err error) string {
	if ctx.Err() != nil {
		return "Interrupted"
	}
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() != "" {
		return api.ErrorCode()
	}
	var ce interface{ CanceledError() bool }
	if errors.As(err, &ce) {
		return "Interrupted"
	}
	return "RequestError"
}

package serve

import (
	"strconv"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/sim"
)

// SQS standard queues with real consumer semantics, on the model's clock:
// delays, visibility timeouts, receive counts, long polls answered as soon
// as a message becomes visible (or when their wait ends), deletes by
// receipt handle, purge, retention, and redrive to a dead-letter queue
// after maxReceiveCount receives. Everything runs on the loop, so it is
// deterministic and testable in virtual time.

// Queue limits (eventbridge-model.md §10).
const (
	MaxVisibilityTimeout = 12 * time.Hour
	MaxWaitTime          = 20 * time.Second
	MaxDelay             = 15 * time.Minute
	MaxMessageBytes      = 1 << 20
	// MaxQueueMessages bounds what one queue holds (serve's own bound, not
	// AWS's): a send beyond it fails with OverLimit.
	MaxQueueMessages = 1_000_000
	// MaxQueues bounds the queues of one serve.
	MaxQueues = 10000
)

type message struct {
	id        string
	body      string
	md5       string
	attrs     []msgAttr
	md5Attrs  string
	sent      sim.Time
	visibleAt sim.Time
	receives  int
	firstRecv sim.Time
	handle    string // receipt handle of the latest receive
	deleted   bool
}

// queue is one SQS queue.
type queue struct {
	name, account, ref, arn string
	attrs                   map[string]string // settable attributes as given
	tags                    map[string]string
	created, modified       time.Time

	visibility, delay, retention time.Duration
	waitTime                     time.Duration
	maxBytes                     int
	// redrive: dead-letter queue reference and maxReceiveCount.
	dlq        string
	maxReceive int

	msgs    []*message // oldest first; deleted ones are removed lazily
	live    int        // not deleted
	handles map[string]*message
	waiters []*waiter
	// wake is the pending timer handle of the earliest moment a waiter
	// may be served, 0 for none.
	wake   int64
	wakeAt sim.Time
}

// waiter is a long poll.
type waiter struct {
	max        int
	visibility time.Duration
	deadline   sim.Time
	reply      func([]*message)
	done       bool
	alive      func() bool
}

type queues struct {
	b      *backend
	byRef  map[string]*queue
	serial uint64
}

func newQueues(b *backend) *queues { return &queues{b: b, byRef: map[string]*queue{}} }

// deliver puts an event (the model delivered it to queue ref, a target
// or a DLQ) into the queue, if it exists.
func (qs *queues) deliver(ref string, env *event.Envelope, attrs []msgAttr) {
	q := qs.byRef[ref]
	if q == nil {
		return
	}
	body := string(env.AppendJSON(nil))
	qs.send(q, body, attrs, 0)
}

// send adds a message; it returns it (nil when the queue is full).
func (qs *queues) send(q *queue, body string, attrs []msgAttr, delay time.Duration) *message {
	if q.live >= MaxQueueMessages {
		return nil
	}
	now := qs.b.now()
	qs.serial++
	m := &message{id: uuidOf(0x5e, qs.serial), body: body, md5: md5Hex(body), attrs: attrs,
		sent: now, visibleAt: now.Add(delay)}
	m.md5Attrs = md5OfAttributes(attrs, decodeBinaryAttr)
	q.msgs = append(q.msgs, m)
	q.live++
	qs.serve(q)
	return m
}

// visible returns up to n visible messages, marking them received.
func (qs *queues) receive(q *queue, n int, visibility time.Duration) []*message {
	now := qs.b.now()
	qs.expire(q)
	var out []*message
	for _, m := range q.msgs {
		if len(out) == n {
			break
		}
		if m.deleted || m.visibleAt > now {
			continue
		}
		if q.dlq != "" && q.maxReceive > 0 && m.receives >= q.maxReceive {
			qs.moveToDLQ(q, m)
			continue
		}
		m.receives++
		if m.receives == 1 {
			m.firstRecv = now
		}
		if m.handle != "" {
			delete(q.handles, m.handle)
		}
		qs.serial++
		m.handle = q.ref + "#" + m.id + "#" + strconv.FormatUint(qs.serial, 36)
		q.handles[m.handle] = m
		m.visibleAt = now.Add(visibility)
		out = append(out, m)
	}
	qs.compact(q)
	return out
}

// moveToDLQ redrives a message that was received maxReceiveCount times.
func (qs *queues) moveToDLQ(q *queue, m *message) {
	qs.remove(q, m)
	if d := qs.byRef[q.dlq]; d != nil {
		qs.send(d, m.body, m.attrs, 0)
	}
}

func (qs *queues) remove(q *queue, m *message) {
	if m.deleted {
		return
	}
	m.deleted = true
	q.live--
	if m.handle != "" {
		delete(q.handles, m.handle)
	}
}

// expire drops messages older than the retention period.
func (qs *queues) expire(q *queue) {
	cut := qs.b.now().Add(-q.retention)
	for _, m := range q.msgs {
		if m.sent >= cut {
			break
		}
		qs.remove(q, m)
	}
}

// compact drops deleted messages from the front, and rebuilds the slice
// when most of it is deleted.
func (qs *queues) compact(q *queue) {
	i := 0
	for i < len(q.msgs) && q.msgs[i].deleted {
		i++
	}
	if i > 0 {
		clear(q.msgs[:i])
		q.msgs = q.msgs[i:]
	}
	if len(q.msgs) > 64 && q.live < len(q.msgs)/2 {
		kept := make([]*message, 0, q.live)
		for _, m := range q.msgs {
			if !m.deleted {
				kept = append(kept, m)
			}
		}
		q.msgs = kept
	}
}

// serve answers the waiters that can be answered now, and arranges a
// wake-up for the earliest moment the others may be (a message becoming
// visible, or a wait ending).
func (qs *queues) serve(q *queue) {
	now := qs.b.now()
	for len(q.waiters) > 0 {
		w := q.waiters[0]
		if w.done || !w.alive() {
			qs.finish(q, w, nil)
			continue
		}
		msgs := qs.receive(q, w.max, w.visibility)
		if len(msgs) == 0 && w.deadline > now {
			break
		}
		qs.finish(q, w, msgs)
	}
	next := sim.Never
	for _, w := range q.waiters {
		next = min(next, w.deadline)
	}
	if len(q.waiters) > 0 {
		for _, m := range q.msgs {
			if !m.deleted && m.visibleAt > now {
				next = min(next, m.visibleAt)
			}
		}
	}
	if next != sim.Never && (q.wake == 0 || next < q.wakeAt) {
		if q.wake != 0 {
			qs.b.cancel(q.wake)
		}
		q.wakeAt = next
		q.wake = qs.b.at(next, func() {
			q.wake = 0
			qs.serve(q)
		})
	}
}

func (qs *queues) finish(q *queue, w *waiter, msgs []*message) {
	for i, x := range q.waiters {
		if x == w {
			q.waiters = append(q.waiters[:i], q.waiters[i+1:]...)
			break
		}
	}
	if !w.done {
		w.done = true
		w.reply(msgs)
	}
}

// wait registers a long poll (or answers it at once).
func (qs *queues) wait(q *queue, w *waiter) {
	q.waiters = append(q.waiters, w)
	qs.serve(q)
}

// releaseAll answers every long poll with no messages (shutdown).
func (qs *queues) releaseAll() {
	for _, q := range qs.byRef {
		for len(q.waiters) > 0 {
			qs.finish(q, q.waiters[0], nil)
		}
	}
}

// counts are ApproximateNumberOfMessages, ...NotVisible and ...Delayed.
func (qs *queues) counts(q *queue) (visible, inFlight, delayed int) {
	now := qs.b.now()
	qs.expire(q)
	for _, m := range q.msgs {
		switch {
		case m.deleted:
		case m.visibleAt <= now:
			visible++
		case m.receives > 0:
			inFlight++
		default:
			delayed++
		}
	}
	return
}

package report

import (
	"cmp"
	"slices"
	"time"
	"unsafe"
)

// routeKey names a route: sender account → consumer reference.
type routeKey struct{ from, to string }

// routeState is one route's running account.
type routeState struct {
	from, to                      string
	expected, delivered, dlqCount int64
	// dropped and dlq count terminal losses by cause; a route sees a
	// handful of causes, so a slice scanned linearly beats a map.
	dropped, dlq []causeCount
}

type causeCount struct {
	cause string
	n     int64
}

func bump(cs []causeCount, cause string) []causeCount {
	for i := range cs {
		if cs[i].cause == cause {
			cs[i].n++
			return cs
		}
	}
	return append(cs, causeCount{cause, 1})
}

func (rs *routeState) droppedTotal() int64 {
	var n int64
	for _, c := range rs.dropped {
		n += c.n
	}
	return n
}

// route returns the route's state, creating it on first use. A small
// cache indexed by where the strings live answers a caller that passes
// the same strings again (the simulator's are precomputed) without
// hashing them.
func (r *Recorder) route(from, to string) *routeState {
	slot := &r.routeCache[(stringSlot(from)*31+stringSlot(to))%uint(len(r.routeCache))]
	if rs := *slot; rs != nil && rs.to == to && rs.from == from {
		return rs
	}
	rs := r.lookupRoute(from, to)
	*slot = rs
	return rs
}

func (r *Recorder) lookupRoute(from, to string) *routeState {
	if i, ok := r.routeIdx[routeKey{from, to}]; ok {
		return r.routes[i]
	}
	rs := &routeState{from: from, to: to}
	r.routeIdx[routeKey{from, to}] = int32(len(r.routes))
	r.routes = append(r.routes, rs)
	return rs
}

// stringSlot hashes where s's bytes are, for the lookaside caches: equal
// strings at different places just land in different slots.
func stringSlot(s string) uint {
	p := uint(uintptr(unsafe.Pointer(unsafe.StringData(s))))
	return p>>3 ^ p>>11 ^ uint(len(s))
}

// Expect records one expected delivery on the route from → to (from: the
// sender account's name; to: the consumer reference), computed from the
// topology and the patterns when the event was accepted.
func (r *Recorder) Expect(from, to string) { r.route(from, to).expected++ }

// Delivered records the first (non-duplicate) delivery of an event on the
// route. Duplicates are reported through Consumed only.
func (r *Recorder) Delivered(from, to string, at time.Duration) {
	r.route(from, to).delivered++
	if p := r.point(at); p != nil {
		p.Delivered++
	}
}

// Lost records that an expected delivery on the route ended without
// reaching the consumer: in a dead-letter queue (dlq true, counted in dlq
// and dlq_causes) or dropped (dropped[cause]). An empty cause is
// "unknown". The DLQ write itself is a separate call (DeadLettered) for
// the series.
func (r *Recorder) Lost(from, to, cause string, dlq bool, at time.Duration) {
	if cause == "" {
		cause = "unknown"
	}
	rs := r.route(from, to)
	if dlq {
		rs.dlqCount++
		rs.dlq = bump(rs.dlq, cause)
		return
	}
	rs.dropped = bump(rs.dropped, cause)
}

// ledger assembles the loss ledger: routes sorted by (from, to).
//
// A route's terminal outcomes are delivered + dlq + Σdropped. While they
// do not exceed expected, in_flight = expected − terminal (still in flight
// at cut-off) and the route balances. When they exceed it, in_flight is
// 0, the excess is reported as unexpected, and the route (hence the
// ledger) is unbalanced: something reached an end that no expectation
// accounted for (a wrong expected-routes computation, or a Delivered for
// a redelivery). The comparison is made on the totals at cut-off, so it
// does not depend on the order of the calls (a live probe may see a
// delivery before the PutEvents acknowledgement that sets up its
// expectation).
func (r *Recorder) ledger() Ledger {
	l := Ledger{Routes: make([]Route, 0, len(r.routes)), Balanced: true}
	for _, rs := range r.routes {
		rt := Route{
			From:      rs.from,
			To:        rs.to,
			Expected:  rs.expected,
			Delivered: rs.delivered,
			DLQ:       rs.dlqCount,
			Dropped:   causes(rs.dropped),
		}
		if len(rs.dlq) > 0 {
			rt.DLQCauses = causes(rs.dlq)
		}
		rest := rs.expected - rs.delivered - rs.dlqCount - rs.droppedTotal()
		if rest >= 0 {
			rt.InFlight, rt.Balanced = rest, true
		} else {
			rt.Unexpected = -rest
			l.Balanced = false
		}
		l.Routes = append(l.Routes, rt)
	}
	slices.SortFunc(l.Routes, func(a, b Route) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return l
}

func causes(cs []causeCount) map[string]int64 {
	m := make(map[string]int64, len(cs))
	for _, c := range cs {
		m[c.cause] = c.n
	}
	return m
}

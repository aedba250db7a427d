package world

import (
	"slices"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/topology"
)

// detailCodec lets the model keep the events waiting in a handler's
// backlog as (journey, step) instead of their details (see
// backbone.DetailCodec): the detail of a journey's event is
// factory.AppendDetail of its order, which the factory rebuilds from the
// journey index and intended time alone. Pack checks that the detail is
// exactly that (the factory compares it without building it), so an
// event whose detail is anything else keeps its bytes.
type detailCodec struct{ w *world }

// detailToken is the token of the detail of journey jid's step k.
func detailToken(jid uint64, k loadgen.Kind) uint64 { return jid<<2 | uint64(k) }

// lazyDetailsPossible reports whether the world may publish journey
// events without their details (event.Entry.DetailLazy): when no rule's
// pattern reads the detail, the expected routes the world computes from
// an envelope (PutEvents accepted, a producer giving up) never read it,
// and what else reads it — an archive's pattern, a poison predicate, a
// relay, the trace's observers if they ask — has the model build it
// first (backbone's lazy.go).
func lazyDetailsPossible(r *topology.Router) bool {
	for b := range r.X.T.Buses {
		if r.Matcher(b).NeedsDetail() {
			return false
		}
	}
	return true
}

// Pack returns journey<<2 | step for a journey event with the factory's
// detail.
func (c detailCodec) Pack(env *event.Envelope, tag uint64) (uint64, bool) {
	w := c.w
	jid, ok := loadgen.JourneyOfTag(tag)
	if !ok || jid >= 1<<62 {
		return 0, false
	}
	k, ok := w.factory.KindOf(env.DetailType)
	if !ok {
		return 0, false
	}
	o, ok := c.order(jid)
	if !ok || !w.factory.IsDetail(env.Detail, &o, k) {
		return 0, false
	}
	return detailToken(jid, k), true
}

// Unpack appends the detail of the token's journey and step to dst.
func (c detailCodec) Unpack(dst []byte, token uint64) []byte {
	o, _ := c.order(token >> 2)
	dst = slices.Grow(dst, max(o.Size, 384))
	return c.w.factory.AppendDetail(dst, &o, loadgen.Kind(token&3))
}

// order is the order of journey jid, as the producer built it.
func (c detailCodec) order(jid uint64) (loadgen.Order, bool) {
	j, known := c.w.journeys.known(jid)
	if !known {
		return loadgen.Order{}, false
	}
	return c.w.factory.Order(loadgen.Arrival{Index: jid, At: j.intended}), true
}

package backbone

import (
	"bytes"
	"testing"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/sim"
)

// countingHolder counts the holdings of each tag and fails the test on a
// Release with none.
type countingHolder struct {
	t     *testing.T
	count map[uint64]int
	holds int
}

func (h *countingHolder) Hold(env *event.Envelope, tag uint64) {
	if env == nil || tag == 0 {
		h.t.Errorf("Hold(%v, %d): every event of the test is tagged", env, tag)
	}
	h.count[tag]++
	h.holds++
}

func (h *countingHolder) Release(env *event.Envelope, tag uint64) {
	if h.count[tag] == 0 {
		h.t.Fatalf("Release of tag %d (%s) with no holding", tag, env.DetailType)
	}
	h.count[tag]--
	if h.count[tag] == 0 {
		delete(h.count, tag)
	}
}

// taggedTraffic publishes Order.Created as the orders account, each with
// a tag of its own (its journey), every `every` until `until`.
type taggedTraffic struct {
	m     *Model
	id    int
	every time.Duration
	until sim.Time
	next  uint64
}

func (tr *taggedTraffic) Wake(now sim.Time, _ int64) {
	tr.next++
	tr.m.PutEvents("orders", []event.Entry{{EventBusName: "bus/global", Source: "busdrill.orders",
		DetailType: "Order.Created", Detail: detailCreated, Tag: tr.next}})
	if next := now.Add(tr.every); next <= tr.until {
		tr.m.WakeAt(next, tr.id, 0)
	}
}

// actions runs functions at given times, as a fault schedule does.
type actions struct{ do []func() }

func (a *actions) Wake(_ sim.Time, arg int64) { a.do[arg]() }

// holdsWorld runs the order flow with tagged traffic (each service
// publishes with the tag it consumed), an outage that dead-letters, a
// stalled handler whose backlog is packed, a DLQ redriven and, with
// archive, an archive replayed, all observed by obs, with holder as
// Params.Holds. It returns the model, idle, and how many messages the DLQ
// held before the redrive.
func holdsWorld(t *testing.T, holder Holder, obs Observer, archive bool) (*Model, int) {
	p := DefaultParams()
	p.Holds = holder
	p.Details = &tableCodec{}
	reply := func(dt string, detail []byte) func(c *HandlerCall) {
		return func(c *HandlerCall) {
			c.PutEvents([]event.Entry{{EventBusName: "bus/global", Source: "busdrill.service", DetailType: dt, Detail: detail, Tag: c.Tag}})
		}
	}
	p.Handlers = []HandlerSpec{
		{Handler: "delivery/worker", Concurrency: 3, OnSuccess: reply("Delivery.Updated", detailUpdated)},
		{Handler: "orders/updater", Concurrency: 3, OnSuccess: reply("Order.Updated", detailOrder)},
	}
	m, err := New(orderFlowTopology(archive), p, obs)
	if err != nil {
		t.Fatal(err)
	}
	tr := &taggedTraffic{m: m, every: 10 * time.Millisecond, until: sim.At(3 * time.Second)}
	tr.id = m.AddWaker(tr)
	m.WakeAt(0, tr.id, 0)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	acts := &actions{}
	at := func(d time.Duration, f func()) {
		acts.do = append(acts.do, f)
		m.WakeAt(sim.At(d), m.AddWaker(acts), int64(len(acts.do)-1))
	}
	target := "delivery/local/orders-created/handler"
	at(500*time.Millisecond, func() { must(m.SetAvailability(target, CodeNoPermissions)) })
	at(time.Second, func() { must(m.SetAvailability(target, "")) })
	at(1200*time.Millisecond, func() { must(m.StallHandler("orders/updater", true)) })
	at(2*time.Second, func() { must(m.StallHandler("orders/updater", false)) })
	dead := 0
	at(20*time.Minute, func() {
		dead = len(m.DLQMessages("delivery/dlq"))
		if archive {
			must(m.StartReplay(ReplaySpec{Name: "again", Archive: "global-all", Destination: "bus/global",
				Start: sim.At(0).Wall(), End: sim.At(time.Minute).Wall()}))
		}
		if _, err := m.Redrive("delivery/dlq", 0); err != nil {
			t.Fatal(err)
		}
	})
	m.RunUntilIdle(0)
	return m, dead
}

// TestHoldsPairUp: every Release follows a Hold of the same event (the
// holder fails otherwise), and once the model is idle it holds nothing
// but the archived events: the DLQ was redriven, the backlog ran, the
// replay ended.
func TestHoldsPairUp(t *testing.T) {
	for _, archive := range []bool{false, true} {
		h := &countingHolder{t: t, count: map[uint64]int{}}
		m, dead := holdsWorld(t, h, nil, archive)
		archived := 0
		if archive {
			archived = len(m.archives[0].events)
		}
		held := 0
		for _, n := range h.count {
			held += n
		}
		if (archive && archived == 0) || dead == 0 || h.holds <= archived {
			t.Fatalf("archive %v: %d archived, %d dead-lettered, %d holdings: the test proves nothing", archive, archived, dead, h.holds)
		}
		if held != archived {
			t.Errorf("archive %v: the idle model holds %d events, want the %d archived", archive, held, archived)
		}
		if n := len(m.DLQMessages("delivery/dlq")); n != 0 {
			t.Errorf("archive %v: %d DLQ messages left after the redrive", archive, n)
		}
		if len(m.metas) == 0 {
			t.Errorf("archive %v: no event waited packed: the test proves nothing about backlogs", archive)
		}
	}
}

// TestHoldsChangeNothing: the observations are the same with and without
// a holder.
func TestHoldsChangeNothing(t *testing.T) {
	trace := func(holder Holder) []byte {
		var buf bytes.Buffer
		tw := NewTraceWriter(&buf)
		_, _ = holdsWorld(t, holder, tw, true)
		if err := tw.Flush(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	without := trace(nil)
	with := trace(&countingHolder{t: t, count: map[uint64]int{}})
	if len(without) == 0 || !bytes.Equal(without, with) {
		t.Fatal("a holder changed the observations")
	}
}

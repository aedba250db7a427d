package backbone

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/sim"
)

// lazyCodec builds detail number token as {"n":token}.
type lazyCodec struct{ built int }

func lazyDetail(token uint64) []byte { return []byte(fmt.Sprintf(`{"n":%d,"pad":"xxxxxxxx"}`, token)) }

func (c *lazyCodec) Pack(*event.Envelope, uint64) (uint64, bool) { return 0, false }
func (c *lazyCodec) Unpack(dst []byte, token uint64) []byte {
	c.built++
	return append(dst, lazyDetail(token)...)
}

// TestLazyDetails: an entry published without its detail is built when
// something reads it — an observer that wants details, a DLQ's messages —
// and never otherwise; it counts its size meanwhile; without a codec it
// is refused.
func TestLazyDetails(t *testing.T) {
	entry := func(token uint64) event.Entry {
		return event.Entry{EventBusName: "bus/global", Source: "busdrill.orders", DetailType: "Order.Created",
			DetailBytes: len(lazyDetail(token)), DetailValid: true, DetailLazy: true, DetailToken: token, Tag: token + 1}
	}
	for _, wants := range []bool{false, true} {
		codec := &lazyCodec{}
		p := DefaultParams()
		p.Details = codec
		kinds := KindsOf(KindDelivered, KindDeadLettered)
		if wants {
			kinds |= WantsDetails
		}
		var seen [][]byte
		obs := Filter(ObserverFunc(func(o *Observation) {
			seen = append(seen, o.Env.Detail)
		}), kinds)
		m, err := New(orderFlowTopology(false), p, obs)
		if err != nil {
			t.Fatal(err)
		}
		// The delivery handler's target fails for good: its DLQ gets
		// the events.
		if err := m.SetAvailability("delivery/local/orders-created/handler", CodeNoPermissions); err != nil {
			t.Fatal(err)
		}
		for i := uint64(0); i < 5; i++ {
			if r := m.PutEvents("orders", []event.Entry{entry(i)}); r.Err != nil || r.FailedEntryCount != 0 {
				t.Fatalf("PutEvents: %+v", r)
			}
		}
		m.RunUntil(sim.At(time.Minute))
		for _, d := range seen {
			if wants != (d != nil) {
				t.Fatalf("wants details %v: an observer saw detail %q", wants, d)
			}
		}
		if len(seen) == 0 || wants != (codec.built > 0) {
			t.Fatalf("wants details %v: %d observations, %d details built", wants, len(seen), codec.built)
		}
		msgs := m.DLQMessages("delivery/dlq")
		if len(msgs) != 5 {
			t.Fatalf("%d DLQ messages", len(msgs))
		}
		for _, msg := range msgs {
			if want := lazyDetail(msg.Tag - 1); !bytes.Equal(msg.Env.Detail, want) {
				t.Fatalf("DLQ message detail %q, want %q", msg.Env.Detail, want)
			}
		}
	}
	// Without a codec, a lazy entry has no detail.
	m, err := New(orderFlowTopology(false), DefaultParams(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := m.PutEvents("orders", []event.Entry{entry(1)})
	if r.Err != nil || r.FailedEntryCount != 1 || r.Entries[0].ErrorCode != event.CodeInvalidArgument {
		t.Fatalf("lazy entry without a codec: %+v", r)
	}
}

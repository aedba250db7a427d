package backbone

import (
	"bytes"
	"testing"
	"time"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/sim"
)

// tableCodec packs a detail as its index in a table.
type tableCodec struct{ details [][]byte }

func (c *tableCodec) Pack(env *event.Envelope, _ uint64) (uint64, bool) {
	c.details = append(c.details, bytes.Clone(env.Detail))
	return uint64(len(c.details) - 1), true
}

func (c *tableCodec) Unpack(dst []byte, token uint64) []byte {
	return append(dst, c.details[token]...)
}

// TestParkedEventsAreUnchanged: a handler's backlog packs its waiting
// events with Params.Details and rebuilds them when they run; the trace
// (every observation, envelopes included) is the same as without packing.
func TestParkedEventsAreUnchanged(t *testing.T) {
	run := func(codec DetailCodec) ([]byte, int) {
		var buf bytes.Buffer
		tw := NewTraceWriter(&buf)
		var envs bytes.Buffer
		obs := Multi(tw, ObserverFunc(func(o *Observation) {
			if o.Env != nil && (o.Kind == KindHandlerStarted || o.Kind == KindDelivered) {
				envs.Write(o.Env.AppendJSON(nil))
				envs.WriteByte('\n')
			}
		}))
		p := DefaultParams()
		p.Details = codec
		m, _, err := newWorld(p, obs, false, 2*time.Millisecond, sim.At(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for i := range m.handlers {
			m.handlers[i].spec.Concurrency = 2 // a long backlog
		}
		m.RunUntilIdle(0)
		if err := tw.Flush(); err != nil {
			t.Fatal(err)
		}
		return append(buf.Bytes(), envs.Bytes()...), len(m.metas)
	}
	codec := &tableCodec{}
	plain, _ := run(nil)
	parked, metas := run(codec)
	if len(codec.details) < 100 || metas == 0 {
		t.Fatalf("%d events packed, %d metas: the test proves nothing", len(codec.details), metas)
	}
	if !bytes.Equal(plain, parked) {
		t.Fatal("packing waiting events changed the observations")
	}
}

// TestBacklogFIFO: the chunked backlog pops in push order across chunks,
// also when it empties and fills again.
func TestBacklogFIFO(t *testing.T) {
	var q backlog
	next, want := 0, 0
	for round, n := range []int{1, 3 * backlogChunk, backlogChunk, 5, 2*backlogChunk + 7} {
		for i := 0; i < n; i++ {
			q.push(waiting{tag: uint64(next)})
			next++
			if i%3 == 2 { // interleave pops with pushes
				if got := q.pop().tag; got != uint64(want) {
					t.Fatalf("round %d: popped %d, want %d", round, got, want)
				}
				want++
			}
		}
		for q.len() > 0 {
			if got := q.pop().tag; got != uint64(want) {
				t.Fatalf("round %d: popped %d, want %d", round, got, want)
			}
			want++
		}
	}
	if want != next {
		t.Fatalf("popped %d of %d", want, next)
	}
}

package world

import (
	"bytes"
	"io"
	"testing"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/sim/backbone"
)

// TestTagsAgreeWithDetails: the world correlates observations through
// the entries' tags (loadgen.JourneyTag) instead of reading the journey
// from every detail; that is the same answer only if every event's tag
// names the journey its detail's metadata names. And the detail codec
// the model parks waiting events with gives back each detail exactly.
func TestTagsAgreeWithDetails(t *testing.T) {
	sc := shortReference(t)
	// Every detail built (the trace's filter, set once the model is,
	// reads them): lazy ones are the codec's by construction.
	w, err := build(Options{Scenario: sc, Trace: io.Discard, eagerDetails: true})
	if err != nil {
		t.Fatal(err)
	}
	codec := detailCodec{w}
	seen, packed := 0, 0
	// The trace's filter sees every observation, after the world's.
	w.trace.Filter = func(o *backbone.Observation) bool {
		if o.Env == nil {
			return false
		}
		seen++
		jid, ok := loadgen.JourneyOf(o.Env.Detail)
		if tj, tok := loadgen.JourneyOfTag(o.Tag); tok != ok || tj != jid {
			t.Fatalf("%v of %s: tag %d, detail journey %d (%v)", o.Kind, o.EventID, o.Tag, jid, ok)
		}
		if tok, ok := codec.Pack(o.Env, o.Tag); ok {
			packed++
			if got := codec.Unpack(nil, tok); !bytes.Equal(got, o.Env.Detail) {
				t.Fatalf("%s: the codec gives back\n%s\nfor\n%s", o.EventID, got, o.Env.Detail)
			}
		}
		return false
	}
	w.run()
	if seen == 0 || packed == 0 {
		t.Fatalf("%d observations with an event, %d packed: the test proves nothing", seen, packed)
	}
}

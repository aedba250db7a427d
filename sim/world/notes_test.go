package world

import (
	"testing"
	"unsafe"

	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/topology"
)

// TestNoteSize: a note stays 80 bytes. Every note passes through the
// model's caches (see note), so a field more is a cost the million
// benchmark measures; grow it only knowingly, and update the figures of
// notesBatch.
func TestNoteSize(t *testing.T) {
	if got := unsafe.Sizeof(note{}); got != 80 {
		t.Fatalf("a note is %d bytes, want 80", got)
	}
}

// TestNoteSender: a sender travels as its topology index and comes back
// as its name, the same string twice (through the lookaside) as once; a
// sender outside the topology travels by name; none is none.
func TestNoteSender(t *testing.T) {
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	router, err := topology.NewRouter(sc.Topology)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{router: router}
	m := &measure{router: router}
	name := sc.Topology.Accounts[len(sc.Topology.Accounts)-1].Name
	for _, sender := range []string{name, name, "ghost", "ghost", ""} {
		var n note
		w.noteSender(&n, sender)
		if got := m.sender(&n); got != sender {
			t.Fatalf("sender %q came back as %q (index %d)", sender, got, n.n)
		}
		if sender == name && n.n != int32(len(sc.Topology.Accounts)-1) {
			t.Fatalf("sender %q has index %d", sender, n.n)
		}
	}
}

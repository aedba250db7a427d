package world

import (
	"testing"
	"unsafe"
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

package report

import "time"

// idSet is a set of 64-bit envelope-id hashes bounded in time by two
// generations: ids are added to the current one, looked up in both, and
// every window the older generation is dropped. An id is therefore
// remembered for at least one window and at most two after it was added.
// Each id keeps its local journey, so that the ids of retired journeys
// (which no delivery can name again) are purged whenever the set has
// doubled since it last was: the set then holds about twice the ids of
// the journeys still followed.
type idSet struct {
	cur, old map[uint64]uint64
	// start is when the current generation began.
	start time.Duration
	// purgeAt is the size at which the next purge runs.
	purgeAt int
}

// minPurge is the smallest set worth purging.
const minPurge = 1024

// seenOrAdd reports whether h is in the set, adding it (for local
// journey lj) if not.
func (s *idSet) seenOrAdd(h, lj uint64, at, window time.Duration) bool {
	if s.cur == nil {
		s.cur, s.start = make(map[uint64]uint64), at
	}
	if at-s.start >= window {
		// Rotate: reuse the old generation's storage for the new one.
		// After two windows of silence, the current one is stale too.
		s.old, s.cur = s.cur, s.old
		if s.cur == nil {
			s.cur = make(map[uint64]uint64)
		}
		clear(s.cur)
		if at-s.start >= 2*window {
			clear(s.old)
		}
		s.start = at
	}
	if _, ok := s.cur[h]; ok {
		return true
	}
	if _, ok := s.old[h]; ok {
		return true
	}
	s.cur[h] = lj
	return false
}

// purge forgets the ids of the journeys r retired, when the set has
// doubled since the last purge. Forgetting them changes no answer: no
// delivery of a retired journey comes.
func (s *idSet) purge(r *Recorder) {
	n := len(s.cur) + len(s.old)
	if n < max(s.purgeAt, minPurge) {
		return
	}
	for _, gen := range []map[uint64]uint64{s.cur, s.old} {
		for h, lj := range gen {
			if r.journeys.Get(lj) == nil {
				delete(gen, h)
			}
		}
	}
	s.purgeAt = 2 * (len(s.cur) + len(s.old))
}

// fnv1a is the 64-bit FNV-1a hash of s.
func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

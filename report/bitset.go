package report

import "time"

// maxJourneys bounds the (shard-local) journey indexes the recorder tracks
// in its dense tables: 2^32 orders per shard. A larger index cannot come
// from loadgen; it is counted as the anomaly "journey_out_of_range" and
// escapes deduplication rather than growing a page table without bound.
const maxJourneys = 1 << 32

// pagedBits is a bitset indexed by a dense journey index, allocated in
// pages of 64 Ki bits (8 KiB) on first touch, so a consumer that sees only
// some journeys, or a shard that starts high, pays only for the pages it
// touches. The page table costs 8 bytes per 64 Ki indexes.
type pagedBits struct {
	pages []*[bitsPageWords]uint64
}

const (
	bitsPageShift = 16
	bitsPageWords = 1 << bitsPageShift / 64
)

// testAndSet sets bit i and reports whether it was already set.
func (b *pagedBits) testAndSet(i uint64) bool {
	p := i >> bitsPageShift
	if p >= uint64(len(b.pages)) {
		b.pages = growPages(b.pages, int(p)+1)
	}
	pg := b.pages[p]
	if pg == nil {
		pg = new([bitsPageWords]uint64)
		b.pages[p] = pg
	}
	w, m := &pg[(i>>6)&(bitsPageWords-1)], uint64(1)<<(i&63)
	was := *w&m != 0
	*w |= m
	return was
}

// test reports whether bit i is set.
func (b *pagedBits) test(i uint64) bool {
	p := i >> bitsPageShift
	if p >= uint64(len(b.pages)) || b.pages[p] == nil {
		return false
	}
	return b.pages[p][(i>>6)&(bitsPageWords-1)]&(1<<(i&63)) != 0
}

// growPages extends a page table to at least n entries, doubling so that
// growth is amortised.
func growPages[P any](pages []*P, n int) []*P {
	if n <= cap(pages) {
		return pages[:n]
	}
	grown := make([]*P, n, max(n, 2*cap(pages)))
	copy(grown, pages)
	return grown
}

// fingerprints keeps, per dense journey index, a 32-bit fingerprint of the
// envelope id of the first delivery of one business key at one consumer
// (0: none kept). Pages of 4096 entries (16 KiB) are allocated on first
// touch and released once no first delivery was written to them for the
// retention window: see [fingerprints.evict].
type fingerprints struct {
	pages []*fpPage
}

const (
	fpPageShift = 12
	fpPageSize  = 1 << fpPageShift
)

type fpPage struct {
	fp [fpPageSize]uint32
	// last is the latest time a fingerprint was written to the page.
	last time.Duration
}

func (f *fingerprints) set(i uint64, fp uint32, at time.Duration) {
	p := i >> fpPageShift
	if p >= uint64(len(f.pages)) {
		f.pages = growPages(f.pages, int(p)+1)
	}
	pg := f.pages[p]
	if pg == nil {
		pg = new(fpPage)
		f.pages[p] = pg
	}
	pg.fp[i&(fpPageSize-1)] = fp
	pg.last = max(pg.last, at)
}

func (f *fingerprints) get(i uint64) uint32 {
	p := i >> fpPageShift
	if p >= uint64(len(f.pages)) || f.pages[p] == nil {
		return 0
	}
	return f.pages[p].fp[i&(fpPageSize-1)]
}

// evict releases the pages last written before horizon.
func (f *fingerprints) evict(horizon time.Duration) {
	for i, pg := range f.pages {
		if pg != nil && pg.last < horizon {
			f.pages[i] = nil
		}
	}
}

// idSet is a set of 64-bit envelope-id hashes bounded in time by two
// generations: ids are added to the current one, looked up in both, and
// every window the older generation is dropped. An id is therefore
// remembered for at least one window and at most two after it was added.
type idSet struct {
	cur, old map[uint64]struct{}
	// start is when the current generation began.
	start time.Duration
}

// seenOrAdd reports whether h is in the set, adding it if not.
func (s *idSet) seenOrAdd(h uint64, at, window time.Duration) bool {
	if s.cur == nil {
		s.cur, s.start = make(map[uint64]struct{}), at
	}
	if at-s.start >= window {
		// Rotate: reuse the old generation's storage for the new one.
		// After two windows of silence, the current one is stale too.
		s.old, s.cur = s.cur, s.old
		if s.cur == nil {
			s.cur = make(map[uint64]struct{})
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
	s.cur[h] = struct{}{}
	return false
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

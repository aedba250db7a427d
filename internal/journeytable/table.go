package journeytable

import "math/bits"

const (
	pageShift = 10
	// PageSize is the number of consecutive indexes a page holds.
	PageSize  = 1 << pageShift
	pageWords = PageSize / 64
	// Lag is how many pages behind the head a page stays even when empty,
	// and may still be allocated for a new entry.
	Lag = 8
	// MaxSpan bounds the page table: an index more than MaxSpan pages
	// beyond the oldest resident page spills every resident entry first.
	MaxSpan = 1 << 20
)

// Table is a table of T by journey index; see the package documentation.
type Table[T any] struct {
	// pages[k] is page base+k, nil when not resident.
	pages []*page[T]
	base  uint64
	// head is the highest page allocated; started says whether one was.
	head    uint64
	started bool
	// resident counts the non-nil pages; n the entries in them.
	resident, n int
	spill       map[uint64]*T
	// spare is a freed page kept for the next allocation.
	spare *page[T]
}

type page[T any] struct {
	n       int
	present [pageWords]uint64
	v       [PageSize]T
}

func (pg *page[T]) has(k uint64) bool { return pg.present[k>>6]&(1<<(k&63)) != 0 }

// Len returns the number of entries present.
func (t *Table[T]) Len() int { return t.n + len(t.spill) }

// Resident returns the number of pages allocated (for tests and memory
// accounting).
func (t *Table[T]) Resident() int { return t.resident }

// page returns the resident page p, or nil.
func (t *Table[T]) page(p uint64) *page[T] {
	// Below base, p - base wraps around to more than any length.
	if k := p - t.base; k < uint64(len(t.pages)) {
		return t.pages[k]
	}
	return nil
}

// Get returns the entry of index i, or nil when it is absent.
func (t *Table[T]) Get(i uint64) *T {
	if pg := t.page(i >> pageShift); pg != nil {
		k := i & (PageSize - 1)
		if pg.has(k) {
			return &pg.v[k]
		}
		return nil
	}
	if len(t.spill) == 0 {
		return nil
	}
	return t.spill[i]
}

// Put returns the entry of index i, creating it (zeroed) when it is
// absent; created says whether it did.
func (t *Table[T]) Put(i uint64) (v *T, created bool) {
	p := i >> pageShift
	pg := t.page(p)
	if pg == nil {
		if !t.allocatable(p) {
			return t.putSpilled(i)
		}
		pg = t.allocate(p)
	}
	k := i & (PageSize - 1)
	if pg.has(k) {
		return &pg.v[k], false
	}
	pg.present[k>>6] |= 1 << (k & 63)
	pg.n++
	t.n++
	return &pg.v[k], true
}

// allocatable reports whether page p may be allocated: a new head, or
// within Lag of it (and not below the oldest resident page, whose
// predecessors were spilled or freed for good).
func (t *Table[T]) allocatable(p uint64) bool {
	if !t.started || p > t.head {
		return true
	}
	return p >= t.base && p+Lag >= t.head
}

func (t *Table[T]) putSpilled(i uint64) (*T, bool) {
	if v, ok := t.spill[i]; ok {
		return v, false
	}
	if t.spill == nil {
		t.spill = make(map[uint64]*T)
	}
	v := new(T)
	t.spill[i] = v
	return v, true
}

// allocate makes page p resident and, when p is a new head, frees the
// empty pages that fell Lag behind and spills sparse old pages.
func (t *Table[T]) allocate(p uint64) *page[T] {
	if !t.started {
		t.started, t.base, t.head = true, p, p
	}
	if p-t.base >= MaxSpan {
		t.spillAll()
		t.base, t.head = p, p
	}
	for uint64(len(t.pages)) <= p-t.base {
		t.pages = append(t.pages, nil)
	}
	pg := t.spare
	t.spare = nil
	if pg == nil {
		pg = new(page[T])
	}
	t.pages[p-t.base] = pg
	t.resident++
	if p > t.head {
		old := t.head
		t.head = p
		t.freeEmptyBetween(old, p)
		t.spillSparse()
	}
	return pg
}

// freeEmptyBetween frees the empty pages that the head's move from old to
// head put more than Lag behind it.
func (t *Table[T]) freeEmptyBetween(old, head uint64) {
	from := t.base
	if old >= Lag {
		from = max(from, old-Lag)
	}
	for q := from; q+Lag < head; q++ {
		if pg := t.page(q); pg != nil && pg.n == 0 {
			t.free(q)
		}
	}
}

// Delete removes the entry of index i, if present.
func (t *Table[T]) Delete(i uint64) {
	p := i >> pageShift
	if pg := t.page(p); pg != nil {
		k := i & (PageSize - 1)
		if !pg.has(k) {
			return
		}
		pg.present[k>>6] &^= 1 << (k & 63)
		var zero T
		pg.v[k] = zero
		pg.n--
		t.n--
		if pg.n == 0 && p+Lag < t.head {
			t.free(p)
		}
		return
	}
	if len(t.spill) > 0 {
		delete(t.spill, i)
	}
}

// free releases resident page p (keeping it as the spare) and drops the
// leading non-resident pages from the page table.
func (t *Table[T]) free(p uint64) {
	k := p - t.base
	pg := t.pages[k]
	t.pages[k] = nil
	t.resident--
	t.n -= pg.n
	if t.spare == nil {
		*pg = page[T]{}
		t.spare = pg
	}
	lead := 0
	for lead < len(t.pages) && t.pages[lead] == nil {
		lead++
	}
	if lead == len(t.pages) {
		// Nothing resident: the next page allocated starts the table
		// again (the head is kept, so Lag still applies).
		t.base = t.head + 1
		t.pages = t.pages[:0]
		return
	}
	t.base += uint64(lead)
	t.pages = t.pages[lead:]
}

// spillSparse moves the entries of the oldest sparse pages to the spill
// while the resident pages (but the Lag pages next to the head) are less
// than a quarter full.
func (t *Table[T]) spillSparse() {
	for p := t.base; p+Lag < t.head && t.sparse(); p++ {
		if pg := t.page(p); pg != nil && 4*pg.n <= PageSize {
			t.spillPage(p)
		}
	}
}

// sparse reports whether the resident pages are less than a quarter full,
// not counting Lag + 1 pages' worth of capacity.
func (t *Table[T]) sparse() bool {
	return (t.resident-Lag-1)*PageSize > 4*t.n
}

// spillPage moves the entries of resident page p to the spill and frees
// the page.
func (t *Table[T]) spillPage(p uint64) {
	pg := t.page(p)
	if pg.n > 0 && t.spill == nil {
		t.spill = make(map[uint64]*T, pg.n)
	}
	for w, b := range pg.present {
		for ; b != 0; b &= b - 1 {
			k := uint64(w)*64 + uint64(bits.TrailingZeros64(b))
			v := new(T)
			*v = pg.v[k]
			t.spill[p<<pageShift|k] = v
		}
	}
	t.free(p)
}

// spillAll moves every resident entry to the spill.
func (t *Table[T]) spillAll() {
	for k := len(t.pages) - 1; k >= 0; k-- {
		if t.pages[k] != nil {
			t.spillPage(t.base + uint64(k))
		}
	}
	t.pages = t.pages[:0]
}

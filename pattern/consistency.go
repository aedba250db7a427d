package pattern

import (
	"cmp"
	"errors"
	"slices"

	"github.com/busdrill/busdrill/event"
)

// Array consistency: given, for each of several conds, its candidate
// fields (all inside arrays), is there one candidate per cond such that
// any two chosen fields sit in the same element of every array enclosing
// both?
//
// The event's arrays form a tree: an element of an array contains the
// arrays written inside it. A set of fields is consistent exactly when,
// in every array, all the chosen fields inside that array are in one
// element. So the question is answered by walking down the tree: at an
// element (the event itself at the top), a cond with a candidate directly
// in the element is covered there; every other cond must be covered
// inside one of the element's arrays, and in an array, the conds assigned
// to it must all be covered by one element of it (tried in turn), and so
// on down.
//
// When each uncovered cond has its candidates in only one array of the
// element, the conds split between the arrays with no choice to make, and
// the walk visits each array element at most once, doing work
// proportional to the candidates inside it and to the number of conds: the
// whole test costs O(candidates × depth of nesting + elements × conds),
// bounded by the event's size times the pattern's. The candidates of one
// cond are in event order, which is the order of the tree, so those inside
// an element or an array are a contiguous run, found without searching.
//
// A cond can have candidates in two arrays of the same element only when
// the event names one path twice: a duplicate key ({"a":[...],"a":[...]})
// or a dotted key spelling a nested path ({"a":{"b":[...]},"a.b":[...]}).
// Then the walk must choose which array covers the cond, and choices
// multiply: deciding consistency for such events is NP-hard (it encodes
// satisfiability), for event-ruler as for anyone. The walk tries the
// choices in turn, and the work done while choosing is capped at
// maxConsistencyWork; past it the match fails with errConsistencyBudget,
// never with a wrong "no match". Events without duplicate or dotted keys
// never choose, so never meet the cap.

// maxConsistencyWork bounds the work spent choosing between arrays for one
// rule and event, in candidates examined: about 10 ms on a busy 2-core
// machine, far more than any event with a few duplicate keys needs.
const maxConsistencyWork = 1 << 20

// ErrMatchBudget is returned by matching when an event puts one pattern
// field in two sibling arrays (through a duplicate key or a dotted key)
// so many times that deciding array consistency exactly would exceed
// maxConsistencyWork. The event is neither matched nor unmatched.
var ErrMatchBudget error = errConsistencyBudget

var errConsistencyBudget = errors.New("pattern: event too entangled to match: its duplicate or dotted keys put pattern fields in sibling arrays in too many ways to check array consistency within the work budget")

// pending is one cond still to be covered at the current element: its
// candidates inside the element are s.cand[lo:hi]. key is the array of
// the element that holds them all, or -1 when they are in several.
type pending struct {
	lo, hi int32
	key    int32
}

// smallProduct is the most combinations of one candidate per cond that
// consistent tries one by one instead of walking the array tree: the
// usual rule tests two or three fields of a few items, where trying the
// combinations costs less than setting up the walk. It is a variable so
// that tests can send every case through the walk.
var smallProduct = 64

// consistent decides array consistency for the groups of s.group. When the
// work budget runs out it returns false and leaves s.exhausted set: the
// caller must report errConsistencyBudget, not "no match".
func (s *Scratch) consistent() bool {
	product := 1
	for _, g := range s.group {
		product *= int(g.end - g.begin)
		if product > smallProduct {
			break
		}
	}
	if product <= smallProduct {
		return s.combinations()
	}
	s.ents = s.ents[:0]
	for _, g := range s.group {
		s.ents = append(s.ents, pending{lo: g.begin, hi: g.end})
	}
	s.work, s.choosing, s.exhausted = 0, 0, false
	return s.element(0, 0, len(s.ents))
}

// combinations tries every choice of one candidate per group (at most
// smallProduct of them) for one that is pairwise consistent.
func (s *Scratch) combinations() bool {
	g := s.group
	if cap(s.pos) < len(g) {
		s.pos = make([]int32, len(g))
	}
	pos := s.pos[:len(g)]
	fields := s.flat.Fields
	k := 0
	pos[0] = g[0].begin
	for k >= 0 {
		if pos[k] == g[k].end {
			k--
			if k >= 0 {
				pos[k]++
			}
			continue
		}
		f := &fields[s.cand[pos[k]]]
		ok := true
		for h := 0; h < k; h++ {
			if !s.flat.Consistent(f, &fields[s.cand[pos[h]]]) {
				ok = false
				break
			}
		}
		if !ok {
			pos[k]++
			continue
		}
		if k == len(g)-1 {
			return true
		}
		k++
		pos[k] = g[k].begin
	}
	return false
}

// at returns the array position of candidate i at depth d and whether the
// candidate is that deep (false: it sits directly in the element at d).
func (s *Scratch) at(i int32, d int) (event.ArrayPos, bool) {
	ch := s.flat.Chain(&s.flat.Fields[s.cand[i]])
	if d >= len(ch) {
		return event.ArrayPos{}, false
	}
	return ch[d], true
}

// spend counts work; it reports false once the budget is exhausted, which
// can only happen while choosing between arrays.
func (s *Scratch) spend(n int) bool {
	if s.choosing == 0 {
		return true
	}
	s.work += n
	if s.work > maxConsistencyWork {
		s.exhausted = true
	}
	return !s.exhausted
}

// element reports whether the entries s.ents[off:off+n], all inside one
// element at depth d (the element's chain is the first d positions of
// their candidates' chains), can all be covered inside it. It may reorder
// and overwrite those entries.
func (s *Scratch) element(d, off, n int) bool {
	if s.exhausted || !s.spend(n) {
		return false
	}
	ents := s.ents[off : off+n]
	kept := 0
	for _, e := range ents {
		if !s.spend(int(e.hi - e.lo)) {
			return false
		}
		direct := false
		for i := e.lo; i < e.hi; i++ {
			if _, deeper := s.at(i, d); !deeper {
				direct = true
				break
			}
		}
		if !direct {
			ents[kept] = e
			kept++
		}
	}
	ents = ents[:kept]
	if kept == 0 {
		return true
	}
	contested := -1
	for i := range ents {
		first, _ := s.at(ents[i].lo, d)
		last, _ := s.at(ents[i].hi-1, d)
		ents[i].key = first.Array
		if first.Array != last.Array {
			ents[i].key = -1
			if contested < 0 {
				contested = i
			}
		}
	}
	if contested >= 0 {
		return s.choose(d, off, kept, contested)
	}
	slices.SortFunc(ents, func(a, b pending) int { return cmp.Compare(a.key, b.key) })
	for i := 0; i < kept; {
		j := i + 1
		for j < kept && s.ents[off+j].key == s.ents[off+i].key {
			j++
		}
		if !s.array(d, off+i, j-i) {
			return false
		}
		i = j
	}
	return true
}

// array reports whether one element of the array at depth d that holds
// all the entries s.ents[off:off+n] can cover them all.
func (s *Scratch) array(d, off, n int) bool {
	// Cursors: a copy of the entries whose lo advances through the
	// candidates, in element order.
	cur := len(s.ents)
	s.ents = append(s.ents, s.ents[off:off+n]...)
	ok := s.elements(d, cur, n)
	s.ents = s.ents[:cur]
	return ok
}

// elements walks the elements holding every cursor's cond, in order,
// until one covers them all.
func (s *Scratch) elements(d, cur, n int) bool {
	for {
		target := int32(-1)
		for i := cur; i < cur+n; i++ {
			if s.ents[i].lo == s.ents[i].hi {
				return false // no element left holds this cond
			}
			p, _ := s.at(s.ents[i].lo, d)
			target = max(target, p.Index)
		}
		aligned := true
		for i := cur; i < cur+n; i++ {
			for {
				e := s.ents[i]
				if e.lo == e.hi {
					return false // no element left holds this cond
				}
				if p, _ := s.at(e.lo, d); p.Index >= target {
					aligned = aligned && p.Index == target
					break
				}
				s.ents[i].lo++
				if !s.spend(1) {
					return false
				}
			}
		}
		if !aligned {
			continue
		}
		// Element target holds every cond: try it with the runs of
		// candidates inside it, moving the cursors past them.
		sub := len(s.ents)
		for i := cur; i < cur+n; i++ {
			e := s.ents[i]
			end := e.lo
			for end < e.hi {
				if p, _ := s.at(end, d); p.Index != target {
					break
				}
				end++
			}
			s.ents[i].lo = end
			s.ents = append(s.ents, pending{lo: e.lo, hi: end})
		}
		if !s.spend(n) {
			return false
		}
		ok := s.element(d+1, sub, n)
		s.ents = s.ents[:sub]
		if ok || s.exhausted {
			return ok
		}
	}
}

// choose handles pending c of s.ents[off:off+n], whose candidates are in
// several arrays of the element at depth d: it tries covering the cond
// from each of those arrays in turn.
func (s *Scratch) choose(d, off, n, c int) bool {
	s.choosing++
	ok := s.alternatives(d, off, n, c)
	s.choosing--
	return ok
}

func (s *Scratch) alternatives(d, off, n, c int) bool {
	e := s.ents[off+c]
	for lo := e.lo; lo < e.hi; {
		first, _ := s.at(lo, d)
		hi := lo + 1
		for hi < e.hi {
			if p, _ := s.at(hi, d); p.Array != first.Array {
				break
			}
			hi++
		}
		if !s.spend(int(hi-lo) + n) {
			return false
		}
		alt := len(s.ents)
		s.ents = append(s.ents, s.ents[off:off+n]...)
		s.ents[alt+c] = pending{lo: lo, hi: hi}
		ok := s.element(d, alt, n)
		s.ents = s.ents[:alt]
		if ok || s.exhausted {
			return ok
		}
		lo = hi
	}
	return false
}

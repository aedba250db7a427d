package pattern

// Matching one rule (one conjunction of the $or expansion) against a
// flattened event.
//
// Each cond names a path and a leaf. The event's fields at that path are
// its candidates, and the cond holds when some candidate matches the leaf,
// or, if the leaf allows absence ({"exists":false}), when there is no
// candidate at all. Absence is judged over the whole event: a path with a
// value anywhere (in any array element) is present.
//
// Conds are not independent when the event has arrays of objects: the
// values that satisfy two conds must come from the same element of every
// array that encloses both (event-ruler's "array consistency"), so that
// {"items":{"sku":["A"],"qty":[5]}} needs an item that is both A and 5. A
// candidate outside any array is consistent with everything, so a cond
// with such a match is settled on its own; only conds whose every match is
// inside arrays are collected, and if two or more remain, a backtracking
// search looks for one candidate per cond, pairwise consistent, trying the
// cond with the fewest candidates first.
//
// That search is exponential in the worst case (as event-ruler's is). It
// is capped at maxConsistencyChecks pairwise checks per rule and event;
// an event that needs more is treated as not matching. No realistic event
// comes near the cap: it takes several conds, each with hundreds of
// candidates in shared arrays, none of them consistent.

// maxConsistencyChecks bounds the array-consistency search (about a
// millisecond of work).
const maxConsistencyChecks = 1 << 20

// holds reports whether every cond of a rule holds in the indexed event.
func (s *Scratch) holds(conds []cond) bool {
	fields, start, order := s.flat.Fields, s.start, s.order
	grouping := false // s.cand and s.group are in use for this rule
	for ci := range conds {
		c := &conds[ci]
		lo, hi := start[c.path], start[c.path+1]
		switch {
		case lo == hi:
			if c.leaf.absentOK {
				continue
			}
			return false
		case hi-lo == 1 && !fields[order[lo]].InArray():
			// One value outside any array: the common case, settled alone.
			if !c.leaf.matchField(&fields[order[lo]]) {
				return false
			}
			continue
		}
		if !grouping {
			grouping = true
			s.cand, s.group = s.cand[:0], s.group[:0]
		}
		begin := int32(len(s.cand))
		settled := false
		for _, fi := range order[lo:hi] {
			f := &fields[fi]
			if !c.leaf.matchField(f) {
				continue
			}
			if !f.InArray() {
				settled = true
				break
			}
			s.cand = append(s.cand, fi)
		}
		if settled {
			s.cand = s.cand[:begin]
			continue
		}
		end := int32(len(s.cand))
		if end == begin {
			return false
		}
		s.group = append(s.group, span{begin, end})
	}
	if !grouping || len(s.group) <= 1 {
		return true
	}
	return s.consistent()
}

// consistent searches for one candidate per group, pairwise consistent.
func (s *Scratch) consistent() bool {
	g := s.group
	// Fewest candidates first: failures surface early.
	for i := 1; i < len(g); i++ {
		for j := i; j > 0 && g[j].end-g[j].begin < g[j-1].end-g[j-1].begin; j-- {
			g[j], g[j-1] = g[j-1], g[j]
		}
	}
	if cap(s.pos) < len(g) {
		s.pos = make([]int32, len(g))
	}
	pos := s.pos[:len(g)]
	fields := s.flat.Fields
	budget := maxConsistencyChecks
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
			budget--
			if !s.flat.Consistent(f, &fields[s.cand[pos[h]]]) {
				ok = false
				break
			}
		}
		if budget <= 0 {
			return false
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

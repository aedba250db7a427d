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
// with such a match is settled on its own; the conds whose every match is
// inside arrays are handed to Scratch.consistent (consistency.go).

// holds reports whether every cond of a rule holds in the indexed event.
// When it returns false with s.exhausted set, the answer is unknown (see
// consistency.go).
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

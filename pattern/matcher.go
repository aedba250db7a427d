package pattern

import (
	"github.com/busdrill/busdrill/event"
)

// Matcher is an immutable set of compiled patterns (the rules of one bus).
// An event is flattened once, only on the paths the patterns reference,
// and then tested against every pattern. A Matcher is safe for concurrent
// use; each goroutine needs its own Scratch.
type Matcher struct {
	ps   *event.PathSet
	pats [][][]cond // per pattern, its rules, with paths renumbered to ps
}

// NewMatcher builds a Matcher over ps. Indexes in Match results refer to
// ps. A nil entry never matches.
func NewMatcher(ps []*Pattern) *Matcher {
	m := &Matcher{pats: make([][][]cond, len(ps))}
	index := map[string]int32{}
	var paths []string
	for i, p := range ps {
		if p == nil {
			continue
		}
		remap := make([]int32, len(p.paths))
		for j, path := range p.paths {
			id, ok := index[path]
			if !ok {
				id = int32(len(paths))
				index[path] = id
				paths = append(paths, path)
			}
			remap[j] = id
		}
		rules := make([][]cond, len(p.rules))
		for r, conds := range p.rules {
			out := make([]cond, len(conds))
			for k, c := range conds {
				out[k] = cond{path: remap[c.path], leaf: c.leaf}
			}
			rules[r] = out
		}
		m.pats[i] = rules
	}
	m.ps = event.NewPathSet(paths)
	return m
}

// Len is the number of patterns.
func (m *Matcher) Len() int { return len(m.pats) }

// TypeFieldsOnly reports whether the patterns read no envelope field but
// version, detail-type, source, account, region and replay-name: then
// Match gives the same answer for envelopes that agree on those fields
// (see event.PathSet.TypeFieldsOnly).
func (m *Matcher) TypeFieldsOnly() bool { return m.ps.TypeFieldsOnly() }

// NeedsDetail reports whether a pattern reads a path below "detail": only
// then does Match parse the envelope's detail.
func (m *Matcher) NeedsDetail() bool { return m.ps.NeedsDetail() }

// Scratch is the reusable working memory of matching: the flattened event
// and the buffers of the matching algorithm. Keep one per goroutine and
// pass it to every call; after a few events it stops growing, and matching
// no longer allocates. The zero value is ready to use. A Scratch may be
// used with any Matcher, but not by two goroutines at once.
type Scratch struct {
	flat  event.Flat
	start []int32 // per path: offsets into order (see index)
	order []int32 // field indexes grouped by path
	cand  []int32 // matching candidate fields of the conds being tested
	group []span  // per cond needing array consistency: its candidates
	// Array consistency (consistency.go): the positions of the small
	// search, the walk's stack of entries, and the work spent while
	// choosing between sibling arrays.
	pos       []int32
	ents      []pending
	work      int
	choosing  int
	exhausted bool
}

type span struct{ begin, end int32 }

// Match appends to dst the indexes (into the Matcher's patterns) of the
// patterns that match env, in increasing order. It does not allocate once
// s has grown: the envelope's fields are read from the struct (no JSON),
// the time is formatted only when a pattern references "time", and Detail
// is parsed only when a pattern references a path below "detail".
//
// The only error is ErrMatchBudget, for a detail whose duplicate or dotted
// keys make array consistency too costly to decide (see consistency.go);
// dst is then returned unchanged. Envelopes without such keys never get
// it.
func (m *Matcher) Match(env *event.Envelope, s *Scratch, dst []int) ([]int, error) {
	m.ps.FlattenEnvelope(env, &s.flat)
	return m.matchFlat(s, dst)
}

// MatchJSON is Match for an event given as JSON text, with the validation
// of TestEventPattern (see Pattern.MatchJSON): an invalid event returns dst
// unchanged and an *Error with Code "ValidationException". It can also
// fail with ErrMatchBudget, as Match can.
func (m *Matcher) MatchJSON(raw []byte, s *Scratch, dst []int) ([]int, error) {
	if err := m.ps.FlattenJSON(raw, &s.flat); err != nil || !s.flat.HasMandatory() {
		return dst, errInvalidEvent
	}
	return m.matchFlat(s, dst)
}

// Flat exposes the event flattened by the last Match or MatchJSON call
// with s (for debugging and tests); it is overwritten by the next call.
func (s *Scratch) Flat() *event.Flat { return &s.flat }

func (m *Matcher) matchFlat(s *Scratch, dst []int) ([]int, error) {
	s.index(m.ps.Len())
	n := len(dst)
	for i, rules := range m.pats {
		for _, conds := range rules {
			if s.holds(conds) {
				dst = append(dst, i)
				break
			}
			if s.exhausted {
				s.exhausted = false
				return dst[:n], errConsistencyBudget
			}
		}
	}
	return dst, nil
}

// index groups the flattened fields by path with a counting sort: the
// fields of path p are order[start[p]:start[p+1]].
func (s *Scratch) index(npaths int) {
	if cap(s.start) < npaths+2 {
		s.start = make([]int32, npaths+2)
	}
	start := s.start[:npaths+2]
	clear(start)
	fields := s.flat.Fields
	for i := range fields {
		start[fields[i].Path+2]++
	}
	for p := 2; p < len(start); p++ {
		start[p] += start[p-1]
	}
	if cap(s.order) < len(fields) {
		s.order = make([]int32, len(fields), 2*len(fields))
	}
	order := s.order[:len(fields)]
	for i := range fields {
		p := fields[i].Path + 1
		order[start[p]] = int32(i)
		start[p]++
	}
	s.start, s.order = start, order
}

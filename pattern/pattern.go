package pattern

import (
	"sync"
)

// Pattern is a compiled event pattern. It is immutable and safe for
// concurrent use.
type Pattern struct {
	src string
	// paths are the distinct dot-joined paths the pattern tests, in order
	// of first appearance; conds refer to them by index.
	paths []string
	// rules is the $or expansion: the pattern matches when any rule does.
	rules [][]cond
	// wildcards counts wildcard operands (for the per-bus quota).
	wildcards int
	// single matches this pattern alone (Pattern.MatchJSON).
	single *Matcher
}

// cond is one path of a rule and the leaf that must hold there.
type cond struct {
	path int32
	leaf leaf // by value: one less pointer to chase per cond
}

func newPattern(src string, rules []rule) *Pattern {
	p := &Pattern{src: src}
	index := map[string]int32{}
	counted := map[*leaf]bool{}
	for _, r := range rules {
		conds := make([]cond, 0, len(r))
		for _, e := range r {
			id, ok := index[e.path]
			if !ok {
				id = int32(len(p.paths))
				index[e.path] = id
				p.paths = append(p.paths, e.path)
			}
			conds = append(conds, cond{path: id, leaf: *e.leaf})
			if !counted[e.leaf] {
				counted[e.leaf] = true
				p.wildcards += e.leaf.wildcards
			}
		}
		p.rules = append(p.rules, conds)
	}
	p.single = NewMatcher([]*Pattern{p})
	return p
}

// String returns the pattern's source text, as given to Compile.
func (p *Pattern) String() string { return p.src }

// Paths returns the dot-joined event paths the pattern tests, in order of
// first appearance (e.g. "source", "detail.data.total").
func (p *Pattern) Paths() []string { return append([]string(nil), p.paths...) }

// Wildcards is the number of wildcard operands in the pattern (plain and
// anything-but). AWS allows at most 30 rules with wildcard filters per bus.
func (p *Pattern) Wildcards() int { return p.wildcards }

// Combinations is the number of sub-patterns the $or arrays expand to (1
// without $or).
func (p *Pattern) Combinations() int { return len(p.rules) }

var scratchPool = sync.Pool{New: func() any { return new(Scratch) }}

// MatchJSON reports whether the event (JSON text) matches, with the
// semantics of TestEventPattern: an event that is not a JSON object, is
// malformed, nests deeper than 1000 levels, has an integer outside int64,
// or lacks one of id, account, source, time, region and detail-type is an
// *Error with Code "ValidationException". An event whose duplicate or
// dotted keys make array consistency too costly to decide is
// ErrMatchBudget (see consistency.go). It borrows a Scratch from a pool;
// hot loops should use a Matcher and their own Scratch instead.
func (p *Pattern) MatchJSON(event []byte) (bool, error) {
	s := scratchPool.Get().(*Scratch)
	defer scratchPool.Put(s)
	var buf [1]int
	got, err := p.single.MatchJSON(event, s, buf[:0])
	return len(got) > 0, err
}

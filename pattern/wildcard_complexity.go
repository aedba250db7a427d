package pattern

import (
	"encoding/binary"
	"slices"
)

// Wildcard complexity is event-ruler's measure (MachineComplexityEvaluator),
// which EventBridge applies to the rule a pattern compiles to: the largest
// number of wildcard-pattern transitions that one event value can keep
// alive at once, over all possible values. Every active state of a
// wildcard's automaton is work per byte of every value matched, so this is
// the degree of non-determinism the rule adds.
//
// The automaton of an operand is event-ruler's. The operand is matched
// against the value with its JSON quotes, as `"` + operand + `"`. Each
// literal byte is one transition to a new state. A star after state X adds
// a state Y, an all-bytes transition X→Y and an all-bytes loop Y→Y; the
// next literal byte leaves from both X (the star matched nothing) and Y.
// After each byte of the value, the count is the number of distinct
// transitions just taken, plus the all-bytes transitions waiting at the
// states just reached (event-ruler counts those too: a value that reached
// "foo" also reaches "foo*"). The complexity is the largest count over
// all values. All the wildcard operands of one field (plain and
// anything-but) share the value and add up, as they share event-ruler's
// byte machine for that field; identical operands count once.
//
// The count is found by walking the sets of states the automata can be in
// together, breadth first (see complexity). The walk stops at the
// threshold, like event-ruler's. It is bounded too: a set is made of the
// active stars (each adds one to the count, so there are fewer than the
// threshold) and of the partial matches alive, which the longest suffix
// of the value that begins some literal determines, so one operand of a
// 4096-character pattern reaches at most about 19 × 4096 sets before its
// count exceeds the threshold. maxComplexitySets is above that; a field
// whose operands together reach more sets (many operands sharing a
// prefix) is rejected as too complex, the one case where the bound, not
// the count, decides.
//
// By this measure "/Users/*/dir/dir/dir/dir/dir/doc.txt", which AWS
// accepts, has complexity 7 (the star's loop and six partial matches of
// the repeating literal, for a value such as "/Users/x/dir/dir/dir/dir/dir/"),
// and "*:*:*:*:*:event-bus/*", which AWS rejects, has 19 (ten transitions
// of the first five stars and their colons from the stars, eight from the
// states just reached by a colon, and the last star, once "event-bus/"
// has been seen, for a value such as ":::::event-bus/:::::"). AWS's
// threshold is not published; busdrill rejects what reaches the rejected
// example's complexity and accepts everything below it, so it is never
// stricter than AWS on anything simpler than AWS's own rejected example.
// "a*b*c*d*e*f*g" (complexity 10) is accepted.

// MaxWildcardComplexity is the highest wildcard complexity of one field
// that Compile accepts (see above). UNCONFIRMED: AWS's own threshold lies
// somewhere from 7 to this value.
const MaxWildcardComplexity = 18

// maxComplexitySets bounds the walk of checkWildcardComplexity.
const maxComplexitySets = 1 << 17

const msgTooComplex = "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character"

// checkWildcardComplexity rejects a pattern with a field whose wildcards
// are too complex. Only the leaves in force are measured: a leaf
// overridden by a duplicate key never reaches event-ruler's machine.
func checkWildcardComplexity(rules []rule) *Error {
	var seen map[*leaf]bool
	for _, r := range rules {
		for _, e := range r {
			if e.leaf.wildcards == 0 || seen[e.leaf] {
				continue
			}
			if seen == nil {
				seen = map[*leaf]bool{}
			}
			seen[e.leaf] = true
			if wildcardComplexity(e.leaf, MaxWildcardComplexity+1) > MaxWildcardComplexity {
				return invalidPattern(msgTooComplex)
			}
		}
	}
	return nil
}

// wcAutomaton holds the automata of the wildcard operands of one leaf.
// State s has at most one literal transition (on byte lit[s] to litTo[s],
// litTo[s] < 0 for none) and at most one all-bytes transition (to all[s],
// -1 for none). Transition ids are 2s (literal) and 2s+1 (all bytes).
type wcAutomaton struct {
	lit    []byte
	litTo  []int32
	all    []int32
	starts []int32
}

func (a *wcAutomaton) newState() int32 {
	a.lit = append(a.lit, 0)
	a.litTo = append(a.litTo, -1)
	a.all = append(a.all, -1)
	return int32(len(a.lit) - 1)
}

// add appends the automaton of one operand (its literal segments).
func (a *wcAutomaton) add(segs []string) {
	cur := a.newState()
	a.starts = append(a.starts, cur)
	star := int32(-1) // Y of a star just read, whose next literal leaves from it too
	literal := func(c byte) {
		z := a.newState()
		a.lit[cur], a.litTo[cur] = c, z
		if star >= 0 {
			a.lit[star], a.litTo[star] = c, z
			star = -1
		}
		cur = z
	}
	literal('"')
	for i, seg := range segs {
		if i > 0 {
			star = a.newState()
			a.all[cur], a.all[star] = star, star
		}
		for j := 0; j < len(seg); j++ {
			literal(seg[j])
		}
	}
	literal('"')
}

// step reads byte c in the set of states from, appending the next set to
// next (sorted, distinct) and returning it with event-ruler's count.
func (a *wcAutomaton) step(from []int32, c byte, next []int32) ([]int32, int) {
	taken := 0
	start := len(next)
	for _, s := range from {
		if a.litTo[s] >= 0 && a.lit[s] == c {
			taken++
			next = append(next, a.litTo[s])
		}
		if a.all[s] >= 0 {
			taken++
			next = append(next, a.all[s])
		}
	}
	landed := next[start:]
	slices.Sort(landed)
	landed = slices.Compact(landed)
	next = next[:start+len(landed)]
	waiting := 0
	for _, s := range landed {
		// The all-bytes transition of a state just reached waits there,
		// unless the state was already active (then it was just taken).
		if a.all[s] >= 0 {
			if _, active := slices.BinarySearch(from, s); !active {
				waiting++
			}
		}
	}
	return next, taken + waiting
}

// wildcardComplexity measures the wildcard operands of l, stopping as soon
// as the count reaches limit (it then returns limit).
func wildcardComplexity(l *leaf, limit int) int {
	type operand struct {
		op   op
		text string
	}
	var a wcAutomaton
	seen := map[operand]bool{}
	for i := range l.ms {
		m := &l.ms[i]
		for j, w := range m.wc {
			key := operand{m.op, m.str}
			if m.op == opAnythingButWildcard {
				key.text = m.strs[j]
			}
			if !seen[key] {
				seen[key] = true
				a.add(w.segs)
			}
		}
	}
	return a.complexity(limit)
}

// complexity walks the reachable sets of states breadth first. From a set,
// only the bytes with a literal transition out of it are tried: any other
// byte only follows the all-bytes transitions, which every tried byte
// follows too, and the count can only grow with the set of states (a
// larger set takes every transition a smaller one takes, and the states it
// reaches include the smaller one's), so those bytes never lead further.
// A set with no literal transition at all (impossible once the closing
// quote is a literal) would be tried with such a byte.
func (a *wcAutomaton) complexity(limit int) int {
	first := slices.Clone(a.starts)
	slices.Sort(first)
	queue := [][]int32{first}
	visited := map[string]bool{setKey(first): true}
	best := 0
	var next []int32
	var tried [256]bool
	for len(queue) > 0 {
		from := queue[0]
		queue = queue[1:]
		clear(tried[:])
		for _, st := range from {
			if a.litTo[st] < 0 || tried[a.lit[st]] {
				continue
			}
			c := a.lit[st]
			tried[c] = true
			var n int
			next, n = a.step(from, c, next[:0])
			best = max(best, n)
			if best >= limit {
				return limit
			}
			if len(next) == 0 {
				continue
			}
			k := setKey(next)
			if visited[k] {
				continue
			}
			if len(visited) >= maxComplexitySets {
				return limit
			}
			visited[k] = true
			queue = append(queue, slices.Clone(next))
		}
	}
	return best
}

// setKey is a map key for a sorted set of states.
func setKey(s []int32) string {
	b := make([]byte, 0, 4*len(s))
	for _, x := range s {
		b = binary.LittleEndian.AppendUint32(b, uint32(x))
	}
	return string(b)
}

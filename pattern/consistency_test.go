package pattern

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/event"
)

// bothWays runs a test once as is (small cases tried combination by
// combination) and once with every case sent through the walk of the
// array tree.
func bothWays(t *testing.T, test func(t *testing.T)) {
	t.Run("combinations", test)
	saved := smallProduct
	smallProduct = 0
	defer func() { smallProduct = saved }()
	t.Run("walk", test)
}

func TestArrayConsistency(t *testing.T) {
	bothWays(t, testArrayConsistency)
}

func testArrayConsistency(t *testing.T) {
	const ab = `{"o":{"a":["x"],"b":["y"]}}`
	runMatchCases(t, []matchCase{
		{ab, `"o":[{"a":"x"},{"b":"y"}]`, false, "different elements"},
		{ab, `"o":[{"a":"x"},{"a":"x","b":"y"}]`, true, "one element has both"},
		{ab, `"o":[[{"a":"x"}],[{"b":"y"}]]`, false, "arrays of arrays: different outer elements"},
		{ab, `"o":[[{"a":"x"},{"b":"y"}]]`, false, "arrays of arrays: one outer element, different inner ones"},
		{ab, `"o":[[{"a":"x"}, 1],[{"a":"x","b":"y"}]]`, true, "arrays of arrays: one inner element has both"},
		{ab, `"o":[{"a":["z","x"],"b":"y"}]`, true, "a value inside a nested array of the element"},
		{ab, `"o":[{"a":[["x"]],"b":[[],["y"]]}]`, true, "nested arrays inside one element are independent"},
		{ab, `"o":{"a":"x"},"o":[{"b":"y"}]`, true, "a value outside any array is consistent with everything"},
		// Duplicate and dotted keys: one path in two sibling arrays.
		{ab, `"o":[{"a":"x"}],"o":[{"b":"y"}]`, true, "duplicate key: two arrays, one element each"},
		{ab, `"o":[{"a":"x"},{"b":"y"}],"o":[{"c":1}]`, false, "duplicate key: both fields only in one array's different elements"},
		{ab, `"o":[{"a":"x"}],"o.a":["z"],"o.b":["y"]`, true, "dotted keys: three independent arrays"},
		{`{"o":{"p":{"a":["x"],"b":["y"]}}}`, `"o":{"p":[{"a":"x"}]},"o.p":[{"b":"y"}]`, true, "a dotted key aliasing a nested array"},
		{`{"o":{"p":{"a":["x"],"b":["y"],"c":["z"]}}}`, `"o":{"p":[{"a":"x","b":"y"},{"c":"z"}]},"o.p":[{"a":"x"},{"b":"y"}]`, false, "aliases, and no choice covers all three"},
		{`{"o":{"p":{"a":["x"],"b":["y"],"c":["z"]}}}`, `"o":{"p":[{"a":"x","b":"y"},{"c":"z"}]},"o.p":[{"c":"z"},{"a":"x"}]`, true, "aliases, and one choice covers all three"},
		// Three conds, nested.
		{`{"o":{"a":["x"],"i":{"b":["y"],"c":["z"]}}}`, `"o":[{"a":"x","i":[{"b":"y"},{"c":"z"}]},{"a":"x","i":[{"b":"y","c":"z"}]}]`, true, "the second outer element has an inner element with both"},
		{`{"o":{"a":["x"],"i":{"b":["y"],"c":["z"]}}}`, `"o":[{"a":"x","i":[{"b":"y"},{"c":"z"}]},{"a":"w","i":[{"b":"y","c":"z"}]}]`, false, "but not with a"},
	})
}

// refHolds is the definition of array consistency, searched exhaustively:
// one candidate per cond, every pair consistent (event.Flat.Consistent).
func refHolds(s *Scratch, conds []cond) bool {
	fields := s.flat.Fields
	var cands [][]*event.Field
	for _, c := range conds {
		lo, hi := s.start[c.path], s.start[c.path+1]
		if lo == hi {
			if c.leaf.absentOK {
				continue
			}
			return false
		}
		var cs []*event.Field
		for _, fi := range s.order[lo:hi] {
			if c.leaf.matchField(&fields[fi]) {
				cs = append(cs, &fields[fi])
			}
		}
		if len(cs) == 0 {
			return false
		}
		cands = append(cands, cs)
	}
	chosen := make([]*event.Field, 0, len(cands))
	var search func(k int) bool
	search = func(k int) bool {
		if k == len(cands) {
			return true
		}
		for _, f := range cands[k] {
			ok := true
			for _, g := range chosen {
				if !s.flat.Consistent(f, g) {
					ok = false
					break
				}
			}
			if ok {
				chosen = append(chosen, f)
				if search(k + 1) {
					return true
				}
				chosen = chosen[:len(chosen)-1]
			}
		}
		return false
	}
	return search(0)
}

// refMatch is Matcher.MatchJSON with refHolds.
func refMatch(m *Matcher, raw []byte) ([]int, error) {
	var s Scratch
	if err := m.ps.FlattenJSON(raw, &s.flat); err != nil || !s.flat.HasMandatory() {
		return nil, errInvalidEvent
	}
	s.index(m.ps.Len())
	var got []int
	for i, rules := range m.pats {
		for _, conds := range rules {
			if refHolds(&s, conds) {
				got = append(got, i)
				break
			}
		}
	}
	return got, nil
}

// TestArrayConsistencyAgreesWithSearch: on random small events full of
// arrays, duplicate keys and dotted keys, the walk answers what the
// exhaustive search answers.
func TestArrayConsistencyAgreesWithSearch(t *testing.T) {
	bothWays(t, testArrayConsistencyAgreesWithSearch)
}

func testArrayConsistencyAgreesWithSearch(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var s Scratch
	matched, arrays := 0, 0
	for round := 0; round < 3000; round++ {
		var ps []*Pattern
		for len(ps) < 1+r.IntN(4) {
			ps = append(ps, MustCompile(genPatternObject(r, 0)))
		}
		m := NewMatcher(ps)
		obj := genObject(r, 0)
		raw := evt(obj[1 : len(obj)-1])
		want, werr := refMatch(m, raw)
		got, gerr := m.MatchJSON(raw, &s, nil)
		if (werr == nil) != (gerr == nil) || !slices.Equal(got, want) {
			t.Fatalf("event %s\npatterns %v\nwalk %v %v, search %v %v", raw, ps, got, gerr, want, werr)
		}
		matched += len(got)
		if strings.Contains(string(raw), "[{") {
			arrays++
		}
	}
	if matched == 0 || arrays == 0 {
		t.Fatalf("the generator made %d matches and %d events with arrays of objects; it tests nothing", matched, arrays)
	}
}

// genTangle builds event members over the paths o.a, o.b and o.c where
// arrays are everywhere and the paths are often spelled twice: duplicate
// "o" keys, dotted "o.a" keys, arrays of arrays.
func genTangle(r *rand.Rand) string {
	leaf := func() string {
		switch r.IntN(4) {
		case 0:
			return `"x"`
		case 1:
			return `"y"`
		case 2:
			return `["x","y"]`
		}
		return `[]`
	}
	var elem func(depth int) string
	elem = func(depth int) string {
		if depth > 0 && r.IntN(4) == 0 {
			parts := make([]string, 1+r.IntN(2))
			for i := range parts {
				parts[i] = elem(depth - 1)
			}
			return "[" + strings.Join(parts, ",") + "]"
		}
		var members []string
		for _, k := range []string{"a", "b", "c"} {
			if r.IntN(2) == 0 {
				members = append(members, `"`+k+`":`+leaf())
			}
		}
		return "{" + strings.Join(members, ",") + "}"
	}
	var members []string
	for i := 0; i < 1+r.IntN(3); i++ {
		switch r.IntN(3) {
		case 0:
			k := []string{"a", "b", "c"}[r.IntN(3)]
			members = append(members, `"o.`+k+`":`+leaf())
		default:
			parts := make([]string, 1+r.IntN(3))
			for j := range parts {
				parts[j] = elem(1)
			}
			members = append(members, `"o":[`+strings.Join(parts, ",")+`]`)
		}
	}
	return strings.Join(members, ",")
}

// TestArrayConsistencyEntangledAgreesWithSearch is the comparison on events
// where one path is often in sibling arrays, so the walk has to choose.
func TestArrayConsistencyEntangledAgreesWithSearch(t *testing.T) {
	bothWays(t, testArrayConsistencyEntangledAgreesWithSearch)
}

func testArrayConsistencyEntangledAgreesWithSearch(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	leaves := []string{`"x"`, `"y"`, `{"exists":true}`, `{"anything-but":"y"}`}
	var s Scratch
	counts := map[bool]int{}
	for round := 0; round < 5000; round++ {
		var conds []string
		for _, k := range []string{"a", "b", "c"} {
			if r.IntN(3) > 0 {
				conds = append(conds, `"`+k+`":[`+leaves[r.IntN(len(leaves))]+`]`)
			}
		}
		if len(conds) == 0 {
			continue
		}
		m := NewMatcher([]*Pattern{MustCompile(`{"o":{` + strings.Join(conds, ",") + `}}`)})
		raw := evt(genTangle(r))
		want, _ := refMatch(m, raw)
		got, err := m.MatchJSON(raw, &s, nil)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("event %s\npattern %v\nwalk %v %v, search %v", raw, m.pats, got, err, want)
		}
		counts[len(got) > 0]++
	}
	if counts[true] < 100 || counts[false] < 100 {
		t.Fatalf("matches and misses: %v; the generator is too one-sided to test anything", counts)
	}
}

// FuzzArrayConsistency compares the walk with the exhaustive search on
// small events (the search is exponential; larger inputs are skipped).
func FuzzArrayConsistency(f *testing.F) {
	for _, s := range [][2]string{
		{`{"o":{"a":["x"],"b":["y"]}}`, `"o":[{"a":"x"}],"o":[{"b":"y"}]`},
		{`{"o":{"p":{"a":["x"],"b":["y"],"c":["z"]}}}`, `"o":{"p":[{"a":"x","b":"y"},{"c":"z"}]},"o.p":[{"c":"z"},{"a":"x"}]`},
		{`{"o":{"a":["x"],"i":{"b":["y"],"c":[{"exists":true}]}}}`, `"o":[{"a":"x","i":[{"b":"y"},{"c":null}]},{"a":"x","i":[{"b":"y","c":1}]}]`},
	} {
		f.Add([]byte(s[0]), evt(s[1]))
	}
	f.Fuzz(func(t *testing.T, pat, raw []byte) {
		if len(raw) > 600 || len(pat) > 300 {
			return
		}
		p, err := Compile(pat)
		if err != nil {
			return
		}
		m := NewMatcher([]*Pattern{p})
		want, werr := refMatch(m, raw)
		var s Scratch
		saved := smallProduct
		defer func() { smallProduct = saved }()
		for _, small := range []int{saved, 0} { // combinations, then the walk only
			smallProduct = small
			got, gerr := m.MatchJSON(raw, &s, nil)
			if errors.Is(gerr, ErrMatchBudget) {
				continue // allowed only where the search would be exponential
			}
			if (werr == nil) != (gerr == nil) || !slices.Equal(got, want) {
				t.Fatalf("small product %d: walk %v %v, search %v %v", small, got, gerr, want, werr)
			}
		}
	})
}

// entangled builds an event where every one of 3×g conds sits in two
// sibling arrays (a duplicate key), each array offering three elements of g
// conds each: no choice of one element per array covers all three groups,
// and there are 2^(3g) ways to assign the conds to the arrays.
func entangled(g int) (pattern string, raw []byte) {
	var pat, elem [3][]string
	for grp := 0; grp < 3; grp++ {
		for i := 0; i < g; i++ {
			k := string(rune('a'+grp)) + string(rune('a'+i))
			pat[grp] = append(pat[grp], `"`+k+`":[1]`)
			elem[grp] = append(elem[grp], `"`+k+`":1`)
		}
	}
	arr := `[{` + strings.Join(elem[0], ",") + `},{` + strings.Join(elem[1], ",") + `},{` + strings.Join(elem[2], ",") + `}]`
	pattern = `{"p":{` + strings.Join(pat[0], ",") + `,` + strings.Join(pat[1], ",") + `,` + strings.Join(pat[2], ",") + `}}`
	return pattern, evt(`"p":` + arr + `,"p":` + arr)
}

// TestArrayConsistencyBudgetIsAnError: an event whose duplicate keys make
// the choice exponential gets ErrMatchBudget, never a "no match"; a small
// one of the same shape is decided.
func TestArrayConsistencyBudgetIsAnError(t *testing.T) {
	pat, raw := entangled(2)
	p := MustCompile(pat)
	if ok, err := p.MatchJSON(raw); err != nil || ok {
		t.Errorf("6 conds: MatchJSON = %v, %v; want a decided no match", ok, err)
	}
	pat, raw = entangled(10)
	p = MustCompile(pat)
	if ok, err := p.MatchJSON(raw); !errors.Is(err, ErrMatchBudget) || ok {
		t.Errorf("30 conds: MatchJSON = %v, %v; want ErrMatchBudget", ok, err)
	}
	var s Scratch
	m := NewMatcher([]*Pattern{MustCompile(`{"source":["src"]}`), p})
	dst := []int{7}
	got, err := m.MatchJSON(raw, &s, dst)
	if !errors.Is(err, ErrMatchBudget) || !slices.Equal(got, []int{7}) {
		t.Errorf("Matcher.MatchJSON = %v, %v; want dst unchanged and ErrMatchBudget", got, err)
	}
	// The same through an envelope's detail.
	detail := string(raw[strings.Index(string(raw), `"p":`):])
	env := &event.Envelope{ID: "1", Source: "s", DetailType: "d", Account: "1", Region: "r", Time: time.Unix(0, 0), Detail: []byte("{" + detail)}
	m = NewMatcher([]*Pattern{MustCompile(`{"detail":` + pat + `}`)})
	if _, err := m.Match(env, &s, nil); !errors.Is(err, ErrMatchBudget) {
		t.Errorf("Matcher.Match = %v; want ErrMatchBudget", err)
	}
}

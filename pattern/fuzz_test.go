package pattern

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/event"
)

// FuzzCompile: no input panics; a pattern that compiles keeps its text and
// compiles again to the same shape.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		`{"source":["orders"]}`,
		`{"detail":{"a":[{"numeric":[">",0,"<=",5]}],"b":[{"anything-but":{"prefix":["x","y"]}}]}}`,
		`{"$or":[{"a":["1"]},{"b":[{"exists":false}]}],"c":[{"cidr":"10.0.0.0/24"}]}`,
		`{"k":[{"wildcard":"a\\*b*c"},{"equals-ignore-case":"Σ"},{"suffix":{"equals-ignore-case":".PNG"}}]}`,
		`{"k":[null,true,false,1e400,-0.0,""]}`,
		`{'bad': 'quotation'}`,
		`this is not json`,
		`{"a":[{"wildcard":"*:*:*:*:*:event-bus/*"}]}`,
		`{"a":{"$or":[{"b":["1"],"$or":[{"c":["2"]},{"d":["3"]}]},{"e":["4"]}]}}`,
		`{"a":["\ud83d\ude80\u0000"]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Compile(src)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			return
		}
		if p.String() != string(src) {
			t.Fatalf("String() = %q, want %q", p.String(), src)
		}
		q, err := Compile([]byte(p.String()))
		if err != nil {
			t.Fatalf("recompiling %q: %v", p.String(), err)
		}
		if q.Combinations() != p.Combinations() || !slices.Equal(q.Paths(), p.Paths()) {
			t.Fatalf("recompiled pattern differs")
		}
	})
}

// FuzzMatch: no input panics, and a Matcher over several patterns (so a
// different set of flattened paths) agrees with the pattern alone, on
// validity as on the result.
func FuzzMatch(f *testing.F) {
	ev := string(evt(`"detail":{"a":[{"b":1,"c":"x"},{"b":2,"c":"y"}],"s":"10.0.0.7","n":null}`))
	for _, s := range [][2]string{
		{`{"detail":{"a":{"b":[1],"c":["x"]}}}`, ev},
		{`{"detail":{"a":{"b":[2],"c":["x"]}}}`, ev},
		{`{"detail":{"s":[{"cidr":"10.0.0.0/24"}],"n":[null]}}`, ev},
		{`{"detail":{"z":[{"exists":false}]}}`, ev},
		{`{"source":[{"prefix":""}]}`, `{"id":1}`},
		{`{"a":[1]}`, `plain`},
		{`{"a":[{"anything-but":1}]}`, string(evt(`"a":[1,"1",null,{"b":[]}]`))},
	} {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	others := []*Pattern{
		MustCompile(`{"detail":{"zz":[{"exists":true}]}}`),
		MustCompile(`{"source":["src"],"time":[{"prefix":"2"}],"resources":[{"exists":false}]}`),
	}
	f.Fuzz(func(t *testing.T, pat, raw []byte) {
		p, err := Compile(pat)
		if err != nil {
			return
		}
		want, err1 := p.MatchJSON(raw)
		m := NewMatcher([]*Pattern{others[0], p, others[1]})
		var s Scratch
		got, err2 := m.MatchJSON(raw, &s, nil)
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("validity differs: pattern alone %v, in a matcher %v", err1, err2)
		}
		if err1 != nil {
			return
		}
		if slices.Contains(got, 1) != want {
			t.Fatalf("pattern alone %v, in a matcher %v", want, got)
		}
		if !slices.IsSorted(got) {
			t.Fatalf("indexes not increasing: %v", got)
		}
	})
}

// The generator below builds random patterns and events over a small
// vocabulary, so that paths collide often, arrays of objects are common,
// and every operator meets every value type.

var (
	genKeys   = []string{"a", "b", "c", "a.b"}
	genScalar = []string{`"x"`, `"X"`, `"xy"`, `""`, `"10.0.0.5"`, `1`, `2.0`, `-3`, `true`, `false`, `null`}
	genLeaves = []string{
		`"x"`, `"xy"`, `""`, `1`, `2`, `true`, `null`,
		`{"prefix":"x"}`, `{"suffix":"y"}`, `{"prefix":{"equals-ignore-case":"X"}}`,
		`{"equals-ignore-case":"XY"}`, `{"wildcard":"x*"}`, `{"anything-but":"x"}`,
		`{"anything-but":[1,2]}`, `{"anything-but":{"prefix":"x"}}`, `{"numeric":[">",0,"<=",2]}`,
		`{"cidr":"10.0.0.0/24"}`, `{"exists":true}`, `{"exists":false}`,
	}
)

func genValue(r *rand.Rand, depth int) string {
	switch k := r.IntN(10); {
	case depth > 2 || k < 5:
		return genScalar[r.IntN(len(genScalar))]
	case k < 8:
		n := r.IntN(3)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = genValue(r, depth+1)
		}
		return "[" + strings.Join(parts, ",") + "]"
	default:
		return genObject(r, depth+1)
	}
}

func genObject(r *rand.Rand, depth int) string {
	n := 1 + r.IntN(3)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("%q:%s", genKeys[r.IntN(len(genKeys))], genValue(r, depth))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func genPatternObject(r *rand.Rand, depth int) string {
	n := 1 + r.IntN(2)
	parts := make([]string, 0, n+1)
	for i := 0; i < n; i++ {
		key := genKeys[r.IntN(len(genKeys))]
		if depth < 2 && r.IntN(3) == 0 {
			parts = append(parts, fmt.Sprintf("%q:%s", key, genPatternObject(r, depth+1)))
			continue
		}
		m := 1 + r.IntN(2)
		alts := make([]string, m)
		for j := range alts {
			alts[j] = genLeaves[r.IntN(len(genLeaves))]
		}
		parts = append(parts, fmt.Sprintf("%q:[%s]", key, strings.Join(alts, ",")))
	}
	if depth == 0 && r.IntN(4) == 0 {
		parts = append(parts, `"$or":[`+genPatternObject(r, depth+1)+","+genPatternObject(r, depth+1)+"]")
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// TestMatcherAgreesWithPatterns: on many random combinations, a Matcher
// over a set of patterns answers what each pattern answers alone, both
// for raw JSON and for an Envelope (whose detail is the random object).
func TestMatcherAgreesWithPatterns(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var s Scratch
	matched := 0
	for round := 0; round < 300; round++ {
		var ps []*Pattern
		for len(ps) < 1+r.IntN(12) {
			src := genPatternObject(r, 0)
			if r.IntN(2) == 0 {
				src = `{"detail":` + src + `}`
			}
			p, err := Compile([]byte(src))
			if err != nil {
				t.Fatalf("generated pattern %s: %v", src, err)
			}
			ps = append(ps, p)
		}
		m := NewMatcher(ps)
		for e := 0; e < 20; e++ {
			detail := genObject(r, 0)
			env := &event.Envelope{
				ID: "id", Source: "src", DetailType: "dt", Account: "123456789012",
				Time: time.Date(2022, 7, 13, 13, 48, 1, 0, time.UTC), Region: "us-east-1",
				Detail: []byte(detail),
			}
			// The detail's members also go at the top level of the raw
			// event, so top-level patterns are exercised too.
			raw := string(env.AppendJSON(nil))
			raw = raw[:len(raw)-1] + "," + detail[1:]
			var want, wantEnv []int
			for i, p := range ps {
				ok, err := p.MatchJSON([]byte(raw))
				if err != nil {
					t.Fatalf("event %s: %v", raw, err)
				}
				if ok {
					want = append(want, i)
				}
				ok, err = p.MatchJSON(env.AppendJSON(nil))
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					wantEnv = append(wantEnv, i)
				}
			}
			got, err := m.MatchJSON([]byte(raw), &s, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("event %s\npatterns %v\nMatcher %v, patterns alone %v", raw, ps, got, want)
			}
			if got, err := m.Match(env, &s, nil); err != nil || !slices.Equal(got, wantEnv) {
				t.Fatalf("envelope with detail %s\npatterns %v\nMatch %v, MatchJSON of its JSON %v", detail, ps, got, wantEnv)
			}
			matched += len(want)
		}
	}
	if matched == 0 {
		t.Fatal("the generator never produced a match; it tests nothing")
	}
}

func TestMatchDoesNotAllocate(t *testing.T) {
	m := NewMatcher(compileAll(t, busPatterns()))
	env := orderEnvelope()
	raw := orderEventJSON()
	var s Scratch
	dst := make([]int, 0, 64)
	if _, err := m.Match(env, &s, dst[:0]); err != nil {
		t.Fatal(err)
	}
	if _, err := m.MatchJSON(raw, &s, dst[:0]); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { m.Match(env, &s, dst[:0]) }); n != 0 {
		t.Errorf("Match allocates %v times per call", n)
	}
	if n := testing.AllocsPerRun(100, func() { m.MatchJSON(raw, &s, dst[:0]) }); n != 0 {
		t.Errorf("MatchJSON allocates %v times per call", n)
	}
	got, _ := m.Match(env, &s, nil)
	want, _ := m.MatchJSON(raw, &s, nil)
	if !slices.Equal(got, want) {
		t.Errorf("Match %v, MatchJSON %v", got, want)
	}
	// Every rule of the reference bus matches this order event except the
	// fan-out to its own account, Order.Updated, Delivery.Updated and payments.
	if len(got) != len(busPatterns())-4 {
		t.Errorf("matched %v", got)
	}
}

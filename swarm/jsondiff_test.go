package swarm

import "testing"

// TestFirstDifference: the first field that differs, in document order,
// with both values; documents that are the same token for token have
// none.
func TestFirstDifference(t *testing.T) {
	cases := []struct {
		a, b string
		want string // "" for no difference
	}{
		// the same document
		{`{"a":1,"b":[1,2]}`, `{"a":1,"b":[1,2]}`, ""},
		// layout does not count
		{`{"a": 1, "b": [1, 2]}`, "{\"a\":1,\n\"b\":[1,2]}", ""},
		// a number in a nested array of objects
		{`{"ledger":{"routes":[{"d":1},{"d":2}]}}`, `{"ledger":{"routes":[{"d":1},{"d":3}]}}`, "ledger.routes[1].d: 2 vs 3"},
		// the first of several differences
		{`{"a":1,"b":2}`, `{"a":5,"b":6}`, "a: 1 vs 5"},
		// a key only one has
		{`{"a":1,"b":2}`, `{"a":1}`, "b: present vs (absent)"},
		{`{"a":1}`, `{"a":1,"c":2}`, "c: (absent) vs present"},
		// keys in another order
		{`{"x":{"a":1,"b":2}}`, `{"x":{"b":2,"a":1}}`, `x: key "a" vs key "b"`},
		// an array longer on one side
		{`{"s":[1,2]}`, `{"s":[1,2,3]}`, "s[2]: (absent) vs 3"},
		// a value of another type
		{`{"v":"1"}`, `{"v":1}`, `v: "1" vs 1`},
		{`{"v":{"a":1}}`, `{"v":[1]}`, "v: {…} vs […]"},
		{`{"v":true}`, `{"v":null}`, "v: true vs null"},
		// at the top
		{`[1]`, `{}`, "(the document): […] vs {…}"},
		// a broken document
		{`{"a":1}`, `{"a":`, "a: 1 vs (end)"},
	}
	for _, c := range cases {
		d, ok := firstDifference([]byte(c.a), []byte(c.b))
		switch {
		case c.want == "" && ok:
			t.Errorf("%s vs %s: a difference %q, want none", c.a, c.b, d)
		case c.want != "" && !ok:
			t.Errorf("%s vs %s: no difference, want %q", c.a, c.b, c.want)
		case ok && d.String() != c.want:
			t.Errorf("%s vs %s: %q, want %q", c.a, c.b, d, c.want)
		}
	}
}

// TestCompareRuns: identical bytes are "identical"; anything else names
// the field.
func TestCompareRuns(t *testing.T) {
	if got := compareRuns([]byte(`{"a":1}`), []byte(`{"a":1}`)); got != replayIdentical {
		t.Errorf("same bytes: %q", got)
	}
	if got, want := compareRuns([]byte(`{"a":1}`), []byte(`{"a":2}`)), "differs at a: 1 vs 2 (first run vs second)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got, want := compareRuns([]byte(`{"a":1}`), []byte(`{"a": 1}`)), "differs in layout only (same JSON, other bytes)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

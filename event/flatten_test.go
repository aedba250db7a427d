package event

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// show renders the fields of a Flat as "path=kind:value[chain]".
func show(ps *PathSet, f *Flat) string {
	var parts []string
	for i := range f.Fields {
		fl := &f.Fields[i]
		s := fmt.Sprintf("%s=%s:%s", ps.Path(int(fl.Path)), fl.Kind, fl.Str)
		if fl.Kind == KindNumber {
			s += fmt.Sprintf("(%g)", fl.Num)
		}
		for _, a := range f.Chain(fl) {
			s += fmt.Sprintf("[%d.%d]", a.Array, a.Index)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestFlattenJSON(t *testing.T) {
	for _, c := range []struct {
		paths []string
		event string
		want  string
		why   string
	}{
		{[]string{"a"}, `{"a":"x","b":"y"}`, `a=string:x`, "only paths in the set are emitted"},
		{[]string{"a.b"}, `{"a":{"b":1.5}}`, `a.b=number:1.5(1.5)`, "nested keys join with dots"},
		{[]string{"a.b"}, `{"a.b":true}`, `a.b=true:true`, "a dotted event key reaches the same path"},
		{[]string{"a.b.c"}, `{"a.b":{"c":null}}`, `a.b.c=null:null`, "a dotted key followed by nesting"},
		{[]string{"a"}, `{"a":["x",["y"]]}`, `a=string:x[0.0] a=string:y[0.1][1.0]`, "array elements each become a field with their array positions"},
		{[]string{"a.b"}, `{"a":[{"b":1},{"c":2},{"b":3}]}`, `a.b=number:1(1)[0.0] a.b=number:3(3)[0.2]`, "arrays of objects"},
		{[]string{"a"}, `{"a":{"b":1}}`, ``, "an object is never a leaf"},
		{[]string{"a"}, `{"a":[]}`, ``, "an empty array has no leaves"},
		{[]string{"a"}, `{"a":"\u00e9\n\"\ud83d\ude80"}`, "a=string:é\n\"🚀", "escapes are decoded for emitted strings"},
		{[]string{"a"}, `{"a":"\ud800x"}`, "a=string:\uFFFDx", "a lone surrogate becomes U+FFFD"},
		{[]string{"\u00e9"}, `{"\u00e9":1}`, `é=number:1(1)`, "escaped keys are decoded before lookup"},
		{[]string{"a"}, `{"b":{"a":1},"a":2}`, `a=number:2(2)`, "same name deeper is another path"},
		{[]string{"a"}, ` { "a" : 1 , "a" : 2 } `, `a=number:1(1) a=number:2(2)`, "white space and duplicate keys"},
		{[]string{"a"}, `{"a":1e400}`, `a=number:1e400(+Inf)`, "overflowing floats keep their text"},
	} {
		ps := NewPathSet(c.paths)
		var f Flat
		if err := ps.FlattenJSON([]byte(c.event), &f); err != nil {
			t.Errorf("%s: %v", c.why, err)
			continue
		}
		if got := show(ps, &f); got != c.want {
			t.Errorf("%s: FlattenJSON(%s)\n got %s\nwant %s", c.why, c.event, got, c.want)
		}
	}
}

func TestFlattenJSONErrors(t *testing.T) {
	ps := NewPathSet([]string{"a"})
	for _, c := range []struct {
		event string
		want  error
		why   string
	}{
		{`[]`, ErrNotObject, "an array"},
		{`"x"`, ErrNotObject, "a string"},
		{``, ErrNotObject, "empty"},
		{`{"a":1`, ErrSyntax, "unclosed"},
		{`{"a":1}}`, ErrSyntax, "trailing bracket"},
		{`{"a":01}`, ErrSyntax, "leading zero"},
		{`{"a":1.}`, ErrSyntax, "bare decimal point"},
		{`{"a":1e}`, ErrSyntax, "bare exponent"},
		{`{"a":-}`, ErrSyntax, "bare minus"},
		{`{"a":tru}`, ErrSyntax, "bad literal"},
		{`{"a":"\x"}`, ErrSyntax, "bad escape"},
		{`{"a":"\u12"}`, ErrSyntax, "short unicode escape"},
		{"{\"a\":\"\x01\"}", ErrSyntax, "control character"},
		{`{"b":{"c":[1 2]}}`, ErrSyntax, "missing comma in an untracked subtree"},
		{`{a:1}`, ErrSyntax, "unquoted key"},
		{`{"a":9223372036854775808}`, ErrIntRange, "int64 overflow"},
		{`{"b":[-9223372036854775809]}`, ErrIntRange, "int64 underflow in an untracked subtree"},
		{`{"a":` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `}`, ErrTooDeep, "1001 levels"},
	} {
		var f Flat
		if err := ps.FlattenJSON([]byte(c.event), &f); err != c.want {
			t.Errorf("%s: FlattenJSON(%.40s) = %v, want %v", c.why, c.event, err, c.want)
		}
	}
}

func TestFlattenJSONMandatory(t *testing.T) {
	ps := NewPathSet(nil)
	var f Flat
	full := `{"id":"1","account":"1","source":"s","time":"t","region":"r","detail-type":"d"}`
	if err := ps.FlattenJSON([]byte(full), &f); err != nil || !f.HasMandatory() {
		t.Errorf("full envelope: %v, %v", err, f.HasMandatory())
	}
	if err := ps.FlattenJSON([]byte(`{"id":"1","detail":{"account":"1","source":"s","time":"t","region":"r","detail-type":"d"}}`), &f); err != nil || f.HasMandatory() {
		t.Errorf("nested fields do not count: %v, %v", err, f.HasMandatory())
	}
}

// FlattenEnvelope must produce what FlattenJSON produces from the
// envelope's JSON.
func TestFlattenEnvelopeAgreesWithJSON(t *testing.T) {
	paths := []string{"version", "id", "detail-type", "source", "account", "time", "region", "resources", "replay-name", "detail.a", "detail.b.c", "detail", "source.x"}
	ps := NewPathSet(paths)
	for _, e := range []*Envelope{
		{ID: "i", DetailType: "dt", Source: "s", Account: "1", Time: time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600)), Region: "r",
			Resources: []string{"r1", "r2"}, Detail: []byte(`{"a":[1,"x"],"b":{"c":null},"z":{}}`), ReplayName: "rp"},
		{ID: "i", Detail: nil},
		{ID: "i", Detail: []byte(`{"a":`)}, // malformed detail: contributes nothing
	} {
		var a, b Flat
		ps.FlattenEnvelope(e, &a)
		raw := e.AppendJSON(nil)
		if err := ps.FlattenJSON(raw, &b); err != nil && json.Valid(raw) {
			t.Fatalf("%s: %v", raw, err)
		}
		if json.Valid(raw) {
			if ga, gb := show(ps, &a), show(ps, &b); ga != gb {
				t.Errorf("envelope %s\n FlattenEnvelope %s\n FlattenJSON     %s", raw, ga, gb)
			}
		} else if strings.Contains(show(ps, &a), "detail.") {
			t.Errorf("malformed detail produced fields: %s", show(ps, &a))
		}
	}
}

func TestConsistent(t *testing.T) {
	ps := NewPathSet([]string{"o.a", "o.b", "o.n.x", "o.n.y", "top"})
	var f Flat
	ev := `{"top":1,"o":[{"a":1,"b":1,"n":[{"x":1},{"y":1}]},{"a":2,"b":2,"n":[{"x":2,"y":2}]}]}`
	if err := ps.FlattenJSON([]byte(ev), &f); err != nil {
		t.Fatal(err)
	}
	find := func(path string, v float64) *Field {
		for i := range f.Fields {
			if ps.Path(int(f.Fields[i].Path)) == path && f.Fields[i].Num == v {
				return &f.Fields[i]
			}
		}
		t.Fatalf("no %s=%v", path, v)
		return nil
	}
	for _, c := range []struct {
		a, b string
		av   float64
		bv   float64
		want bool
		why  string
	}{
		{"o.a", "o.b", 1, 1, true, "same element"},
		{"o.a", "o.b", 1, 2, false, "different elements of the same array"},
		{"top", "o.a", 1, 2, true, "a field outside arrays is consistent with all"},
		{"o.n.x", "o.n.y", 1, 1, false, "same outer element, different inner elements"},
		{"o.n.x", "o.n.y", 2, 2, true, "same inner element"},
		{"o.n.x", "o.a", 1, 1, true, "inner field and outer sibling in the same outer element"},
		{"o.n.x", "o.a", 1, 2, false, "inner field and outer sibling in different outer elements"},
	} {
		if got := f.Consistent(find(c.a, c.av), find(c.b, c.bv)); got != c.want {
			t.Errorf("%s: Consistent = %v", c.why, got)
		}
	}
}

func BenchmarkFlattenJSONSkipAll(b *testing.B) {
	ps := NewPathSet([]string{"nothing"})
	raw := []byte(`{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"Order.Created","source":"orders","account":"111111111111","time":"2026-11-02T10:15:00Z","region":"eu-west-1","resources":[],"detail":{"data":{"order_id":"ord-1","items":[{"sku":"A","quantity":1,"unit_price":59.99},{"sku":"B","quantity":2,"unit_price":14.995}],"notes":"Leave with the concierge if nobody answers."}}}`)
	var f Flat
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if err := ps.FlattenJSON(raw, &f); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzFlattenJSON: no input panics, hangs or overflows the stack, and the
// scanner accepts exactly the JSON objects encoding/json accepts, apart
// from the limits it adds (1000 levels, int64 integers).
func FuzzFlattenJSON(f *testing.F) {
	for _, s := range []string{
		`{"a":{"b":[1,2,{"c":"x"}]},"a.b":null}`,
		`{"a":"\ud83d\ude80\u00e9\n","b":-1.5e-3}`,
		`{"a":[[[[]]]],"b":{}}`,
		`{"a":1`,
		`[1]`,
		`{"a":12345678901234567890}`,
	} {
		f.Add([]byte(s))
	}
	ps := NewPathSet([]string{"a", "a.b", "a.b.c", "b"})
	f.Fuzz(func(t *testing.T, raw []byte) {
		var fl Flat
		err := ps.FlattenJSON(raw, &fl)
		valid := json.Valid(raw)
		if err == nil && !valid {
			t.Fatalf("accepted invalid JSON %q", raw)
		}
		if valid && err == ErrSyntax {
			t.Fatalf("rejected valid JSON %q", raw)
		}
	})
}

func TestValidateObject(t *testing.T) {
	var f Flat
	tests := []struct {
		in string
		ok bool
	}{
		// An object, however nested, is valid.
		{`{"a":{"b":[1,2,{"c":"d"}]},"e":null}`, true},
		// The empty object is valid: Detail may be {}.
		{` {} `, true},
		// Arrays, strings and scalars are not objects.
		{`[1]`, false},
		{`"{}"`, false},
		// Broken JSON is not valid.
		{`{"a":}`, false},
		// Integers must fit int64.
		{`{"a":9223372036854775808}`, false},
	}
	for _, tt := range tests {
		if err := ValidateObject([]byte(tt.in), &f); (err == nil) != tt.ok {
			t.Errorf("ValidateObject(%s) = %v, want ok=%v", tt.in, err, tt.ok)
		}
	}
}

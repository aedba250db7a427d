package yamlstrict_test

import (
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/internal/yamlstrict"
	"github.com/busdrill/busdrill/rng"
	"github.com/busdrill/busdrill/units"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run go test -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestBadDocument decodes a file with many different mistakes and checks
// that every one is reported, in order, with its position and path.
func TestBadDocument(t *testing.T) {
	data, err := os.ReadFile("testdata/bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var s scenario
	err = yamlstrict.Decode("testdata/bad.yaml", data, &s)
	var errs yamlstrict.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want Errors, got %T %v", err, err)
	}
	golden(t, "bad.golden", err.Error()+"\n")
}

// TestGoodDocument decodes a valid file, checks the values, then runs a
// semantic check whose error must point into the file.
func TestGoodDocument(t *testing.T) {
	data, err := os.ReadFile("testdata/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var s scenario
	if err := yamlstrict.Decode("good.yaml", data, &s); err != nil {
		t.Fatalf("unexpected errors:\n%v", err)
	}
	if len(s.Accounts) != 2 {
		t.Errorf("accounts = %+v", s.Accounts)
	}
	if a := s.Accounts["delivery"]; a.Region != "eu-west-1" || a.ID != "222222222222" {
		t.Errorf("merge key not applied: %+v", a)
	}
	if s.Traffic.Duration.D() != 10*time.Minute || len(s.Traffic.Stages) != 2 {
		t.Errorf("traffic = %+v", s.Traffic)
	}
	st := s.Traffic.Stages[1]
	if st.Rate.PerSecond() != 200 || st.Latency.Rng() != rng.NewLogNormal(5e9, 8e9) {
		t.Errorf("stage 1 = %+v", st)
	}
	if st.Pos != (yamlstrict.Pos{File: "good.yaml", Line: 17, Column: 7}) {
		t.Errorf("stage 1 Pos = %v", st.Pos)
	}
	if th, ok := s.Faults[0].Spec.(*throttleFault); !ok || th.Rate != 10 {
		t.Errorf("fault 0 = %#v", s.Faults[0].Spec)
	}
	if dr, ok := s.Faults[1].Spec.(*disableFault); !ok || dr.Rule != "orders-to-delivery" {
		t.Errorf("fault 1 = %#v", s.Faults[1].Spec)
	}
	if s.Limits == nil || s.Limits.Drop != 0.005 || s.Limits.Entry != 262144 {
		t.Errorf("limits = %+v", s.Limits)
	}
	want := `good.yaml:24:12: consumers[2]: unknown account "ordrs"`
	if err := s.validate(); err == nil || err.Error() != want {
		t.Errorf("validate() = %v, want %s", err, want)
	}
	if !s.Origin.Has("seed") || s.Origin.Has("description") || s.Origin.At("seed").Line != 5 {
		t.Errorf("origin = %+v", s.Origin)
	}
}

// small is the target of the edge-case table.
type small struct {
	Name  string            `yaml:"name" required:"true"`
	Count int               `yaml:"count"`
	Ptr   *int              `yaml:"ptr"`
	List  []string          `yaml:"list"`
	Map   map[string]int    `yaml:"map"`
	Any   any               `yaml:"any"`
	Wait  units.Duration    `yaml:"wait"`
	Extra map[string]string `yaml:"extra"`
}

func TestDecodeEdgeCases(t *testing.T) {
	tests := []struct {
		comment string
		in      string
		err     string // the whole output; "" means success
	}{
		{"a minimal valid document", "name: x\n", ""},
		{"an empty file", "", "f.yaml:1:1: the file is empty; expected a YAML mapping"},
		{"a file of comments only", "# nothing\n\n", "f.yaml:1:1: the file is empty; expected a YAML mapping"},
		{"a document marker alone", "---\n", "f.yaml:1:1: the document is empty; expected a YAML mapping"},
		{"null at the root", "~\n", "f.yaml:1:1: expected a mapping, got null"},
		{"a list at the root", "- a\n", "f.yaml:1:1: expected a mapping, got a list"},
		{"two documents", "name: a\n---\nname: b\n", "f.yaml:2:1: a second YAML document starts here; the file must hold exactly one (remove the '---' line)"},
		{"a syntax error", "name: a\n  count: 1\n", "f.yaml:2: YAML syntax error: mapping values are not allowed in this context"},
		{"tab indentation", "name: a\nlist:\n\t- x\n", "f.yaml:3:1: YAML syntax error: found character that cannot start any token (YAML does not allow tabs for indentation; use spaces)"},
		{"invalid UTF-8", "name: a\nlist: [\xff]\n", "f.yaml:2:8: the file is not valid UTF-8 (byte 0xFF)"},
		{"a control character", "name: a\x01\n", "f.yaml:1:8: control character U+0001 is not allowed in YAML"},
		{"a missing required field", "count: 1\n", `f.yaml:1:1: missing required field "name"`},
		{"an empty value for a string", "name:\n", `f.yaml:1:6: name: expected a string, got nothing (an empty value)`},
		{"a number is fine for a string, kept as written", "name: 012\n", ""},
		{"a list for a string", "name: [a]\n", `f.yaml:1:7: name: expected a string, got a list`},
		{"a float for an int", "name: a\ncount: 1.5\n", `f.yaml:2:8: count: expected an integer, got number 1.5`},
		{"a quoted number for an int", "name: a\ncount: \"1\"\n", `f.yaml:2:8: count: expected an integer, got string "1"`},
		{"an int that overflows", "name: a\ncount: 99999999999999999999\n", `f.yaml:2:8: count: expected an integer, got number 99999999999999999999`},
		{"null for a pointer is nil", "name: a\nptr: ~\n", ""},
		{"a duplicate key", "name: a\nname: b\n", `f.yaml:2:1: duplicate key "name" (first defined at line 1, column 1)`},
		{"a key that is a list", "name: a\n? [x]\n: 1\n", `f.yaml:2:3: keys must be plain strings, got a list as a key`},
		{"an unknown key far from any field", "name: a\nzzzzzz: 1\n", `f.yaml:2:1: unknown field "zzzzzz" (allowed: name, count, ptr, list, map, any, wait, extra)`},
		{"x- keys are extensions, for anchors", "x-base: &b {a: 1}\nname: a\nmap: *b\n", ""},
		{"an application tag", "name: !secret a\n", `f.yaml:1:7: name: unsupported YAML tag !secret`},
		{"a bad map value", "name: a\nmap: {a: 1, b: x}\n", `f.yaml:2:16: map.b: expected an integer, got string "x"`},
		{"a map key that needs quoting in the path", "name: a\nmap: {a.b: x}\n", `f.yaml:2:12: map["a.b"]: expected an integer, got string "x"`},
		{"a custom scalar given a mapping", "name: a\nwait: {s: 1}\n", `f.yaml:2:7: wait: expected a single value such as "90s", got a mapping`},
		{"aliases are followed", "name: &n a\nlist: [*n, *n]\n", ""},
		{"an alias to a bad value reports it at each use", "name: a\nx: &bad q\nlist: [1]\ncount: *bad\n",
			"f.yaml:2:1: unknown field \"x\" (allowed: name, count, ptr, list, map, any, wait, extra)\nf.yaml:2:4: count: expected an integer, got string \"q\""},
		{"an alias cycle", "name: a\nany: &a [*a]\n", `f.yaml:2:10: any[0]: alias *a refers to a value that contains it (a cycle)`},
		{"a merge key of a scalar", "name: a\nextra: {<<: x}\n", `f.yaml:2:13: extra: a merge key (<<) takes a mapping or a list of mappings, got string "x"`},
		{"an undefined alias", "name: a\nlist: [*nope]\n", `f.yaml:2:8: YAML syntax error: unknown anchor 'nope' referenced`},
		{"infinity is not a finite number", "name: a\nany: .inf\n", `f.yaml:2:6: any: number .inf is out of range (expected a finite number)`},
	}
	for _, tt := range tests {
		var s small
		err := yamlstrict.Decode("f.yaml", []byte(tt.in), &s)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.err {
			t.Errorf("%s:\n%q\ngot:\n%s\nwant:\n%s", tt.comment, tt.in, got, tt.err)
		}
	}
}

func TestDecodeValues(t *testing.T) {
	in := "name: 012\nptr: 5\nlist: [a, b]\nmap: {z: 1, a: 2}\nany: {k: [1, 2.5, true, ~, s]}\nwait: 90s\n"
	var s small
	if err := yamlstrict.Decode("f.yaml", []byte(in), &s); err != nil {
		t.Fatal(err)
	}
	if s.Name != "012" || s.Ptr == nil || *s.Ptr != 5 || len(s.List) != 2 || s.Map["z"] != 1 || s.Wait.D() != 90*time.Second {
		t.Errorf("decoded %+v", s)
	}
	anyWant := map[string]any{"k": []any{int64(1), 2.5, true, nil, "s"}}
	if got, ok := s.Any.(map[string]any); !ok || len(got["k"].([]any)) != 5 || got["k"].([]any)[0] != anyWant["k"].([]any)[0] {
		t.Errorf("any = %#v", s.Any)
	}
}

// TestBillionLaughs checks that exponential alias expansion is refused
// quickly instead of eating memory and time.
func TestBillionLaughs(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: x\nany:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("  a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	start := time.Now()
	var s small
	err := yamlstrict.Decode("laughs.yaml", []byte(b.String()), &s)
	if err == nil || !strings.Contains(err.Error(), "expands to too many values") {
		t.Fatalf("want the expansion refused, got %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestDeepNesting checks that deeply nested input is refused with a
// message rather than exhausting the stack.
func TestDeepNesting(t *testing.T) {
	in := "name: x\nany: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"
	var s small
	err := yamlstrict.Decode("deep.yaml", []byte(in), &s)
	if err == nil || !strings.Contains(err.Error(), "nested more than") {
		t.Fatalf("got %v", err)
	}
}

func TestTooManyErrors(t *testing.T) {
	in := "name: x\nlist: [" + strings.Repeat("[], ", 300) + "]\n"
	var s small
	err := yamlstrict.Decode("many.yaml", []byte(in), &s)
	var errs yamlstrict.Errors
	if !errors.As(err, &errs) || len(errs) != yamlstrict.MaxErrors+1 || !strings.Contains(errs[len(errs)-1].Msg, "200 more not shown") {
		t.Fatalf("got %d errors, last %v", len(errs), errs[len(errs)-1])
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		comment string
		err     yamlstrict.Error
		want    string
	}{
		{"everything known", yamlstrict.Error{File: "f.yaml", Line: 12, Column: 5, Path: "a.b[2]", Msg: "bad"}, "f.yaml:12:5: a.b[2]: bad"},
		{"no path: the document as a whole", yamlstrict.Error{File: "f.yaml", Line: 1, Column: 1, Msg: "bad"}, "f.yaml:1:1: bad"},
		{"no column", yamlstrict.Error{File: "f.yaml", Line: 3, Msg: "bad"}, "f.yaml:3: bad"},
		{"no position at all", yamlstrict.Error{File: "f.yaml", Msg: "bad"}, "f.yaml: bad"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.comment, got, tt.want)
		}
	}
}

func TestKeyAndIndex(t *testing.T) {
	if got := yamlstrict.Index(yamlstrict.Key(yamlstrict.Key("", "traffic"), "stages"), 2); got != "traffic.stages[2]" {
		t.Errorf("got %q", got)
	}
	if got := yamlstrict.Key("accounts", "my account"); got != `accounts["my account"]` {
		t.Errorf("got %q", got)
	}
}

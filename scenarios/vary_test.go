package scenarios

import (
	"strings"
	"testing"
	"time"
)

// TestParseVariation: each item of the grammar, what it gives, and the
// mistakes it refuses with a message saying what to write.
func TestParseVariation(t *testing.T) {
	faults := []string{"storm", "rule-off"}
	cases := []struct {
		text string
		want string // String() of the result, or the error's text
		err  bool
	}{
		// every fault may be switched off
		{"faults", "faults", false},
		// only the named ones
		{"faults=storm+rule-off", "faults=storm+rule-off", false},
		// spaces around items and names are ignored
		{" faults = storm , at ", "faults=storm,at", false},
		// the default set: faults, at, for, and the rate within 0.5..1.5
		{"default", "faults,at,for,rate=0.5..1.5", false},
		{"at=30s..4m,for=10s..1m,rate=0.25..2", "at=30s..4m0s,for=10s..1m0s,rate=0.25..2", false},
		{"rate", "rate=0.5..1.5", false},
		{"", "empty variation", true},
		{"faults=storm+", "an empty fault name", true},
		{"faults=strom", `no fault named "strom" (faults: storm, rule-off)`, true},
		{"faults=storm+storm", `fault "storm" is named twice`, true},
		{"at=0s..1m", "at: the range starts at 0s: the least is 1s", true},
		{"at=2m..1m", "ends (1m0s) before it starts (2m0s)", true},
		{"for=1m", "want LO..HI", true},
		{"rate=0..2", "above 0", true},
		{"rate=1..1000", "at most 100", true},
		{"rate=x..2", "want two numbers", true},
		{"rate=", "rate= needs a value", true},
		{"faults,faults", `"faults" is given twice`, true},
		{"faults,,at", "an empty item", true},
		{"seeds", `unknown item "seeds"`, true},
		{"default=1", "default takes no value", true},
		{strings.Repeat("a", 5000), "at most 4096 characters", true},
	}
	for _, c := range cases {
		v, err := ParseVariation(c.text, faults)
		switch {
		case c.err && err == nil:
			t.Errorf("%q: no error, want %q", c.text, c.want)
		case c.err && !strings.Contains(err.Error(), c.want):
			t.Errorf("%q: error %q, want it to say %q", c.text, err, c.want)
		case !c.err && err != nil:
			t.Errorf("%q: %v", c.text, err)
		case !c.err && v.String() != c.want:
			t.Errorf("%q: gives %q, want %q", c.text, v.String(), c.want)
		}
	}
}

// TestVariationRoundTrips: String writes what ParseVariation reads back.
func TestVariationRoundTrips(t *testing.T) {
	for _, text := range []string{"faults", "faults=a+b,at,for=1s..2s", "default", "rate=0.3..0.7"} {
		v, err := ParseVariation(text, nil)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseVariation(v.String(), nil)
		if err != nil {
			t.Fatalf("%q → %q: %v", text, v.String(), err)
		}
		if back.String() != v.String() {
			t.Errorf("%q → %q → %q", text, v.String(), back.String())
		}
	}
	v, _ := ParseVariation("at=1m..2m", nil)
	if v.At.Lo != time.Minute || v.At.Hi != 2*time.Minute || v.At.Auto || v.Switches("x") {
		t.Errorf("at=1m..2m: %+v", v)
	}
}

// TestVaryKeyIsChecked: a scenario's vary key is checked when it loads,
// at its line, against the scenario's faults.
func TestVaryKeyIsChecked(t *testing.T) {
	base := `name: v
topology:
  reference:
    services: [{name: orders}, {name: delivery}]
services:
  - {name: delivery, account: delivery, on: Order.Created, emit: Delivery.Updated}
  - {name: orders, account: orders, on: Delivery.Updated, emit: Order.Updated}
traffic: {rate: 1/s, duration: 1m}
faults:
  - {name: rule-off, kind: disable-rule, bus: bus/global, rule: to-delivery, at: 10s, for: 10s}
`
	if _, err := Load("v.yaml", []byte(base+"vary: faults=rule-off, at=5s..20s\n"), LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := Load("v.yaml", []byte(base+"vary: faults=rule-of\n"), LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), `v.yaml:11:7: vary: faults: no fault named "rule-of" (faults: rule-off)`) {
		t.Errorf("a vary naming no fault: %v", err)
	}
}

// TestMarshalKeepsExpectations: an expectation's window and no_data
// survive Marshal (they used to be dropped with the short form).
func TestMarshalKeepsExpectations(t *testing.T) {
	s, err := Builtin("disabled-rule")
	if err != nil {
		t.Fatal(err)
	}
	s.Spec.Expect = append(s.Spec.Expect, ExpectSpec{That: "loss == 0", NoData: "pass"})
	out, err := Marshal(s.Spec, "a test\n\nof Marshal")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "# a test\n#\n# of Marshal\nname: disabled-rule\n") {
		t.Errorf("header:\n%s", out)
	}
	back, err := Load("back.yaml", out, LoadOptions{})
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(back.Expect) != len(s.Spec.Expect) {
		t.Fatalf("%d expectations back, want %d", len(back.Expect), len(s.Spec.Expect))
	}
	for i, e := range s.Spec.Expect {
		got := back.Expect[i]
		if got.Window != e.Window || got.NoDataPasses != (e.NoData == "pass") || got.Cond.String() != e.That {
			t.Errorf("expect[%d]: %+v back, written %+v", i, got, e)
		}
	}
}

// FuzzParseVariation: any text gives a variation or an error, never a
// panic; a variation's String parses back to itself.
func FuzzParseVariation(f *testing.F) {
	for _, s := range []string{"default", "faults=a+b", "at=1s..2m,for", "rate=0.5..2", ",", "faults=", "at=..", "rate=1e308..1e309"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		v, err := ParseVariation(text, nil)
		if err != nil {
			return
		}
		back, err := ParseVariation(v.String(), nil)
		if err != nil {
			t.Fatalf("%q → %q does not parse: %v", text, v.String(), err)
		}
		if back.String() != v.String() {
			t.Fatalf("%q → %q → %q", text, v.String(), back.String())
		}
	})
}

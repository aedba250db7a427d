package units

import (
	"encoding/json"
	"math"
	"testing"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		comment string
		in      string
		perSec  float64
		err     string
	}{
		{"per second", "200/s", 200, ""},
		{"per minute, short unit", "12000/m", 200, ""},
		{"per minute, long unit", "12000/min", 200, ""},
		{"per hour", "36000/h", 10, ""},
		{"a fractional rate", "0.5/s", 0.5, ""},
		{"spaces around the slash", "200 / s", 200, ""},
		{"zero", "0/s", 0, ""},
		{"spelled-out unit", "60/minute", 1, ""},
		{"a bare number is ambiguous", "200", 0, `invalid rate "200": missing unit: write 200/s, 200/m or 200/h`},
		{"an unknown unit", "20/x", 0, `invalid rate "20/x": unit must be /s, /m or /h`},
		{"milliseconds are not a rate unit", "20/ms", 0, `invalid rate "20/ms": unit must be /s, /m or /h`},
		{"negative", "-5/s", 0, `invalid rate "-5/s": rates cannot be negative`},
		{"not a number", "abc/s", 0, `invalid rate "abc/s": "abc" is not a number`},
		{"no number", "/s", 0, `invalid rate "/s": missing the number before /s`},
		{"empty", " ", 0, `invalid rate " ": empty; write events per unit of time, e.g. 200/s, 12000/m or 36000/h`},
		{"infinity is not a rate", "inf/s", 0, `invalid rate "inf/s": "inf" is not a number`},
		{"words", "fast", 0, `invalid rate "fast": expected a number and a unit, e.g. 200/s`},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: ParseRate(%q) error = %v, want %s", tt.comment, tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got.PerSecond() != tt.perSec {
			t.Errorf("%s: ParseRate(%q) = %v, %v; want %v/s", tt.comment, tt.in, got.PerSecond(), err, tt.perSec)
		}
	}
}

func TestRateString(t *testing.T) {
	tests := []struct {
		comment string
		in      string
		want    string
	}{
		{"per second stays per second", "200/s", "200/s"},
		{"per minute that is whole per second", "12000/m", "200/s"},
		{"one an hour reads better per hour", "1/h", "1/h"},
		{"one a minute reads better per minute", "1/m", "1/m"},
		{"half a second stays per second", "0.5/s", "0.5/s"},
	}
	for _, tt := range tests {
		r, err := ParseRate(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.String(); got != tt.want {
			t.Errorf("%s: %q renders %q, want %q", tt.comment, tt.in, got, tt.want)
		}
	}
}

func TestRateJSON(t *testing.T) {
	var r Rate
	if err := json.Unmarshal([]byte(`"12000/m"`), &r); err != nil || r != 200 {
		t.Fatalf("%v %v", r, err)
	}
	if b, _ := json.Marshal(r); string(b) != `"200/s"` {
		t.Errorf("marshal = %s", b)
	}
	if err := json.Unmarshal([]byte(`200`), &r); err == nil {
		t.Error("a bare number must be refused")
	}
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"200/s", "12000/min", "1/h", "0.5/s", "200", "1e308/s", "1e-320/h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			return
		}
		if r < 0 || math.IsNaN(float64(r)) || math.IsInf(float64(r), 0) {
			t.Fatalf("%q parsed to %v", s, float64(r))
		}
		back, err := ParseRate(r.String())
		if err != nil || back != r {
			t.Fatalf("%q → %v → %q → %v, %v", s, float64(r), r.String(), float64(back), err)
		}
	})
}

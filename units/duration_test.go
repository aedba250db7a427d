package units

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		comment string
		in      string
		want    time.Duration
		err     string // the whole error message; "" means success
	}{
		{"seconds", "90s", 90 * time.Second, ""},
		{"minutes", "10m", 10 * time.Minute, ""},
		{"hours and minutes", "1h30m", 90 * time.Minute, ""},
		{"milliseconds", "250ms", 250 * time.Millisecond, ""},
		{"a fraction of a second", "1.5s", 1500 * time.Millisecond, ""},
		{"zero with a unit", "0s", 0, ""},
		{"zero alone needs no unit", "0", 0, ""},
		{"microseconds with a µ", "3µs", 3 * time.Microsecond, ""},
		{"surrounding spaces are trimmed", "  5s ", 5 * time.Second, ""},
		{"an explicit plus sign", "+5s", 5 * time.Second, ""},
		{"the largest duration", "2562047h47m16.854775807s", time.Duration(1<<63 - 1), ""},
		{"empty", "", 0, `invalid duration "": empty; write a number with a unit, e.g. 90s, 250ms or 1h30m`},
		{"negative", "-5s", 0, `invalid duration "-5s": durations cannot be negative`},
		{"a number without a unit", "90", 0, `invalid duration "90": missing unit after 90 (write 90s, 90ms or 90m; units are ns, us, ms, s, m, h)`},
		{"the second number has no unit", "1h30", 0, `invalid duration "1h30": missing unit after 30 (write 30s, 30ms or 30m; units are ns, us, ms, s, m, h)`},
		{"days are not a unit", "2d", 0, `invalid duration "2d": unknown unit "d": write days in hours, e.g. 24h`},
		{"spelled-out units", "5sec", 0, `invalid duration "5sec": unknown unit "sec": write s`},
		{"upper-case units", "5S", 0, `invalid duration "5S": unknown unit "S": units are lower case: write s`},
		{"an unknown unit", "5x", 0, `invalid duration "5x": unknown unit "x" (units are ns, us, ms, s, m, h)`},
		{"spaces between parts", "1h 30m", 0, `invalid duration "1h 30m": remove the spaces (write 1h30m, not 1h 30m)`},
		{"no number", "s", 0, `invalid duration "s": expected a number before "s"`},
		{"two decimal points", "1.2.3s", 0, `invalid duration "1.2.3s": "1.2.3" is not a number`},
		{"too large", "3000000h", 0, `invalid duration "3000000h": too large (the maximum is 2562047h47m16.854775807s, about 292 years)`},
		{"a colon is not a unit separator", "1:30", 0, `invalid duration "1:30": unknown unit ":" (units are ns, us, ms, s, m, h)`},
	}
	for _, tt := range tests {
		got, err := ParseDuration(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: ParseDuration(%q) error = %v, want %s", tt.comment, tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got.D() != tt.want {
			t.Errorf("%s: ParseDuration(%q) = %v, %v; want %v", tt.comment, tt.in, got, err, tt.want)
		}
	}
}

func TestDurationStringRoundTrips(t *testing.T) {
	for _, in := range []string{"0", "1ns", "90s", "1h30m", "1.5s", "250ms", "2562047h47m16.854775807s"} {
		d, err := ParseDuration(in)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseDuration(d.String())
		if err != nil || back != d {
			t.Errorf("%q: String %q parses back to %v, %v", in, d.String(), back, err)
		}
	}
}

func TestDurationJSON(t *testing.T) {
	var v struct{ D Duration }
	if err := json.Unmarshal([]byte(`{"D":"1h30m"}`), &v); err != nil || v.D.D() != 90*time.Minute {
		t.Fatalf("unmarshal: %v %v", v.D, err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"D":"1h30m0s"}` {
		t.Errorf("marshal = %s", b)
	}
	if err := json.Unmarshal([]byte(`{"D":0}`), &v); err != nil || v.D != 0 {
		t.Errorf("the number 0: %v %v", v.D, err)
	}
	if err := json.Unmarshal([]byte(`{"D":5}`), &v); err == nil {
		t.Errorf("the number 5 has no unit and must be refused")
	}
	if err := json.Unmarshal([]byte(`{"D":true}`), &v); err == nil {
		t.Errorf("a boolean must be refused")
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"90s", "1h30m", "0", "-1s", "1.5µs", "2562047h47m16.854775807s", "1d", ".5s", "5."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("%q parsed to negative %v", s, d)
		}
		back, err := ParseDuration(d.String())
		if err != nil || back != d {
			t.Fatalf("%q → %v → %q → %v, %v", s, int64(d), d.String(), int64(back), err)
		}
	})
}

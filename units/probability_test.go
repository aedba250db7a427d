package units

import (
	"encoding/json"
	"testing"
)

func TestParseProbability(t *testing.T) {
	tests := []struct {
		comment string
		in      string
		want    float64
		err     string
	}{
		{"a percentage", "0.5%", 0.005, ""},
		{"a fraction", "0.005", 0.005, ""},
		{"certain", "1", 1, ""},
		{"a hundred percent", "100%", 1, ""},
		{"never", "0", 0, ""},
		{"a space before the percent sign", "5 %", 0.05, ""},
		{"more than one", "2", 0, `invalid probability "2": more than 1; for a percentage write 2%`},
		{"more than a hundred percent", "150%", 0, `invalid probability "150%": more than 100%`},
		{"negative", "-0.1", 0, `invalid probability "-0.1": probabilities cannot be negative`},
		{"not a number", "half", 0, `invalid probability "half": "half" is not a number`},
		{"NaN is not a probability", "NaN", 0, `invalid probability "NaN": "NaN" is not a number`},
		{"empty", "", 0, `invalid probability "": empty; write a fraction (0.005) or a percentage (0.5%)`},
	}
	for _, tt := range tests {
		got, err := ParseProbability(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: ParseProbability(%q) error = %v, want %s", tt.comment, tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got.Float() != tt.want {
			t.Errorf("%s: ParseProbability(%q) = %v, %v; want %v", tt.comment, tt.in, got.Float(), err, tt.want)
		}
	}
}

func TestProbabilityString(t *testing.T) {
	tests := []struct {
		comment string
		in      Probability
		want    string
	}{
		{"half a percent", 0.005, "0.5%"},
		{"certain", 1, "100%"},
		{"never", 0, "0%"},
		{"one in three has no exact percentage", 1.0 / 3, "0.3333333333333333"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%s: %v renders %q, want %q", tt.comment, float64(tt.in), got, tt.want)
		}
	}
}

func TestProbabilityJSON(t *testing.T) {
	var p Probability
	if err := json.Unmarshal([]byte(`0.25`), &p); err != nil || p != 0.25 {
		t.Fatalf("%v %v", p, err)
	}
	if out, _ := json.Marshal(p); string(out) != `"25%"` {
		t.Errorf("marshal = %s", out)
	}
}

func FuzzParseProbability(f *testing.F) {
	for _, s := range []string{"0.5%", "0.005", "1", "100%", "1e-300", "4.9e-324%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseProbability(s)
		if err != nil {
			return
		}
		if !(p >= 0 && p <= 1) {
			t.Fatalf("%q parsed to %v", s, float64(p))
		}
		back, err := ParseProbability(p.String())
		if err != nil || back != p {
			t.Fatalf("%q → %v → %q → %v, %v", s, float64(p), p.String(), float64(back), err)
		}
	})
}

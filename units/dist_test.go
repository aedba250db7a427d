package units

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/busdrill/busdrill/rng"
)

func TestParseDist(t *testing.T) {
	const s = float64(time.Second)
	tests := []struct {
		comment string
		in      string
		want    rng.Dist
		str     string // canonical String
		err     string
	}{
		{"a plain duration is a constant", "5s", rng.Constant{Value: 5 * s}, "5s", ""},
		{"an explicit constant", "constant(5s)", rng.Constant{Value: 5 * s}, "5s", ""},
		{"uniform, positional", "uniform(1s, 3s)", rng.Uniform{Min: 1 * s, Max: 3 * s}, "uniform(1s, 3s)", ""},
		{"uniform, named", "uniform(max=3s, min=1s)", rng.Uniform{Min: 1 * s, Max: 3 * s}, "uniform(1s, 3s)", ""},
		{"exponential, named", "exponential(mean=2s)", rng.Exponential{MeanValue: 2 * s}, "exponential(mean=2s)", ""},
		{"exp is short for exponential", "exp(2s)", rng.Exponential{MeanValue: 2 * s}, "exponential(mean=2s)", ""},
		{"lognormal, named", "lognormal(median=5s, p99=8s)", rng.NewLogNormal(5*s, 8*s), "lognormal(median=5s, p99=8s)", ""},
		{"lognormal, positional, odd spacing", " lognormal( 5s,8s ) ", rng.NewLogNormal(5*s, 8*s), "lognormal(median=5s, p99=8s)", ""},
		{"names are case-insensitive", "Uniform(250ms, 1.5s)", rng.Uniform{Min: 0.25 * s, Max: 1.5 * s}, "uniform(250ms, 1.5s)", ""},
		{"zero", "0", rng.Constant{}, "0s", ""},
		{"lognormal with p99 below the median", "lognormal(median=5s, p99=1s)", nil, "",
			`invalid distribution "lognormal(median=5s, p99=1s)": lognormal needs p99 ≥ median (got median=5s, p99=1s)`},
		{"uniform upside down", "uniform(3s, 1s)", nil, "",
			`invalid distribution "uniform(3s, 1s)": uniform needs min ≤ max (got min=3s, max=1s)`},
		{"a parameter without a unit", "uniform(1s, 3)", nil, "",
			`invalid distribution "uniform(1s, 3)": max "3": missing unit after 3 (write 3s, 3ms or 3m; units are ns, us, ms, s, m, h)`},
		{"a missing parameter", "lognormal(median=5s)", nil, "",
			`invalid distribution "lognormal(median=5s)": lognormal needs p99, e.g. lognormal(median=5s, p99=5s)`},
		{"a parameter of another form", "uniform(mean=2s)", nil, "",
			`invalid distribution "uniform(mean=2s)": uniform has no parameter "mean"; it takes min and max`},
		{"too many arguments", "exp(1s, 2s)", nil, "",
			`invalid distribution "exp(1s, 2s)": exponential takes 1 parameter (mean), got 2`},
		{"an unknown form with a near miss", "lognormla(5s, 8s)", nil, "",
			`invalid distribution "lognormla(5s, 8s)": unknown distribution "lognormla"; did you mean "lognormal"? (the forms are constant, uniform, exponential (or exp) and lognormal)`},
		{"a form without parameters", "lognormal", nil, "",
			`invalid distribution "lognormal": lognormal needs parameters, e.g. lognormal(median=5s, p99=5s)`},
		{"an unknown form without a near miss lists the forms", "empirical(hop.hdr)", nil, "",
			`invalid distribution "empirical(hop.hdr)": unknown distribution "empirical" (the forms are constant, uniform, exponential (or exp) and lognormal)`},
		{"an unclosed parenthesis", "uniform(1s, 3s", nil, "",
			`invalid distribution "uniform(1s, 3s": missing closing parenthesis`},
		{"exponential with a zero mean", "exp(0s)", nil, "",
			`invalid distribution "exp(0s)": exponential needs mean > 0`},
		{"a parameter given twice", "uniform(min=1s, min=2s)", nil, "",
			`invalid distribution "uniform(min=1s, min=2s)": parameter min is given twice`},
		{"positional after named", "uniform(min=1s, 2s)", nil, "",
			`invalid distribution "uniform(min=1s, 2s)": positional argument "2s" after a named one; name it (min and max)`},
		{"a bad constant", "5 s", nil, "",
			`invalid distribution "5 s": remove the spaces (write 1h30m, not 1h 30m)`},
		{"a gaussian", "normal(5s, 1s)", nil, "",
			`invalid distribution "normal(5s, 1s)": unknown distribution "normal"; did you mean "lognormal"? (the forms are constant, uniform, exponential (or exp) and lognormal)`},
	}
	for _, tt := range tests {
		got, err := ParseDist(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: ParseDist(%q) error =\n  %v\nwant\n  %s", tt.comment, tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got.Rng() != tt.want {
			t.Errorf("%s: ParseDist(%q) = %#v, %v; want %#v", tt.comment, tt.in, got.Rng(), err, tt.want)
			continue
		}
		if got.String() != tt.str {
			t.Errorf("%s: String = %q, want %q", tt.comment, got.String(), tt.str)
		}
		back, err := ParseDist(got.String())
		if err != nil || back.Rng() != got.Rng() {
			t.Errorf("%s: %q does not parse back: %v, %v", tt.comment, got.String(), back, err)
		}
	}
}

func TestParseSizeDist(t *testing.T) {
	tests := []struct {
		comment string
		in      string
		want    rng.Dist
		str     string
		err     string
	}{
		{"a plain size", "2KB", rng.Constant{Value: 2000}, "2KB", ""},
		{"a bare number of bytes", "512", rng.Constant{Value: 512}, "512B", ""},
		{"uniform", "uniform(1KB, 4KB)", rng.Uniform{Min: 1000, Max: 4000}, "uniform(1KB, 4KB)", ""},
		{"lognormal", "lognormal(median=2KB, p99=8KB)", rng.NewLogNormal(2000, 8000), "lognormal(median=2KB, p99=8KB)", ""},
		{"exponential in binary units", "exp(2KiB)", rng.Exponential{MeanValue: 2048}, "exponential(mean=2KiB)", ""},
		{"a duration is not a size", "uniform(1s, 2s)", nil, "",
			`invalid size distribution "uniform(1s, 2s)": min "1s": unknown unit "s" (use B, KB, KiB, MB, MiB, GB, GiB, TB or TiB)`},
	}
	for _, tt := range tests {
		got, err := ParseSizeDist(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: ParseSizeDist(%q) error =\n  %v\nwant\n  %s", tt.comment, tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got.Rng() != tt.want || got.String() != tt.str {
			t.Errorf("%s: ParseSizeDist(%q) = %#v %q, %v; want %#v %q", tt.comment, tt.in, got.Rng(), got.String(), err, tt.want, tt.str)
		}
	}
}

func TestDistIsAnRngDist(t *testing.T) {
	d, _ := ParseDist("uniform(1s, 3s)")
	r := rand.New(rand.NewPCG(1, 2))
	for range 100 {
		if v := rng.Duration(d, r); v < time.Second || v >= 3*time.Second {
			t.Fatalf("sample %v outside [1s, 3s)", v)
		}
	}
	var zero Dist
	if zero.Sample(r) != 0 || zero.String() != "0s" || !zero.IsZero() {
		t.Errorf("the zero Dist must be a usable constant 0s")
	}
}

func TestDistJSON(t *testing.T) {
	var v struct{ L Dist }
	if err := json.Unmarshal([]byte(`{"L":"lognormal(5s, 8s)"}`), &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"L":"lognormal(median=5s, p99=8s)"}` {
		t.Errorf("marshal = %s", b)
	}
}

var distSeeds = []string{
	"5s", "constant(5s)", "uniform(1s, 3s)", "exponential(mean=2s)", "exp(2s)",
	"lognormal(median=5s, p99=8s)", "uniform(max=3s,min=1s)", "empirical(x)", "lognormal(5s,", "((", "0",
}

func FuzzParseDist(f *testing.F) {
	for _, s := range distSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDist(s)
		if err != nil {
			return
		}
		back, err := ParseDist(d.String())
		if err != nil || back.String() != d.String() {
			t.Fatalf("%q → %q → %q, %v", s, d.String(), back.String(), err)
		}
	})
}

func FuzzParseSizeDist(f *testing.F) {
	for _, s := range append(distSeeds, "2KB", "uniform(1KB, 4KiB)", "lognormal(median=2KB, p99=8KB)") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseSizeDist(s)
		if err != nil {
			return
		}
		back, err := ParseSizeDist(d.String())
		if err != nil || back.String() != d.String() {
			t.Fatalf("%q → %q → %q, %v", s, d.String(), back.String(), err)
		}
	})
}

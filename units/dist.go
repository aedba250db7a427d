package units

import (
	"math/rand/v2"

	"github.com/busdrill/busdrill/rng"
)

// Dist is a latency distribution written in time units: "5s" (constant),
// "constant(5s)", "uniform(1s, 3s)", "exponential(mean=2s)" (or
// "exp(2s)") and "lognormal(median=5s, p99=8s)". It holds an rng.Dist
// over nanoseconds, and is itself an rng.Dist whose String is the
// scenario syntax. The zero Dist is the constant 0s.
type Dist struct{ d rng.Dist }

var _ rng.Dist = Dist{}

// ParseDist parses the scenario syntax of a latency distribution.
func ParseDist(s string) (Dist, error) {
	d, err := parseDist(s, durationQuantity)
	if err != nil {
		return Dist{}, err
	}
	return Dist{d}, nil
}

// Rng returns the underlying distribution over nanoseconds.
func (d Dist) Rng() rng.Dist {
	if d.d == nil {
		return rng.Constant{}
	}
	return d.d
}

// IsZero reports whether d is the zero Dist (never set).
func (d Dist) IsZero() bool { return d.d == nil }

// Sample draws a latency in nanoseconds.
func (d Dist) Sample(r *rand.Rand) float64 { return d.Rng().Sample(r) }

// Quantile returns the q-quantile in nanoseconds.
func (d Dist) Quantile(q float64) float64 { return d.Rng().Quantile(q) }

// Mean returns the mean in nanoseconds.
func (d Dist) Mean() float64 { return d.Rng().Mean() }

// String renders d in the canonical scenario syntax, which parses back to
// the same distribution: "5s", "uniform(1s, 3s)", "exponential(mean=2s)",
// "lognormal(median=5s, p99=8s)".
func (d Dist) String() string { return formatDist(d.d, durationQuantity) }

// UnmarshalScalar parses s into d (see ParseDist).
func (d *Dist) UnmarshalScalar(s string) error {
	v, err := ParseDist(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Dist) UnmarshalText(b []byte) error { return d.UnmarshalScalar(string(b)) }

// MarshalText implements encoding.TextMarshaler.
func (d Dist) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// MarshalJSON renders d as its canonical string.
func (d Dist) MarshalJSON() ([]byte, error) { return marshalJSONString(d.String()) }

// UnmarshalJSON accepts the string form (or the number 0).
func (d *Dist) UnmarshalJSON(b []byte) error {
	return unmarshalJSONScalar("distribution", b, d.UnmarshalScalar)
}

// MarshalYAML renders d as its canonical string for gopkg.in/yaml.v3.
func (d Dist) MarshalYAML() (any, error) { return d.String(), nil }

// JSONSchema describes the accepted forms for editors and validators.
func (Dist) JSONSchema() map[string]any {
	return distSchema("A latency distribution: a duration (constant) or constant(5s), uniform(1s, 3s), exponential(mean=2s), lognormal(median=5s, p99=8s).",
		durationPattern, "5s", "uniform(1s, 3s)", "lognormal(median=5s, p99=8s)")
}

// SizeDist is a distribution of sizes in bytes, with the same forms as
// Dist over byte sizes: "2KB", "uniform(1KB, 4KB)", "exponential(mean=2KiB)",
// "lognormal(median=2KB, p99=8KB)". The zero SizeDist is the constant 0B.
type SizeDist struct{ d rng.Dist }

var _ rng.Dist = SizeDist{}

// ParseSizeDist parses the scenario syntax of a size distribution.
func ParseSizeDist(s string) (SizeDist, error) {
	d, err := parseDist(s, sizeQuantity)
	if err != nil {
		return SizeDist{}, err
	}
	return SizeDist{d}, nil
}

// SizeDistOf wraps an rng.Dist over bytes as a SizeDist.
func SizeDistOf(d rng.Dist) SizeDist { return SizeDist{d} }

// Rng returns the underlying distribution over bytes.
func (d SizeDist) Rng() rng.Dist {
	if d.d == nil {
		return rng.Constant{}
	}
	return d.d
}

// IsZero reports whether d is the zero SizeDist (never set).
func (d SizeDist) IsZero() bool { return d.d == nil }

// Sample draws a size in bytes (not rounded).
func (d SizeDist) Sample(r *rand.Rand) float64 { return d.Rng().Sample(r) }

// Quantile returns the q-quantile in bytes.
func (d SizeDist) Quantile(q float64) float64 { return d.Rng().Quantile(q) }

// Mean returns the mean in bytes.
func (d SizeDist) Mean() float64 { return d.Rng().Mean() }

// String renders d in the canonical scenario syntax.
func (d SizeDist) String() string { return formatDist(d.d, sizeQuantity) }

// UnmarshalScalar parses s into d (see ParseSizeDist).
func (d *SizeDist) UnmarshalScalar(s string) error {
	v, err := ParseSizeDist(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *SizeDist) UnmarshalText(b []byte) error { return d.UnmarshalScalar(string(b)) }

// MarshalText implements encoding.TextMarshaler.
func (d SizeDist) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// MarshalJSON renders d as its canonical string.
func (d SizeDist) MarshalJSON() ([]byte, error) { return marshalJSONString(d.String()) }

// UnmarshalJSON accepts the string form or a JSON number of bytes.
func (d *SizeDist) UnmarshalJSON(b []byte) error {
	return unmarshalJSONScalar("size distribution", b, d.UnmarshalScalar)
}

// MarshalYAML renders d as its canonical string for gopkg.in/yaml.v3.
func (d SizeDist) MarshalYAML() (any, error) { return d.String(), nil }

// JSONSchema describes the accepted forms for editors and validators.
func (SizeDist) JSONSchema() map[string]any {
	s := distSchema("A size distribution: a byte size (constant) or constant(2KB), uniform(1KB, 4KB), exponential(mean=2KiB), lognormal(median=2KB, p99=8KB).",
		`^\s*[0-9]*\.?[0-9]+\.?\s*([kKmMgGtT][iI]?[bB]|[bB])?\s*$`, "2KB", "uniform(1KB, 4KB)", "lognormal(median=2KB, p99=8KB)")
	s["anyOf"] = append(s["anyOf"].([]any), map[string]any{"type": "integer", "minimum": 0})
	return s
}

// distSchema is the schema shared by Dist and SizeDist: a constant value
// (matching valuePattern) or one of the named forms (checked loosely: the
// parser gives the precise message).
func distSchema(desc, valuePattern string, examples ...any) map[string]any {
	return map[string]any{
		"anyOf": []any{
			map[string]any{"type": "string", "pattern": valuePattern},
			map[string]any{"type": "string", "pattern": `^\s*(constant|uniform|exponential|exp|lognormal)\s*\([^()]*\)\s*$`},
			map[string]any{"const": 0},
		},
		"description": desc,
		"examples":    examples,
	}
}

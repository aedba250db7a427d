package units

import (
	"math"
	"strconv"
	"strings"
)

// Probability is a number between 0 and 1, written as a fraction ("0.005",
// "1") or a percentage ("0.5%", "100%").
type Probability float64

// ParseProbability parses the scenario syntax of a probability: a number
// from 0 to 1, or a number from 0 to 100 followed by %.
func ParseProbability(in string) (Probability, error) {
	fail := func(format string, args ...any) (Probability, error) {
		return 0, newParseError("probability", in, format, args...)
	}
	s := strings.TrimSpace(in)
	if s == "" {
		return fail("empty; write a fraction (0.005) or a percentage (0.5%%)")
	}
	num, pct := strings.CutSuffix(s, "%")
	num = strings.TrimSpace(num)
	v, err := strconv.ParseFloat(num, 64)
	switch {
	case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
		return fail("%q is not a number", num)
	case v < 0:
		return fail("probabilities cannot be negative")
	case pct && v > 100:
		return fail("more than 100%%")
	case !pct && v > 1:
		return fail("more than 1; for a percentage write %s%%", num)
	case pct:
		v /= 100
	}
	return Probability(v + 0), nil // + 0 turns -0 into 0
}

// Float returns p as a float64 between 0 and 1.
func (p Probability) Float() float64 { return float64(p) }

// String renders p as a percentage ("0.5%", "100%") when that parses back
// to exactly p, and as a fraction otherwise.
func (p Probability) String() string {
	c := strconv.FormatFloat(float64(p)*100, 'g', -1, 64) + "%"
	if back, err := ParseProbability(c); err == nil && back == p {
		return c
	}
	return strconv.FormatFloat(float64(p), 'g', -1, 64)
}

// UnmarshalScalar parses s into p (see ParseProbability).
func (p *Probability) UnmarshalScalar(s string) error {
	v, err := ParseProbability(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Probability) UnmarshalText(b []byte) error { return p.UnmarshalScalar(string(b)) }

// MarshalText implements encoding.TextMarshaler.
func (p Probability) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// MarshalJSON renders p as its canonical string.
func (p Probability) MarshalJSON() ([]byte, error) { return marshalJSONString(p.String()) }

// UnmarshalJSON accepts the string form or a JSON number from 0 to 1.
func (p *Probability) UnmarshalJSON(b []byte) error {
	return unmarshalJSONScalar("probability", b, p.UnmarshalScalar)
}

// MarshalYAML renders p as its canonical string for gopkg.in/yaml.v3.
func (p Probability) MarshalYAML() (any, error) { return p.String(), nil }

// JSONSchema describes the accepted forms for editors and validators.
func (Probability) JSONSchema() map[string]any {
	return map[string]any{
		"anyOf": []any{
			map[string]any{"type": "number", "minimum": 0, "maximum": 1},
			map[string]any{"type": "string", "pattern": `^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*%?\s*$`},
		},
		"description": "A probability: a fraction from 0 to 1 (0.005) or a percentage (0.5%).",
		"examples":    []any{"0.5%", 0.005, 1},
	}
}

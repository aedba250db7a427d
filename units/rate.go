package units

import (
	"math"
	"strconv"
	"strings"
)

// Rate is a number of events per unit of time, written "200/s",
// "12000/m" (or "/min") or "36000/h"; "0.5/s" is one event every two
// seconds. The value is events per second.
type Rate float64

// rateUnits maps each accepted unit spelling to its length in seconds.
var rateUnits = map[string]float64{
	"s": 1, "sec": 1, "second": 1,
	"m": 60, "min": 60, "minute": 60,
	"h": 3600, "hr": 3600, "hour": 3600,
}

// ParseRate parses the scenario syntax of a rate: a non-negative number,
// a slash and a unit of time (s, m or min, h). A bare number is refused:
// "200" could mean per second or per minute, so the unit is required.
func ParseRate(in string) (Rate, error) {
	fail := func(format string, args ...any) (Rate, error) {
		return 0, newParseError("rate", in, format, args...)
	}
	s := strings.TrimSpace(in)
	if s == "" {
		return fail("empty; write events per unit of time, e.g. 200/s, 12000/m or 36000/h")
	}
	num, unit, found := strings.Cut(s, "/")
	num, unit = strings.TrimSpace(num), strings.TrimSpace(unit)
	v, err := strconv.ParseFloat(num, 64)
	numOK := err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
	switch {
	case !found && numOK:
		return fail("missing unit: write %s/s, %s/m or %s/h", num, num, num)
	case !found:
		return fail("expected a number and a unit, e.g. 200/s")
	case num == "":
		return fail("missing the number before /%s", unit)
	case !numOK:
		return fail("%q is not a number", num)
	case v < 0:
		return fail("rates cannot be negative")
	}
	secs, ok := rateUnits[unit]
	if !ok {
		return fail("unit must be /s, /m or /h")
	}
	perSec := v/secs + 0 // + 0 turns -0 into 0
	if math.IsInf(perSec, 0) {
		return fail("too large")
	}
	return Rate(perSec), nil
}

// PerSecond returns the rate in events per second.
func (r Rate) PerSecond() float64 { return float64(r) }

// String renders r in the shortest of /s, /m and /h that parses back to
// exactly r, preferring /s: "200/s", "1/h", "0.5/s".
func (r Rate) String() string {
	perSec := strconv.FormatFloat(float64(r), 'g', -1, 64) + "/s"
	best := perSec
	if len(perSec) <= 8 {
		return perSec
	}
	for _, u := range []struct {
		name string
		secs float64
	}{{"m", 60}, {"h", 3600}} {
		c := strconv.FormatFloat(float64(r)*u.secs, 'g', -1, 64) + "/" + u.name
		if len(c) < len(best) {
			if back, err := ParseRate(c); err == nil && back == r {
				best = c
			}
		}
	}
	return best
}

// UnmarshalScalar parses s into r (see ParseRate).
func (r *Rate) UnmarshalScalar(s string) error {
	v, err := ParseRate(s)
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (r *Rate) UnmarshalText(b []byte) error { return r.UnmarshalScalar(string(b)) }

// MarshalText implements encoding.TextMarshaler.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// MarshalJSON renders r as its canonical string.
func (r Rate) MarshalJSON() ([]byte, error) { return marshalJSONString(r.String()) }

// UnmarshalJSON accepts the string form.
func (r *Rate) UnmarshalJSON(b []byte) error {
	return unmarshalJSONScalar("rate", b, r.UnmarshalScalar)
}

// MarshalYAML renders r as its canonical string for gopkg.in/yaml.v3.
func (r Rate) MarshalYAML() (any, error) { return r.String(), nil }

// JSONSchema describes the accepted forms for editors and validators.
func (Rate) JSONSchema() map[string]any {
	return map[string]any{
		"type":        "string",
		"pattern":     `^\s*[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*/\s*(s|sec|second|m|min|minute|h|hr|hour)\s*$`,
		"description": "A rate: events per unit of time, e.g. 200/s, 12000/m, 36000/h. The unit is required.",
		"examples":    []any{"200/s", "12000/m", "0.5/s"},
	}
}

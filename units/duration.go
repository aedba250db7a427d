package units

import (
	"strings"
	"time"
)

// Duration is a non-negative length of time written with units, as in
// "90s", "250ms", "1.5s" or "1h30m". The bare number "0" is the only value
// allowed without a unit.
type Duration time.Duration

// ParseDuration parses the scenario syntax of a duration: one or more
// number-unit pairs with units ns, us (or µs), ms, s, m and h, as accepted
// by time.ParseDuration, but never negative, always with a unit (except
// "0") and with an error that says what is wrong.
func ParseDuration(s string) (Duration, error) {
	d, err := parseDuration(s)
	if err != nil {
		return 0, err
	}
	return Duration(d), nil
}

// durationUnits are the units time.ParseDuration accepts.
var durationUnits = map[string]bool{
	"ns": true, "us": true, "µs": true /* U+00B5 */, "μs": true /* U+03BC */, "ms": true,
	"s": true, "m": true, "h": true,
}

// durationUnitHints explain units people reach for that Go does not have.
var durationUnitHints = map[string]string{
	"d": "write days in hours, e.g. 24h", "day": "write days in hours, e.g. 24h", "days": "write days in hours, e.g. 24h",
	"w": "write weeks in hours, e.g. 168h", "wk": "write weeks in hours, e.g. 168h",
	"sec": "write s", "secs": "write s", "second": "write s", "seconds": "write s",
	"min": "write m", "mins": "write m", "minute": "write m", "minutes": "write m",
	"hr": "write h", "hrs": "write h", "hour": "write h", "hours": "write h",
	"msec": "write ms", "millis": "write ms", "usec": "write us", "nsec": "write ns",
	"S": "units are lower case: write s", "M": "units are lower case: write m (minutes)",
	"H": "units are lower case: write h", "MS": "units are lower case: write ms",
}

func parseDuration(in string) (time.Duration, error) {
	fail := func(format string, args ...any) (time.Duration, error) {
		return 0, newParseError("duration", in, format, args...)
	}
	s := strings.TrimSpace(in)
	switch {
	case s == "":
		return fail("empty; write a number with a unit, e.g. 90s, 250ms or 1h30m")
	case s == "0":
		return 0, nil
	case s[0] == '-':
		return fail("durations cannot be negative")
	case strings.ContainsAny(s, " \t\r\n"):
		return fail("remove the spaces (write 1h30m, not 1h 30m)")
	}
	rest := strings.TrimPrefix(s, "+")
	if rest == "" {
		return fail("expected a number with a unit, e.g. 90s")
	}
	for rest != "" {
		i := 0
		for i < len(rest) && isNumberByte(rest[i]) {
			i++
		}
		num := rest[:i]
		rest = rest[i:]
		j := 0
		for j < len(rest) && !isNumberByte(rest[j]) {
			j++
		}
		unit := rest[:j]
		rest = rest[j:]
		switch {
		case num == "":
			return fail("expected a number before %q", unit)
		case !validDecimal(num):
			return fail("%q is not a number", num)
		case unit == "":
			return fail("missing unit after %s (write %ss, %sms or %sm; units are ns, us, ms, s, m, h)", num, num, num, num)
		case !durationUnits[unit]:
			if hint, ok := durationUnitHints[unit]; ok {
				return fail("unknown unit %q: %s", unit, hint)
			}
			return fail("unknown unit %q (units are ns, us, ms, s, m, h)", unit)
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		// Every number and unit is valid, so the sum does not fit.
		return fail("too large (the maximum is %v, about 292 years)", time.Duration(1<<63-1))
	}
	return d, nil
}

func isNumberByte(c byte) bool { return c >= '0' && c <= '9' || c == '.' }

// validDecimal reports whether s is digits with at most one decimal point
// and at least one digit.
func validDecimal(s string) bool {
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '.':
			dots++
		case s[i] >= '0' && s[i] <= '9':
			digits++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String renders d as time.Duration does ("1h30m0s", "250ms", "0s"); the
// result parses back to the same value.
func (d Duration) String() string { return time.Duration(d).String() }

// UnmarshalScalar parses s into d (see ParseDuration). It makes Duration
// a scalar type for busdrill's strict YAML decoder.
func (d *Duration) UnmarshalScalar(s string) error {
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// UnmarshalText implements encoding.TextUnmarshaler (flags, yaml.v3).
func (d *Duration) UnmarshalText(b []byte) error { return d.UnmarshalScalar(string(b)) }

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// MarshalJSON renders d as its canonical string.
func (d Duration) MarshalJSON() ([]byte, error) { return marshalJSONString(d.String()) }

// UnmarshalJSON accepts the string form, or the number 0.
func (d *Duration) UnmarshalJSON(b []byte) error {
	return unmarshalJSONScalar("duration", b, d.UnmarshalScalar)
}

// MarshalYAML renders d as its canonical string for gopkg.in/yaml.v3.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// durationPattern matches what ParseDuration accepts (loosely: it does not
// check for overflow).
const durationPattern = `^\+?([0-9]*\.?[0-9]+\.?(ns|us|µs|μs|ms|s|m|h))+$`

// JSONSchema describes the accepted forms for editors and validators.
func (Duration) JSONSchema() map[string]any {
	return map[string]any{
		"anyOf": []any{
			map[string]any{"type": "string", "pattern": durationPattern},
			map[string]any{"const": 0},
		},
		"description": "A duration: numbers with units ns, us, ms, s, m, h, e.g. 90s, 250ms, 1h30m. Never negative.",
		"examples":    []any{"90s", "250ms", "1h30m"},
	}
}

package units

import (
	"fmt"
	"math"
	"strings"

	"github.com/busdrill/busdrill/rng"
)

// quantity is what a distribution is over: how to parse and print one
// value of it. Latency distributions are over durations (in nanoseconds),
// size distributions over byte sizes (in bytes).
type quantity struct {
	kind    string // the ParseError kind: "distribution", "size distribution"
	noun    string // "duration", "size"
	example string // one valid value, e.g. "5s"
	parse   func(string) (float64, error)
	format  func(float64) string
}

// distForm is one named form of the distribution syntax. Adding a form is
// adding a row here (and a case in formatDist): the parser itself is
// generic.
type distForm struct {
	name    string                                           // canonical name
	aliases []string                                         // other accepted names
	params  []string                                         // parameter names, in positional order
	build   func(q quantity, v []float64) (rng.Dist, string) // returns the dist or what is wrong
}

var distForms = []distForm{
	{name: "constant", params: []string{"value"},
		build: func(q quantity, v []float64) (rng.Dist, string) { return rng.Constant{Value: v[0]}, "" }},
	{name: "uniform", params: []string{"min", "max"},
		build: func(q quantity, v []float64) (rng.Dist, string) {
			if v[0] > v[1] {
				return nil, fmt.Sprintf("uniform needs min ≤ max (got min=%s, max=%s)", q.format(v[0]), q.format(v[1]))
			}
			return rng.Uniform{Min: v[0], Max: v[1]}, ""
		}},
	{name: "exponential", aliases: []string{"exp"}, params: []string{"mean"},
		build: func(q quantity, v []float64) (rng.Dist, string) {
			if v[0] <= 0 {
				return nil, "exponential needs mean > 0"
			}
			return rng.Exponential{MeanValue: v[0]}, ""
		}},
	{name: "lognormal", params: []string{"median", "p99"},
		build: func(q quantity, v []float64) (rng.Dist, string) {
			switch {
			case v[0] <= 0:
				return nil, "lognormal needs median > 0"
			case v[1] < v[0]:
				return nil, fmt.Sprintf("lognormal needs p99 ≥ median (got median=%s, p99=%s)", q.format(v[0]), q.format(v[1]))
			}
			return rng.NewLogNormal(v[0], v[1]), ""
		}},
}

func lookupForm(name string) (*distForm, bool) {
	for i := range distForms {
		f := &distForms[i]
		if f.name == name {
			return f, true
		}
		for _, a := range f.aliases {
			if a == name {
				return f, true
			}
		}
	}
	return nil, false
}

func (f *distForm) example(q quantity) string {
	switch f.name {
	case "constant":
		return "constant(" + q.example + ")"
	case "uniform":
		return "uniform(" + q.example + ", " + q.example + ")"
	case "exponential":
		return "exponential(mean=" + q.example + ")"
	case "lognormal":
		return "lognormal(median=" + q.example + ", p99=" + q.example + ")"
	}
	return f.name + "(...)"
}

const distFormList = "constant, uniform, exponential (or exp) and lognormal"

// parseDist parses the distribution syntax over quantity q:
//
//	VALUE                      a constant
//	NAME(ARG, ARG, ...)        a named form; each ARG is VALUE or PARAM=VALUE
//
// Positional arguments come first, in the form's parameter order.
func parseDist(in string, q quantity) (rng.Dist, error) {
	fail := func(format string, args ...any) (rng.Dist, error) {
		return nil, newParseError(q.kind, in, format, args...)
	}
	s := strings.TrimSpace(in)
	if s == "" {
		return fail("empty; write a %s (e.g. %s) or a form such as %s", q.noun, q.example, "uniform("+q.example+", "+q.example+")")
	}
	open := strings.IndexByte(s, '(')
	if open < 0 {
		if strings.ContainsRune(s, ')') {
			return fail("unbalanced parenthesis")
		}
		v, err := q.parse(s)
		if err == nil {
			return rng.Constant{Value: v}, nil
		}
		if isIdent(s) {
			if f, ok := lookupForm(strings.ToLower(s)); ok {
				return fail("%s needs parameters, e.g. %s", f.name, f.example(q))
			}
			return fail("unknown distribution %q%s (the forms are %s, or a plain %s for a constant)", s, suggestForm(s), distFormList, q.noun)
		}
		return fail("%s", reason(err))
	}
	name := strings.ToLower(strings.TrimSpace(s[:open]))
	if !strings.HasSuffix(s, ")") {
		return fail("missing closing parenthesis")
	}
	body := s[open+1 : len(s)-1]
	if strings.ContainsAny(body, "()") {
		return fail("unexpected parenthesis inside %s(...)", name)
	}
	if name == "" {
		return fail("missing the distribution name before '(' (the forms are %s)", distFormList)
	}
	f, ok := lookupForm(name)
	if !ok {
		return fail("unknown distribution %q%s (the forms are %s)", name, suggestForm(name), distFormList)
	}
	vals := make([]float64, len(f.params))
	set := make([]bool, len(f.params))
	var args []string
	if strings.TrimSpace(body) != "" {
		args = strings.Split(body, ",")
	}
	named := false
	for i, a := range args {
		a = strings.TrimSpace(a)
		if a == "" {
			return fail("argument %d of %s is empty", i+1, f.name)
		}
		var idx int
		val := a
		if k, v, ok := strings.Cut(a, "="); ok {
			named = true
			key := strings.ToLower(strings.TrimSpace(k))
			idx = indexOf(f.params, key)
			if idx < 0 {
				return fail("%s has no parameter %q; it takes %s", f.name, key, paramList(f.params))
			}
			if set[idx] {
				return fail("parameter %s is given twice", key)
			}
			val = strings.TrimSpace(v)
		} else {
			if named {
				return fail("positional argument %q after a named one; name it (%s)", a, paramList(f.params))
			}
			idx = i
			if idx >= len(f.params) {
				return fail("%s takes %d parameter%s (%s), got %d", f.name, len(f.params), plural(len(f.params)), paramList(f.params), len(args))
			}
		}
		x, err := q.parse(val)
		if err != nil {
			return fail("%s %q: %s", f.params[idx], val, reason(err))
		}
		vals[idx], set[idx] = x, true
	}
	var missing []string
	for i, ok := range set {
		if !ok {
			missing = append(missing, f.params[i])
		}
	}
	if len(missing) > 0 {
		return fail("%s needs %s, e.g. %s", f.name, strings.Join(missing, " and "), f.example(q))
	}
	d, problem := f.build(q, vals)
	if problem != "" {
		return fail("%s", problem)
	}
	return d, nil
}

// formatDist renders d in the scenario syntax, values printed by q.
func formatDist(d rng.Dist, q quantity) string {
	switch d := d.(type) {
	case nil:
		return q.format(0)
	case rng.Constant:
		return q.format(d.Value)
	case rng.Uniform:
		return "uniform(" + q.format(d.Min) + ", " + q.format(d.Max) + ")"
	case rng.Exponential:
		return "exponential(mean=" + q.format(d.MeanValue) + ")"
	case rng.LogNormal:
		return "lognormal(median=" + q.format(d.Median) + ", p99=" + q.format(d.P99) + ")"
	}
	return d.String()
}

func isIdent(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= 'a' && c <= 'z' || s[i] == '_' || s[i] == '-') {
			return false
		}
	}
	return s != ""
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func paramList(p []string) string {
	if len(p) == 1 {
		return p[0]
	}
	return strings.Join(p[:len(p)-1], ", ") + " and " + p[len(p)-1]
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// suggestForm returns `; did you mean "x"?` when name is one edit away
// from a known form, else "".
func suggestForm(name string) string {
	name = strings.ToLower(name)
	for _, f := range distForms {
		for _, n := range append([]string{f.name}, f.aliases...) {
			if len(n) > 3 && closeTo(name, n) {
				return fmt.Sprintf("; did you mean %q?", f.name)
			}
		}
	}
	switch name {
	case "normal", "gaussian", "lognorm", "log-normal":
		return `; did you mean "lognormal"?`
	case "fixed", "const":
		return `; did you mean "constant"?`
	}
	return ""
}

// closeTo reports whether a and b differ by at most one insertion,
// deletion, substitution or adjacent transposition.
func closeTo(a, b string) bool {
	if a == b {
		return true
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		if a[i+1:] == b[i+1:] {
			return true
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}

// durationQuantity and sizeQuantity are the two quantities distributions
// are over.
var (
	durationQuantity = quantity{
		kind: "distribution", noun: "duration", example: "5s",
		parse: func(s string) (float64, error) {
			d, err := parseDuration(s)
			return float64(d), err
		},
		format: func(v float64) string { return Duration(roundInt64(v)).String() },
	}
	sizeQuantity = quantity{
		kind: "size distribution", noun: "size", example: "2KB",
		parse: func(s string) (float64, error) {
			b, err := ParseByteSize(s)
			return float64(b), err
		},
		format: func(v float64) string { return ByteSize(roundInt64(v)).String() },
	}
)

// roundInt64 rounds v to the nearest int64, saturating instead of
// overflowing.
func roundInt64(v float64) int64 {
	switch {
	case math.IsNaN(v):
		return 0
	case v >= math.MaxInt64:
		return math.MaxInt64
	case v <= math.MinInt64:
		return math.MinInt64
	}
	return int64(math.Round(v))
}

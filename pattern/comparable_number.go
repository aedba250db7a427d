package pattern

import (
	"math"
	"strconv"
)

// The number model is event-ruler's (ComparableNumber, since 2024), which
// EventBridge runs: a number takes part in numeric comparisons only when
// it is a double "exactly", that is when the decimal value written equals
// the decimal value of the double's canonical text (Java's
// Double.toString, the shortest digits that read back as the same
// double). 300, 3e2, 0.1 and 129.97 are comparable; 0.30000000000000001
// (read as the double 0.3, whose text is "0.3"), 1e400 (infinite) and
// 9223372036854775807 (read as 2^63, whose text is 9.223372036854776E18)
// are not.
//
//   - A pattern operand that is not comparable is an error in numeric
//     ranges and in anything-but ("Cannot compare number : 1e400"). An
//     exact number value that is not comparable matches by its text only,
//     as event-ruler keeps just the literal matcher for it.
//   - An event number that is not comparable has no numeric form: numeric
//     ranges never match it, exact numbers and anything-but compare with
//     it by text only. Nothing is rounded to a double first, so
//     1000000.000000000001 is not 1e6.
//
// Comparable numbers compare as doubles. Within the range the AWS
// documentation used to promise (±5.0e9, six decimal places, 15
// significant digits) every number is comparable and distinct numbers are
// distinct doubles, in order; see TestDocumentedNumberRange.

// comparableNumber returns the value of the JSON number literal text,
// whose float64 reading is v, and whether the number is comparable.
func comparableNumber(text string, v float64) (float64, bool) {
	// Fastest path, for the numbers events are made of: at most 15
	// characters hold at most 15 digits, which a normal double keeps (see
	// below).
	if a := math.Abs(v); len(text) <= 15 && a >= 0x1p-1022 && a <= math.MaxFloat64 {
		return v, true
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	// Fast path: up to 15 significant digits always survive the round trip
	// through a normal double (DBL_DIG), so the shortest text of v is the
	// literal itself. Subnormals keep fewer digits; they take the slow path.
	if sig, ok := significantDigits(text); ok && sig <= 15 {
		if sig == 0 || math.Abs(v) >= 0x1p-1022 {
			return v, true // zero, or a normal double
		}
		if v == 0 {
			return 0, false // underflow: 1e-400 is not 0
		}
	}
	var buf [32]byte
	canon := canonicalDouble(buf[:0], v)
	return v, sameDecimal(text, string(canon))
}

// canonicalDouble appends the decimal text whose value is Java's
// Double.toString(v): the shortest decimal that reads back as v, except
// that when that is a single digit, the closest decimal of at most two
// digits that reads back as v is used (this matters for subnormals only:
// Java writes 4.9E-324 where the shortest is 5e-324).
func canonicalDouble(dst []byte, v float64) []byte {
	start := len(dst)
	dst = strconv.AppendFloat(dst, v, 'e', -1, 64)
	if sig, _ := significantDigits(string(dst[start:])); sig > 1 {
		return dst
	}
	two := strconv.AppendFloat(dst[len(dst):], v, 'e', 1, 64)
	if w, err := strconv.ParseFloat(string(two), 64); err == nil && w == v {
		return append(dst[:start], two...)
	}
	return dst
}

// significantDigits counts the digits of a number's mantissa from its
// first to its last non-zero digit (0 for zero). ok is false for text that
// is not a number.
func significantDigits(s string) (n int, ok bool) {
	first, last, count := -1, -1, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if c != '0' {
				if first < 0 {
					first = count
				}
				last = count
			}
			count++
		case c == '.' || c == '-' || c == '+':
		case c == 'e' || c == 'E':
			i = len(s)
		default:
			return 0, false
		}
	}
	if count == 0 {
		return 0, false
	}
	if first < 0 {
		return 0, true
	}
	return last - first + 1, true
}

// decimal is a number's value as sign, significant digits and the power
// of ten of its first significant digit: value = 0.d1d2d3... × 10^exp,
// where the digits are s[first:last+1] without any decimal point.
type decimal struct {
	s           string
	neg, zero   bool
	first, last int
	exp         int
}

// parseDecimal reads a JSON number or Go 'e' formatted text. Exponents are
// saturated: beyond ±1e9 no double is involved anyway.
func parseDecimal(s string) decimal {
	d := decimal{s: s, first: -1, last: -1}
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		d.neg = s[i] == '-'
		i++
	}
	digits, intDigits, leadingZeros := 0, -1, 0
	for ; i < len(s); i++ {
		c := s[i]
		if c == '.' {
			intDigits = digits
			continue
		}
		if c == 'e' || c == 'E' {
			break
		}
		if c != '0' {
			if d.first < 0 {
				d.first = i
				leadingZeros = digits
			}
			d.last = i
		}
		digits++
	}
	if intDigits < 0 {
		intDigits = digits
	}
	if d.first < 0 {
		d.zero = true
		return d
	}
	e := 0
	if i < len(s) {
		j := i + 1
		neg := false
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			neg = s[j] == '-'
			j++
		}
		for ; j < len(s); j++ {
			if e < 1e9 {
				e = e*10 + int(s[j]-'0')
			}
		}
		if neg {
			e = -e
		}
	}
	d.exp = intDigits - leadingZeros + e
	return d
}

// sameDecimal reports whether two number texts have the same value.
func sameDecimal(a, b string) bool {
	x, y := parseDecimal(a), parseDecimal(b)
	if x.zero || y.zero {
		return x.zero && y.zero
	}
	if x.neg != y.neg || x.exp != y.exp {
		return false
	}
	i, j := x.first, y.first
	for {
		for i <= x.last && x.s[i] == '.' {
			i++
		}
		for j <= y.last && y.s[j] == '.' {
			j++
		}
		if i > x.last || j > y.last {
			return i > x.last && j > y.last
		}
		if x.s[i] != y.s[j] {
			return false
		}
		i++
		j++
	}
}

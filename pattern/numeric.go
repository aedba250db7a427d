package pattern

import (
	"math"
	"strconv"
)

// numRange is a numeric interval with at most one lower and one upper
// bound, each open or closed. {"numeric":["=",x]} is the closed interval
// [x, x].
//
// Bounds and event values are float64: the full IEEE-754 range, not the
// ±5e9 with six decimals of the 2023 documentation (current event-ruler
// accepts any double; which bound AWS applies today is unconfirmed).
// Non-finite operands (a literal such as 1e400) are rejected at compile
// time. An empty interval such as [">",5,"<",5] compiles and matches
// nothing.
type numRange struct {
	lo, hi         float64
	loOpen, hiOpen bool
}

func (r *numRange) contains(v float64) bool {
	if v < r.lo || (r.loOpen && v == r.lo) {
		return false
	}
	if v > r.hi || (r.hiOpen && v == r.hi) {
		return false
	}
	return true
}

// finite parses the current number token, rejecting values a float64
// cannot hold.
func (c *compiler) finite() (float64, *Error) {
	v, err := strconv.ParseFloat(c.lx.text, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, invalidPattern("Value " + c.lx.text + " is outside the range of numbers that can be compared")
	}
	return v, nil
}

// compileNumeric compiles the array after "numeric"; the lexer is just
// past its '['. The messages are event-ruler's, in its order of checks.
func (c *compiler) compileNumeric() (valueMatcher, *Error) {
	r := numRange{lo: math.Inf(-1), hi: math.Inf(1)}
	t, err := c.next()
	if err != nil {
		return valueMatcher{}, err
	}
	if t != tokString {
		return valueMatcher{}, invalidPattern("Invalid member in numeric match: " + c.lx.text)
	}
	oper := c.lx.text
	if t, err = c.next(); err != nil {
		return valueMatcher{}, err
	}
	switch oper {
	case "=":
		if !t.isNumeric() {
			return valueMatcher{}, invalidPattern("Value of equals must be numeric")
		}
		v, err := c.finite()
		if err != nil {
			return valueMatcher{}, err
		}
		r.lo, r.hi = v, v
		if err := c.expectEndArray("Too many elements in numeric expression"); err != nil {
			return valueMatcher{}, err
		}
	case ">=", ">":
		if !t.isNumeric() {
			return valueMatcher{}, invalidPattern("Value of " + oper + " must be numeric")
		}
		v, err := c.finite()
		if err != nil {
			return valueMatcher{}, err
		}
		r.lo, r.loOpen = v, oper == ">"
		if t, err = c.next(); err != nil {
			return valueMatcher{}, err
		}
		if t != tokEndArray {
			if err := c.numericUpper(t, &r); err != nil {
				return valueMatcher{}, err
			}
		}
	case "<=", "<":
		if !t.isNumeric() {
			return valueMatcher{}, invalidPattern("Value of " + oper + " must be numeric")
		}
		v, err := c.finite()
		if err != nil {
			return valueMatcher{}, err
		}
		r.hi, r.hiOpen = v, oper == "<"
		if err := c.expectEndArray("Too many elements in numeric expression"); err != nil {
			return valueMatcher{}, err
		}
	default:
		return valueMatcher{}, invalidPattern("Unrecognized numeric range operator: " + oper)
	}
	return valueMatcher{op: opNumeric, rng: r}, nil
}

// numericUpper completes a range after its lower bound: only "<" or "<="
// may follow (hence at most one lower and one upper bound).
func (c *compiler) numericUpper(t tokKind, r *numRange) *Error {
	if t != tokString {
		return invalidPattern("Bad value in numeric range: " + c.lx.text)
	}
	oper := c.lx.text
	if oper != "<" && oper != "<=" {
		return invalidPattern("Bad numeric range operator: " + oper)
	}
	t, err := c.next()
	if err != nil {
		return err
	}
	if !t.isNumeric() {
		return invalidPattern("Value of " + oper + " must be numeric")
	}
	v, err := c.finite()
	if err != nil {
		return err
	}
	r.hi, r.hiOpen = v, oper == "<"
	return c.expectEndArray("Too many terms in numeric range expression")
}

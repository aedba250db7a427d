package pattern

import (
	"math"
	"strconv"
)

// numRange is a numeric interval with at most one lower and one upper
// bound, each open or closed. {"numeric":["=",x]} is the closed interval
// [x, x].
//
// Bounds are comparable numbers (see comparable_number.go): the whole
// double range, as in current event-ruler, not the ±5e9 with six decimals
// of the 2023 documentation (which bound AWS applies today is
// unconfirmed; inside it the two agree exactly). A range with both bounds
// must be non-empty and more than one point: [">=",5,"<=",5] and
// [">",10,"<",1] are "Bottom must be less than top", as in event-ruler.
// Only comparable event numbers can fall in a range.
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

// operandText is a number operand of a pattern: its literal text, kept
// until the whole numeric expression has been read, because event-ruler
// checks the expression's shape before it converts its numbers.
type operandText string

// value converts an operand, with event-ruler's message for a number that
// is not comparable.
func (t operandText) value() (float64, *Error) {
	v, _ := strconv.ParseFloat(string(t), 64) // the lexer checked the syntax; out of range is ±Inf
	v, ok := comparableNumber(string(t), v)
	if !ok {
		return 0, invalidPattern("Cannot compare number : " + string(t))
	}
	return v, nil
}

// compileNumeric compiles the array after "numeric"; the lexer is just
// past its '['. The messages and their order are event-ruler's
// (JsonRuleCompiler.processNumericMatchExpression): first the shape of the
// expression, then its numbers, then the order of the bounds.
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
		val := operandText(c.lx.text)
		if err := c.expectEndArray("Too many elements in numeric expression"); err != nil {
			return valueMatcher{}, err
		}
		v, err := val.value()
		if err != nil {
			return valueMatcher{}, err
		}
		r.lo, r.hi = v, v
	case ">=", ">":
		if !t.isNumeric() {
			return valueMatcher{}, invalidPattern("Value of " + oper + " must be numeric")
		}
		bottom := operandText(c.lx.text)
		r.loOpen = oper == ">"
		if t, err = c.next(); err != nil {
			return valueMatcher{}, err
		}
		if t == tokEndArray {
			if r.lo, err = bottom.value(); err != nil {
				return valueMatcher{}, err
			}
			break
		}
		if err := c.numericUpper(t, bottom, &r); err != nil {
			return valueMatcher{}, err
		}
	case "<=", "<":
		if !t.isNumeric() {
			return valueMatcher{}, invalidPattern("Value of " + oper + " must be numeric")
		}
		top := operandText(c.lx.text)
		if err := c.expectEndArray("Too many elements in numeric expression"); err != nil {
			return valueMatcher{}, err
		}
		v, err := top.value()
		if err != nil {
			return valueMatcher{}, err
		}
		r.hi, r.hiOpen = v, oper == "<"
	default:
		return valueMatcher{}, invalidPattern("Unrecognized numeric range operator: " + oper)
	}
	return valueMatcher{op: opNumeric, rng: r}, nil
}

// numericUpper completes a range after its lower bound: only "<" or "<="
// may follow (hence at most one lower and one upper bound), and the bottom
// must be below the top.
func (c *compiler) numericUpper(t tokKind, bottom operandText, r *numRange) *Error {
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
	top := operandText(c.lx.text)
	if err := c.expectEndArray("Too many terms in numeric range expression"); err != nil {
		return err
	}
	lo, err := bottom.value()
	if err != nil {
		return err
	}
	hi, err := top.value()
	if err != nil {
		return err
	}
	if lo >= hi {
		return invalidPattern("Bottom must be less than top")
	}
	r.lo, r.hi, r.hiOpen = lo, hi, oper == "<"
	return nil
}

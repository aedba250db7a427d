package pattern

import (
	"strings"

	"github.com/busdrill/busdrill/event"
)

// anything-but is the only operator that says what a value must NOT be,
// and its edge cases are where matchers usually disagree with AWS. The
// AWS-recorded behaviour this file implements:
//
//   - A missing field never matches: anything-but needs a value to
//     compare. (The matching engine only calls match for present values.)
//   - null matches, and so does any value of another JSON type than the
//     operands: {"anything-but":"x"} matches 12, true and null;
//     {"anything-but":{"prefix":"init"}} matches 12.
//   - Number operands compare by value, like exact numbers, so
//     {"anything-but":[100]} rejects 100.0 as well as 100. They must be
//     comparable (see comparable_number.go): "Cannot compare number : x"
//     otherwise. An event number that is not comparable is never one of
//     them: {"anything-but":1e6} matches 1000000.000000000001, as in
//     event-ruler, which keeps only the numeric form of the operands.
//   - The prefix, suffix, equals-ignore-case and wildcard forms take one
//     string or a non-empty list of strings, and apply to string values
//     only. An empty list is "Empty arrays are not allowed", like every
//     other empty array of a pattern: event-ruler compiles it to an
//     anything-but without operands (so it behaves as a match on any
//     string), which no one writes on purpose; AWS's answer is not
//     recorded.

// matchAnythingBut is valueMatcher.match for the anything-but family.
func (m *valueMatcher) matchAnythingBut(f *event.Field) bool {
	switch m.op {
	case opAnythingButNumber:
		if f.Kind != event.KindNumber {
			return true
		}
		for _, v := range m.nums {
			if f.Num == v {
				_, comparable := comparableNumber(f.Str, f.Num)
				return !comparable
			}
		}
		return true
	}
	if f.Kind != event.KindString {
		return true
	}
	s := f.Str
	switch m.op {
	case opAnythingButOne:
		return s != m.str
	case opAnythingBut:
		for _, x := range m.strs {
			if s == x {
				return false
			}
		}
	case opAnythingButPrefix:
		for _, x := range m.strs {
			if strings.HasPrefix(s, x) {
				return false
			}
		}
	case opAnythingButSuffix:
		for _, x := range m.strs {
			if strings.HasSuffix(s, x) {
				return false
			}
		}
	case opAnythingButFold:
		for _, x := range m.strs {
			if strings.EqualFold(s, x) {
				return false
			}
		}
	case opAnythingButWildcard:
		for _, w := range m.wc {
			if w.match(s) {
				return false
			}
		}
	}
	return true
}

// compileAnythingBut compiles the value of an "anything-but" key; the
// lexer is just past the key. The messages and their order are
// event-ruler's (JsonRuleCompiler.processMatchExpression), which AWS's
// recorded answers match one for one.
func (c *compiler) compileAnythingBut() (valueMatcher, *Error) {
	t, err := c.next()
	if err != nil {
		return valueMatcher{}, err
	}
	kind := opAnythingBut
	nested := false
	if t == tokStartObject {
		nested = true
		t, err = c.next()
		if err != nil {
			return valueMatcher{}, err
		}
		if t != tokField {
			return valueMatcher{}, invalidPattern("Anything-But expression name not found")
		}
		switch c.lx.text {
		case "equals-ignore-case":
			kind = opAnythingButFold
		case "prefix":
			kind = opAnythingButPrefix
		case "suffix":
			kind = opAnythingButSuffix
		case "wildcard":
			kind = opAnythingButWildcard
		default:
			return valueMatcher{}, invalidPattern("Unsupported anything-but pattern: " + c.lx.text)
		}
		if t, err = c.next(); err != nil {
			return valueMatcher{}, err
		}
	}
	if t != tokStartArray && t != tokString && t != tokNumber {
		return valueMatcher{}, invalidPattern("Value of anything-but must be an array or single string/number value.")
	}

	var m valueMatcher
	if kind == opAnythingBut {
		m, err = c.anythingButValues(t)
	} else {
		m, err = c.anythingButStrings(t, kind)
	}
	if err != nil {
		return valueMatcher{}, err
	}
	if err := c.expectEnd("Too many elements in numeric expression"); err != nil {
		return valueMatcher{}, err
	}
	if nested {
		if err := c.expectEnd("Too many elements in numeric expression"); err != nil {
			return valueMatcher{}, err
		}
	}
	return m, nil
}

// anythingButValues compiles {"anything-but": "a" | 5 | [...]}: a list
// must be all strings or all numbers.
func (c *compiler) anythingButValues(t tokKind) (valueMatcher, *Error) {
	var strs []string
	var nums []float64
	add := func(t tokKind) *Error {
		switch t {
		case tokString:
			strs = append(strs, c.lx.text)
		case tokNumber:
			v, err := operandText(c.lx.text).value()
			if err != nil {
				return err
			}
			nums = append(nums, v)
			strs = append(strs, c.lx.text)
		default:
			return invalidPattern("Inside anything but list, start|null|boolean is not supported.")
		}
		return nil
	}
	if t != tokStartArray {
		if err := add(t); err != nil {
			return valueMatcher{}, err
		}
	} else {
		for {
			t, err := c.next()
			if err != nil {
				return valueMatcher{}, err
			}
			if t == tokEndArray {
				break
			}
			if err := add(t); err != nil {
				return valueMatcher{}, err
			}
		}
		hasNum, hasStr := len(nums) > 0, len(strs) > len(nums)
		if hasNum == hasStr {
			return valueMatcher{}, invalidPattern("Inside anything but list, either all values are number or string, mixed type is not supported")
		}
	}
	if len(nums) > 0 {
		return valueMatcher{op: opAnythingButNumber, nums: nums, strs: strs}, nil
	}
	if len(strs) == 1 {
		return valueMatcher{op: opAnythingButOne, str: strs[0], strs: strs}, nil
	}
	return valueMatcher{op: opAnythingBut, strs: strs}, nil
}

// anythingButStrings compiles the prefix, suffix, equals-ignore-case and
// wildcard forms: one string or a list of strings.
func (c *compiler) anythingButStrings(t tokKind, kind op) (valueMatcher, *Error) {
	m := valueMatcher{op: kind}
	add := func(t tokKind) *Error {
		if t != tokString {
			switch kind {
			case opAnythingButFold:
				return invalidPattern("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.")
			case opAnythingButWildcard:
				return invalidPattern("wildcard match pattern must be a string")
			}
			return invalidPattern("prefix/suffix match pattern must be a string")
		}
		s := c.lx.text
		if s == "" && (kind == opAnythingButPrefix || kind == opAnythingButSuffix) {
			return invalidPattern("Null prefix/suffix not allowed")
		}
		if kind == opAnythingButWildcard {
			w, err := compileWildcard(s)
			if err != nil {
				return err
			}
			m.wc = append(m.wc, w)
		}
		m.strs = append(m.strs, s)
		return nil
	}
	if t != tokStartArray {
		return m, add(t)
	}
	for {
		t, err := c.next()
		if err != nil {
			return m, err
		}
		if t == tokEndArray {
			break
		}
		if err := add(t); err != nil {
			return m, err
		}
	}
	if len(m.strs) == 0 {
		return m, invalidPattern("Empty arrays are not allowed")
	}
	return m, nil
}

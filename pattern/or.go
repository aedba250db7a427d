package pattern

import (
	"strconv"
)

// $or is compiled the way event-ruler compiles it: by expansion. A
// pattern is a list of rules (conjunctions); "$or": [A, B] replaces every
// current rule R by the rules R+A and R+B, and fields that come after the
// $or are added to all of them. Nested and sibling $or arrays multiply,
// so the number of rules is the product the documentation calls the
// combination count, capped at MaxOrCombinations. Expansion happens at
// compile time; matching tries the rules in order and stops at the first
// that holds.

// or compiles the array after a "$or" key.
func (c *compiler) or() *Error {
	current := copyRules(c.rules)
	c.rules = c.rules[:0]
	t, err := c.next()
	if err != nil {
		return err
	}
	if t != tokStartArray {
		return invalidPattern("It must be an Array followed with $or.")
	}
	n := 0
	for {
		t, err := c.next()
		if err != nil {
			return err
		}
		if t == tokEndArray {
			break
		}
		n++
		if t != tokStartObject {
			return invalidPattern("Only JSON object is allowed in array of $or relationship.")
		}
		done := c.rules
		c.rules = copyRules(current)
		if len(c.rules) == 0 {
			c.rules = append(c.rules, nil)
		}
		if err := c.object(true); err != nil {
			return err
		}
		c.rules = append(done, c.rules...)
		if len(c.rules) > MaxOrCombinations {
			return invalidPattern("The $or relationships of the pattern expand to more than " + strconv.Itoa(MaxOrCombinations) + " combinations")
		}
	}
	if n < 2 {
		return invalidPattern("There must have at least 2 Objects in $or relationship.")
	}
	return nil
}

// copyRules copies the rule slices (not the leaves, which are immutable).
func copyRules(rs []rule) []rule {
	out := make([]rule, len(rs))
	for i, r := range rs {
		out[i] = append(rule(nil), r...)
	}
	return out
}

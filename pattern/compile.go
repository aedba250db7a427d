package pattern

import (
	"strconv"
	"unicode/utf8"
)

// Size limits of pattern text, in characters (UTF-16 code units, as the
// AWS API counts string length).
const (
	// MaxPatternSize is the API's hard limit on EventPattern (PutRule,
	// TestEventPattern, CreateArchive): longer text is refused before it is
	// parsed, with a ValidationException. Compile always enforces it.
	MaxPatternSize = 4096
	// DefaultQuotaSize is the default "Event pattern size" service quota
	// (adjustable in AWS). Compile does not apply it; pass it as
	// CompileOptions.MaxSize to model an account with the default quota.
	DefaultQuotaSize = 2048
)

// MaxOrCombinations is the most sub-patterns the $or arrays of one
// pattern may expand to (the product of their lengths, as documented).
const MaxOrCombinations = 1000

// CompileOptions tunes Compile. The zero value is what Compile uses.
type CompileOptions struct {
	// MaxSize, when positive, is the account's pattern-size quota in
	// characters (e.g. DefaultQuotaSize); a longer pattern is an
	// InvalidEventPatternException. MaxPatternSize applies regardless.
	MaxSize int
}

// Compile parses and validates an EventBridge event pattern (JSON text),
// with AWS's checks and messages. Errors are *Error. Only the API's
// 4096-character limit is applied; see CompileWithOptions for the quota.
func Compile(src []byte) (*Pattern, error) {
	return CompileWithOptions(src, CompileOptions{})
}

// CompileWithOptions is Compile with options.
func CompileWithOptions(src []byte, o CompileOptions) (*Pattern, error) {
	p, err := compile(src, o)
	if err != nil {
		return nil, err // a typed nil would not compare equal to nil
	}
	return p, nil
}

// MustCompile is Compile for patterns known to be valid (tests, constants);
// it panics on error.
func MustCompile(src string) *Pattern {
	p, err := Compile([]byte(src))
	if err != nil {
		panic("pattern: " + err.Error())
	}
	return p
}

func compile(src []byte, o CompileOptions) (*Pattern, *Error) {
	n := utf16Len(src)
	if n > MaxPatternSize {
		return nil, &Error{Code: CodeValidation, Message: "1 validation error detected: Value at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to " + strconv.Itoa(MaxPatternSize)}
	}
	if o.MaxSize > 0 && n > o.MaxSize {
		return nil, invalidPattern("Event pattern is " + strconv.Itoa(n) + " characters long, over the quota of " + strconv.Itoa(o.MaxSize))
	}
	c := &compiler{lx: newLexer(src)}
	t, err := c.next()
	if err != nil {
		return nil, err
	}
	if t != tokStartObject {
		return nil, invalidPattern("Filter is not an object")
	}
	if err := c.object(false); err != nil {
		return nil, err
	}
	// Like event-ruler, which measures the machine a rule compiles to,
	// wildcard complexity is judged once the whole pattern is valid.
	if err := checkWildcardComplexity(c.rules); err != nil {
		return nil, err
	}
	return newPattern(string(src), c.rules), nil
}

// utf16Len counts UTF-16 code units, the length Java (and so the AWS API)
// gives a string. Invalid UTF-8 bytes count one each.
func utf16Len(b []byte) int {
	n := 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			n++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		i += size
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// A rule is one sub-pattern (one branch of the $or expansion): the leaf of
// every path, all of which must hold. Entries keep first-seen order; a
// path written twice keeps its first position and its last leaf.
type rule []entry

type entry struct {
	path string
	leaf *leaf
}

// put sets the leaf of a path: the last occurrence wins, as in
// event-ruler's overriding mode and the 2023 documentation.
func (r rule) put(path string, l *leaf) rule {
	for i := range r {
		if r[i].path == path {
			r[i].leaf = l
			return r
		}
	}
	return append(r, entry{path, l})
}

// compiler is a streaming compiler with the structure of event-ruler's
// JsonRuleCompiler: tokens are consumed in order and every check happens
// when its token is read, so the first error in the text is the one
// reported, as AWS reports it.
type compiler struct {
	lx    *lexer
	rules []rule
	path  []string // keys of the enclosing objects
}

func (c *compiler) next() (tokKind, *Error) { return c.lx.next() }

// expectEnd requires the end of the current operator object.
func (c *compiler) expectEnd(msg string) *Error {
	t, err := c.next()
	if err != nil {
		return err
	}
	if t != tokEndObject {
		return invalidPattern(msg)
	}
	return nil
}

// expectEndArray requires the end of the current operand array.
func (c *compiler) expectEndArray(msg string) *Error {
	t, err := c.next()
	if err != nil {
		return err
	}
	if t != tokEndArray {
		return invalidPattern(msg)
	}
	return nil
}

// joined is the dot-joined path of key in the current object.
func (c *compiler) joined(key string) string {
	n := len(key)
	for _, p := range c.path {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	for _, p := range c.path {
		b = append(b, p...)
		b = append(b, '.')
	}
	return string(append(b, key...))
}

// reservedInOr are the names that may not be field names inside $or:
// event-ruler's RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP, which besides the
// operators holds the numeric comparison signs and names event-ruler keeps
// for operators it may add. There a field with such a name would be
// ambiguous with a misplaced operator.
var reservedInOr = map[string]bool{
	"exactly": true, "equals-ignore-case": true, "prefix": true, "suffix": true,
	"anything-but": true, "exists": true, "wildcard": true, "numeric": true, "cidr": true,
	"=": true, "<": true, "<=": true, ">": true, ">=": true,
	"regex": true, "not-wildcard": true, "not-equals-ignore-case": true,
	"date-after": true, "date-on-or-after": true, "date-before": true, "date-on-or-before": true,
	"in-date-range": true, "ip-address-in-range": true, "ip-address-not-in-range": true,
}

// object compiles the fields of an object; the lexer is just past '{'.
func (c *compiler) object(inOr bool) *Error {
	fields := false
	for {
		t, err := c.next()
		if err != nil {
			return err
		}
		if t == tokEndObject {
			break
		}
		fields = true
		name := c.lx.text
		if name == "$or" {
			if err := c.or(); err != nil {
				return err
			}
			continue
		}
		if inOr && reservedInOr[name] {
			return invalidPattern(name + " is Ruler reserved fieldName which cannot be used inside $or.")
		}
		if t, err = c.next(); err != nil {
			return err
		}
		switch t {
		case tokStartObject:
			c.path = append(c.path, name)
			if err := c.object(inOr); err != nil {
				return err
			}
			c.path = c.path[:len(c.path)-1]
		case tokStartArray:
			if err := c.leafArray(c.joined(name)); err != nil {
				return err
			}
		default:
			return invalidPattern(strconv.Quote(name) + " must be an object or an array")
		}
	}
	if !fields {
		return invalidPattern("Empty objects are not allowed")
	}
	return nil
}

// leafArray compiles the alternatives of one path and puts them in every
// current rule; the lexer is just past '['.
func (c *compiler) leafArray(path string) *Error {
	l := &leaf{}
	for {
		t, err := c.next()
		if err != nil {
			return err
		}
		if t == tokEndArray {
			break
		}
		switch t {
		case tokStartObject:
			m, err := c.operator()
			if err != nil {
				return err
			}
			l.add(m)
		case tokString:
			l.add(exactString(c.lx.text))
		case tokNumber:
			l.add(exactNumber(c.lx.text))
		case tokTrue:
			l.add(valueMatcher{op: opExactTrue})
		case tokFalse:
			l.add(valueMatcher{op: opExactFalse})
		case tokNull:
			l.add(valueMatcher{op: opExactNull})
		default:
			return invalidPattern("Match value must be String, number, true, false, or null")
		}
	}
	if len(l.ms) == 0 {
		return invalidPattern("Empty arrays are not allowed")
	}
	if len(c.rules) == 0 {
		c.rules = append(c.rules, nil)
	}
	for i := range c.rules {
		c.rules[i] = c.rules[i].put(path, l)
	}
	return nil
}

// exactString matches a string exactly; a string that is an IP address
// (see ip_literal.go) also matches other spellings of the same address, as
// event-ruler turns such strings into address ranges. {"exactly": s} is
// the way to match such a string only as written.
func exactString(s string) valueMatcher {
	if a, res := parseIP(s); res == ipValid {
		return valueMatcher{op: opExactIP, str: s, ip: a}
	}
	return valueMatcher{op: opExactString, str: s}
}

// exactNumber matches a number by its text and, when it is comparable (see
// comparable_number.go), by value.
func exactNumber(text string) valueMatcher {
	v, _ := strconv.ParseFloat(text, 64) // the lexer checked the syntax; out of range is ±Inf
	v, ok := comparableNumber(text, v)
	return valueMatcher{op: opExactNumber, str: text, num: v, numOK: ok}
}

// operator compiles one operator object such as {"prefix":"a"}; the lexer
// is just past '{'. Operator names are case-sensitive.
func (c *compiler) operator() (valueMatcher, *Error) {
	t, err := c.next()
	if err != nil {
		return valueMatcher{}, err
	}
	if t != tokField {
		return valueMatcher{}, invalidPattern("Match expression name not found")
	}
	const onlyOne = "Only one key allowed in match expression"
	name := c.lx.text
	switch name {
	case "exactly", "equals-ignore-case", "wildcard", "cidr":
		if t, err = c.next(); err != nil {
			return valueMatcher{}, err
		}
		if t != tokString {
			what := name
			switch name {
			case "cidr":
				what = "prefix" // sic: AWS's message for a non-string cidr
			case "exactly":
				what = "exact" // sic: event-ruler's message names the match type, not the operator
			}
			return valueMatcher{}, invalidPattern(what + " match pattern must be a string")
		}
		s := c.lx.text
		var m valueMatcher
		switch name {
		case "exactly":
			m = valueMatcher{op: opExactString, str: s}
		case "equals-ignore-case":
			m = valueMatcher{op: opEqualsFold, str: s}
		case "wildcard":
			w, err := compileWildcard(s)
			if err != nil {
				return valueMatcher{}, err
			}
			m = valueMatcher{op: opWildcard, str: s, wc: []*wildcard{w}}
		case "cidr":
			if m, err = compileCIDR(s); err != nil {
				return valueMatcher{}, err
			}
		}
		return m, c.expectEnd(onlyOne)
	case "prefix", "suffix":
		if t, err = c.next(); err != nil {
			return valueMatcher{}, err
		}
		if t == tokStartObject {
			return c.foldAffix(name)
		}
		if t != tokString {
			return valueMatcher{}, invalidPattern(name + " match pattern must be a string")
		}
		m := valueMatcher{op: opPrefix, str: c.lx.text}
		if name == "suffix" {
			m.op = opSuffix
		}
		return m, c.expectEnd(onlyOne)
	case "numeric":
		if t, err = c.next(); err != nil {
			return valueMatcher{}, err
		}
		if t != tokStartArray {
			return valueMatcher{}, invalidPattern("Value of numeric must be an array.")
		}
		m, err := c.compileNumeric()
		if err != nil {
			return valueMatcher{}, err
		}
		return m, c.expectEnd("Too many elements in numeric expression")
	case "anything-but":
		return c.compileAnythingBut()
	case "exists":
		if t, err = c.next(); err != nil {
			return valueMatcher{}, err
		}
		m := valueMatcher{op: opExists}
		switch t {
		case tokTrue:
		case tokFalse:
			m.op = opAbsent
		default:
			return valueMatcher{}, invalidPattern("exists match pattern must be either true or false.")
		}
		return m, c.expectEnd(onlyOne)
	}
	return valueMatcher{}, invalidPattern("Unrecognized match type " + name)
}

// foldAffix compiles {"prefix":{"equals-ignore-case":"a"}} and the suffix
// form; the lexer is just past the inner '{'.
func (c *compiler) foldAffix(name string) (valueMatcher, *Error) {
	Name := "Prefix"
	m := valueMatcher{op: opPrefixFold}
	if name == "suffix" {
		Name, m.op = "Suffix", opSuffixFold
	}
	t, err := c.next()
	if err != nil {
		return valueMatcher{}, err
	}
	if t != tokField {
		return valueMatcher{}, invalidPattern(Name + " expression name not found")
	}
	if c.lx.text != "equals-ignore-case" {
		return valueMatcher{}, invalidPattern("Unsupported " + name + " pattern: " + c.lx.text)
	}
	if t, err = c.next(); err != nil {
		return valueMatcher{}, err
	}
	if t != tokString {
		return valueMatcher{}, invalidPattern("equals-ignore-case match pattern must be a string")
	}
	m.str = c.lx.text
	const onlyOne = "Only one key allowed in match expression"
	if err := c.expectEnd(onlyOne); err != nil {
		return valueMatcher{}, err
	}
	return m, c.expectEnd(onlyOne)
}

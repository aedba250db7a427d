package pattern

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestCompileErrors(t *testing.T) {
	for _, c := range []struct {
		pattern string
		reason  string // after "Event pattern is not valid. Reason: "; a Jackson message may continue with " at [Source: ..."
		comment string
	}{
		// Structure.
		{`{"int":42}`, `"int" must be an object or an array`, "a leaf that is not an array"},
		{`{"a":"x"}`, `"a" must be an object or an array`, "a string leaf"},
		{`{"a":[]}`, `Empty arrays are not allowed`, "an empty leaf array"},
		{`{}`, `Empty objects are not allowed`, "an empty pattern"},
		{`{"a":{}}`, `Empty objects are not allowed`, "an empty nested object"},
		{`["a"]`, `Filter is not an object`, "a top-level array"},
		{`"a"`, `Filter is not an object`, "a top-level string"},
		{`12`, `Filter is not an object`, "a top-level number"},
		{``, `Filter is not an object`, "empty text"},
		{`  `, `Filter is not an object`, "only white space"},
		{`{"a":[["x"]]}`, `Match value must be String, number, true, false, or null`, "an array inside a leaf"},
		{`{"a":[{}]}`, `Match expression name not found`, "an empty operator object"},
		{`{"a":[{"prefix":"x","suffix":"y"}]}`, `Only one key allowed in match expression`, "two operators in one object"},
		{`{"a":[{"EXISTS":true}]}`, `Unrecognized match type EXISTS`, "operator names are case-sensitive"},
		{`{"a":[{"NUMERIC":[">",1]}]}`, `Unrecognized match type NUMERIC`, "numeric in capitals"},
		{`{"a":[{"regex":"x"}]}`, `Unrecognized match type regex`, "an unknown operator"},
		// Operands.
		{`{"a":[{"prefix":123}]}`, `prefix match pattern must be a string`, "a number as prefix"},
		{`{"a":[{"prefix":["x"]}]}`, `prefix match pattern must be a string`, "a list as prefix"},
		{`{"a":[{"suffix":123}]}`, `suffix match pattern must be a string`, "a number as suffix"},
		{`{"a":[{"prefix":{"equals-ignore-case":1}}]}`, `equals-ignore-case match pattern must be a string`, "prefix ignoring case with a number"},
		{`{"a":[{"prefix":{"foo":"x"}}]}`, `Unsupported prefix pattern: foo`, "prefix with an unknown modifier"},
		{`{"a":[{"suffix":{"foo":"x"}}]}`, `Unsupported suffix pattern: foo`, "suffix with an unknown modifier"},
		{`{"a":[{"equals-ignore-case":["x"]}]}`, `equals-ignore-case match pattern must be a string`, "a list as equals-ignore-case"},
		{`{"a":[{"equals-ignore-case":{"prefix":"x"}}]}`, `equals-ignore-case match pattern must be a string`, "an object as equals-ignore-case"},
		{`{"a":[{"exists":"true"}]}`, `exists match pattern must be either true or false.`, "a string as exists"},
		{`{"a":[{"exactly":1}]}`, `exact match pattern must be a string`, "a number as exactly (event-ruler's wording)"},
		{`{"a":[{"exact":"x"}]}`, `Unrecognized match type exact`, "the operator is exactly, not exact"},
		// Numeric.
		{`{"a":[{"numeric":10}]}`, `Value of numeric must be an array.`, "numeric not an array"},
		{`{"a":[{"numeric":[">",0,">",0]}]}`, `Bad numeric range operator: >`, "two lower bounds"},
		{`{"a":[{"numeric":["<"]}]}`, `Value of < must be numeric`, "a missing operand"},
		{`{"a":[{"numeric":["<","5"]}]}`, `Value of < must be numeric`, "a string operand"},
		{`{"a":[{"numeric":["=","5"]}]}`, `Value of equals must be numeric`, "a string operand for ="},
		{`{"a":[{"numeric":[]}]}`, `Invalid member in numeric match: ]`, "an empty numeric array"},
		{`{"a":[{"numeric":[5]}]}`, `Invalid member in numeric match: 5`, "no operator"},
		{`{"a":[{"numeric":["!=",5]}]}`, `Unrecognized numeric range operator: !=`, "an unknown operator"},
		{`{"a":[{"numeric":["=",5,"<",6]}]}`, `Too many elements in numeric expression`, "= takes one operand"},
		{`{"a":[{"numeric":["<",5,">",1]}]}`, `Too many elements in numeric expression`, "the upper bound must come last"},
		{`{"a":[{"numeric":[">",0,"<",5,"<",6]}]}`, `Too many terms in numeric range expression`, "three bounds"},
		{`{"a":[{"numeric":[">",0,5]}]}`, `Bad value in numeric range: 5`, "a number where the second operator belongs"},
		{`{"a":[{"numeric":[">",1e400]}]}`, `Cannot compare number : 1e400`, "a non-finite bound"},
		// anything-but.
		{`{"a":[{"anything-but":null}]}`, `Value of anything-but must be an array or single string/number value.`, "null operand"},
		{`{"a":[{"anything-but":true}]}`, `Value of anything-but must be an array or single string/number value.`, "boolean operand"},
		{`{"a":[{"anything-but":["a",null]}]}`, `Inside anything but list, start|null|boolean is not supported.`, "null in a list"},
		{`{"a":[{"anything-but":["a",1]}]}`, `Inside anything but list, either all values are number or string, mixed type is not supported`, "mixed list"},
		{`{"a":[{"anything-but":[]}]}`, `Inside anything but list, either all values are number or string, mixed type is not supported`, "empty list"},
		{`{"a":[{"anything-but":{"suffix":{"equals-ignore-case":".png"}}}]}`, `Value of anything-but must be an array or single string/number value.`, "suffix ignoring case inside anything-but"},
		{`{"a":[{"anything-but":{"prefix":{"equals-ignore-case":"x"}}}]}`, `Value of anything-but must be an array or single string/number value.`, "prefix ignoring case inside anything-but"},
		{`{"a":[{"anything-but":{"suffix":123}}]}`, `prefix/suffix match pattern must be a string`, "number suffix inside anything-but"},
		{`{"a":[{"anything-but":{"suffix":[null,".txt"]}}]}`, `prefix/suffix match pattern must be a string`, "null suffix in a list"},
		{`{"a":[{"anything-but":{"prefix":""}}]}`, `Null prefix/suffix not allowed`, "empty prefix inside anything-but"},
		{`{"a":[{"anything-but":{"wildcard":123}}]}`, `wildcard match pattern must be a string`, "number wildcard inside anything-but"},
		{`{"a":[{"anything-but":{"equals-ignore-case":1}}]}`, `Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.`, "number ignoring case inside anything-but"},
		{`{"a":[{"anything-but":{"numeric":[">",1]}}]}`, `Unsupported anything-but pattern: numeric`, "numeric inside anything-but"},
		{`{"a":[{"anything-but":{}}]}`, `Anything-But expression name not found`, "an empty anything-but object"},
		// cidr.
		{`{"a":[{"cidr":"10.0.0.0"}]}`, `Malformed CIDR, one '/' required`, "no mask"},
		{`{"a":[{"cidr":"10.0.0.0/8/8"}]}`, `Malformed CIDR, one '/' required`, "two slashes"},
		{`{"a":[{"cidr":"bad-/64filter"}]}`, `Malformed CIDR, mask bits must be an integer`, "a non-integer mask"},
		{`{"a":[{"cidr":"xx.11.xx/24"}]}`, `Nonstandard IP address: xx.11.xx`, "a bad address"},
		{`{"a":[{"cidr":"10.0.0.0/-1"}]}`, `Malformed CIDR, mask bits must not be negative`, "a negative mask"},
		{`{"a":[{"cidr":"10.0.0.0/32"}]}`, `IPv4 mask bits must be < 32`, "mask 32, as event-ruler"},
		{`{"a":[{"cidr":["10.0.0.0/8"]}]}`, `prefix match pattern must be a string`, "a list as cidr (AWS's wording)"},
		// wildcard.
		{`{"a":[{"wildcard":["x"]}]}`, `wildcard match pattern must be a string`, "a list as wildcard"},
		{`{"a":[{"wildcard":"arn:aws:events:us-east-1:**:event-bus/*"}]}`, `Consecutive wildcard characters at pos 26`, "two stars"},
		{`{"a":[{"wildcard":"a\\b"}]}`, `Invalid escape character at pos 2`, "a backslash before b"},
		{`{"a":[{"wildcard":"ab\\"}]}`, `Invalid escape character at pos 3`, "a trailing backslash"},
		{`{"a":[{"wildcard":"*:*:*:*:*:event-bus/*"}]}`, `Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character`, "too complex"},
		// $or.
		{`{"$or":[{"a":["1"]}]}`, `There must have at least 2 Objects in $or relationship.`, "one branch"},
		{`{"$or":[]}`, `There must have at least 2 Objects in $or relationship.`, "no branch"},
		{`{"$or":{"a":["1"]}}`, `It must be an Array followed with $or.`, "not an array"},
		{`{"$or":[{"a":["1"]},"b"]}`, `Only JSON object is allowed in array of $or relationship.`, "a string branch"},
		{`{"$or":[{"a":["1"]},{}]}`, `Empty objects are not allowed`, "an empty branch"},
		{`{"$or":[{"prefix":["1"]},{"b":["2"]}]}`, `prefix is Ruler reserved fieldName which cannot be used inside $or.`, "an operator name as a field in $or"},
		// Malformed JSON: Jackson's wording.
		{`this is valid json but not a dict`, `Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`, "bare words"},
		{`{'bad': 'quotation'}`, `Unexpected character (''' (code 39)): was expecting double-quote to start field name`, "single quotes"},
		{`{"not": closed mark"`, `Unrecognized token 'closed': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`, "an unquoted value"},
		{`{"a":["x"]`, `Unexpected end-of-input: expected close marker for Object`, "unclosed object"},
		{`{"a":["x"}`, `Unexpected character ('}' (code 125)): was expecting comma to separate Array entries`, "mismatched bracket"},
		{`{"a" ["x"]}`, `Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value`, "missing colon"},
		{`{"a":["x"] "b":["y"]}`, `Unexpected character ('"' (code 34)): was expecting comma to separate Object entries`, "missing comma"},
		{`{"a":["x",]}`, `Unexpected character (']' (code 93)): expected a value`, "trailing comma in an array"},
		{`{"a":["x"],}`, `Unexpected character ('}' (code 125)): was expecting double-quote to start field name`, "trailing comma in an object"},
		{`{"a":[01]}`, `Invalid numeric value: Leading zeroes not allowed`, "leading zero"},
		{`{"a":["x` + "\n" + `"]}`, `Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be included in string value`, "raw newline in a string"},
		{`{"a":["\q"]}`, `Unrecognized character escape 'q' (code 113)`, "bad escape"},
		{`{"a":[tru]}`, `Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`, "a truncated literal"},
		{`{"a":[#]}`, `Unexpected character ('#' (code 35)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`, "punctuation as a value"},
		{"{\"a\":[\"\xff\"]}", `Invalid UTF-8 start byte 0xff`, "invalid UTF-8"},
		{strings.Repeat(`{"":`, 1001), `Document nesting depth (1001) exceeds the maximum allowed (1000`, "too deep"},
		// Order of errors: the first one in the text, as in a streaming parser.
		{`{"a":[],"b":[}`, `Empty arrays are not allowed`, "a semantic error before a syntax error"},
	} {
		_, err := Compile([]byte(c.pattern))
		pe, ok := err.(*Error)
		if !ok {
			t.Errorf("%s: Compile(%q) = %v, want an error", c.comment, c.pattern, err)
			continue
		}
		want := reasonPrefix + c.reason
		if pe.Code != CodeInvalidEventPattern || !(pe.Message == want || strings.HasPrefix(pe.Message, want) && strings.Contains(pe.Message, " at [Source: ")) {
			t.Errorf("%s: Compile(%q)\n got %s\nwant %s: %s", c.comment, c.pattern, pe, CodeInvalidEventPattern, want)
		}
		if strings.ContainsAny(pe.Message, "\r\n") {
			t.Errorf("%s: message is not one line: %q", c.comment, pe.Message)
		}
	}
}

func TestCompileAccepts(t *testing.T) {
	for _, c := range []struct{ pattern, comment string }{
		{`{"a":[{"wildcard":"/Users/*/dir/dir/dir/dir/dir/doc.txt"}]}`, "repeating literal AWS accepts"},
		{`{"a":[{"wildcard":"a*b*c*d*e*f"}]}`, "five stars"},
		{`{"a":[{"wildcard":"arn:aws:events:*:*:event-bus/*"}]}`, "a typical ARN wildcard"},
		{`{"a":[{"wildcard":"*a*b*c*d*e*"}]}`, "six stars between single letters (complexity 10)"},
		{`{"a":[{"cidr":"10.0.0.0/+8"}]}`, "Java's parseInt accepts a plus sign"},
		{`{"a":[{"cidr":"10.0.0.0/8/"}]}`, "Java's split drops a trailing empty part"},
		{`{"a":["x"]} trailing`, "text after the pattern is not read"},
		{`{"a":{"b":{"c":["x"]}}}`, "nesting"},
		{"{\"a\":[\"x\"]}\n", "a trailing newline"},
	} {
		if _, err := Compile([]byte(c.pattern)); err != nil {
			t.Errorf("%s: Compile(%q): %v", c.comment, c.pattern, err)
		}
	}
}

func TestSizeLimits(t *testing.T) {
	// pad builds a valid pattern of exactly n characters.
	pad := func(n int) []byte {
		const head, tail = `{"a":["`, `"]}`
		return []byte(head + strings.Repeat("x", n-len(head)-len(tail)) + tail)
	}
	if _, err := Compile(pad(MaxPatternSize)); err != nil {
		t.Errorf("4096 characters: %v", err)
	}
	if _, err := Compile(pad(MaxPatternSize + 1)); err == nil || err.(*Error).Code != CodeValidation {
		t.Errorf("4097 characters: got %v, want a ValidationException", err)
	}
	o := CompileOptions{MaxSize: DefaultQuotaSize}
	if _, err := CompileWithOptions(pad(DefaultQuotaSize), o); err != nil {
		t.Errorf("2048 characters under the default quota: %v", err)
	}
	if _, err := CompileWithOptions(pad(DefaultQuotaSize+1), o); err == nil || err.(*Error).Code != CodeInvalidEventPattern {
		t.Errorf("2049 characters under the default quota: got %v", err)
	}
	// Characters are UTF-16 units: an emoji counts two.
	emoji := []byte(`{"a":["` + strings.Repeat("🚀", 2045) + `"]}`)
	if _, err := Compile(emoji); err == nil {
		t.Errorf("2045 emoji = 4100 characters: want an error")
	}
}

func TestOrCombinationLimit(t *testing.T) {
	// Three sibling $or arrays of 10: 1000 combinations, accepted.
	or10 := func(k string) string {
		var b strings.Builder
		b.WriteString(`"$or":[`)
		for i := 0; i < 10; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"` + k + `":[` + string(rune('0'+i)) + `]}`)
		}
		return b.String() + "]"
	}
	// Sibling "$or" keys are duplicates in JSON terms; nest them instead.
	p1000 := `{` + or10("a") + `,"n":{` + or10("b") + `,"m":{` + or10("c") + `}}}`
	p, err := Compile([]byte(p1000))
	if err != nil {
		t.Fatalf("1000 combinations: %v", err)
	}
	if p.Combinations() != 1000 {
		t.Errorf("Combinations = %d, want 1000", p.Combinations())
	}
	p1001 := `{` + or10("a") + `,"n":{` + or10("b") + `,"m":{` + or10("c") + `,"l":{"$or":[{"x":[1]},{"y":[2]}]}}}}`
	if _, err := Compile([]byte(p1001)); err == nil {
		t.Errorf("2000 combinations: want an error")
	}
}

func TestStringRoundTrip(t *testing.T) {
	src := `{ "source" : [ "orders" ] }`
	p := MustCompile(src)
	if p.String() != src {
		t.Errorf("String() = %q, want %q", p.String(), src)
	}
	if got := p.Paths(); len(got) != 1 || got[0] != "source" {
		t.Errorf("Paths() = %v", got)
	}
}

func TestWildcardComplexity(t *testing.T) {
	for _, c := range []struct {
		operands []string // the wildcard operands of one field
		want     int
		comment  string
	}{
		{[]string{"abc"}, 1, "no star: one transition at a time"},
		{[]string{"a*b"}, 3, "one star: its loop, the letter after it and the waiting loop"},
		{[]string{"/Users/*/doc.txt"}, 3, "a star before a literal that does not repeat"},
		{[]string{"/Users/*/dir/dir/dir/dir/dir/doc.txt"}, 7, "AWS accepts: the loop and six partial matches of the repeating literal"},
		{[]string{"arn:aws:events:*:*:event-bus/*"}, 7, "a typical ARN"},
		{[]string{"a*b*c*d*e*f*g"}, 10, "six stars between letters: accepted, unlike busdrill's old measure"},
		{[]string{"*:*:*:*:*:event-bus/*"}, 19, "AWS rejects: the threshold sits just below"},
		{[]string{"a*b", "a*b"}, 3, "identical operands count once"},
		{[]string{"a*b", "a*c"}, 5, "operands of one field add up"},
		{[]string{"*a*b*c*d*e*f", "*a*b*c*d*e*g"}, 20, "two operands of 10 that progress together"},
	} {
		l := &leaf{}
		for _, op := range c.operands {
			w, err := compileWildcard(op)
			if err != nil {
				t.Fatalf("%s: %v", c.comment, err)
			}
			l.add(valueMatcher{op: opWildcard, str: op, wc: []*wildcard{w}})
		}
		if got := wildcardComplexity(l, 1000); got != c.want {
			t.Errorf("%s: complexity(%q) = %d, want %d", c.comment, c.operands, got, c.want)
		}
	}
}

// TestWildcardComplexityIsPerField: the operands of one field add up (plain
// and anything-but alike), operands of different fields do not, and the
// check comes after the rest of the pattern has been validated, as in
// event-ruler.
func TestWildcardComplexityIsPerField(t *testing.T) {
	const tooComplex = "Event pattern is not valid. Reason: " + msgTooComplex
	ten, other := `{"wildcard":"*a*b*c*d*e*f"}`, `"*a*b*c*d*e*g"` // complexity 10 each, 20 together
	for _, c := range []struct {
		pattern, err, comment string
	}{
		{`{"a":[` + ten + `],"b":[{"wildcard":` + other + `}]}`, "", "two fields of 10 each"},
		{`{"a":[` + ten + `,{"wildcard":` + other + `}]}`, tooComplex, "one field of 10 + 10"},
		{`{"a":[` + ten + `,{"anything-but":{"wildcard":` + other + `}}]}`, tooComplex, "anything-but wildcards count in the same field"},
		{`{"a":[` + ten + `,` + ten + `]}`, "", "a repeated operand counts once"},
		{`{"a":[{"wildcard":"*:*:*:*:*:event-bus/*"}],"a":["x"]}`, "", "an overridden leaf is not measured"},
		{`{"a":[{"wildcard":"*:*:*:*:*:event-bus/*"}],"b":[]}`, "Event pattern is not valid. Reason: Empty arrays are not allowed", "other errors come first"},
	} {
		_, err := Compile([]byte(c.pattern))
		got := ""
		if err != nil {
			got = err.(*Error).Message
		}
		if got != c.err {
			t.Errorf("%s: Compile(%s) = %q, want %q", c.comment, c.pattern, got, c.err)
		}
	}
}

// TestWildcardComplexityIsBounded: the measure's walk stops early on the
// most demanding operands a 4096-character pattern can hold.
func TestWildcardComplexityIsBounded(t *testing.T) {
	// Literals that never overlap themselves keep the count low and make
	// the walk visit one set per position: the longest walks there are.
	r := rand.New(rand.NewPCG(11, 0))
	noise := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('A' + r.IntN(58))
			if b[i] == '\\' {
				b[i] = '/'
			}
		}
		return string(b)
	}
	var many []string
	for i := 0; i < 60; i++ {
		many = append(many, `{"wildcard":"`+string(rune('a'+i%26))+string(rune('a'+i/26))+`*x*y"}`)
	}
	for _, c := range []struct {
		src      string
		accepted bool
	}{
		{`{"a":[{"wildcard":"*` + noise(4000) + `"}]}`, true},
		{`{"a":[{"wildcard":"*` + noise(1300) + "*" + noise(1300) + "*" + noise(1300) + `"}]}`, true},
		{`{"a":[{"wildcard":"` + strings.Repeat("ab*", 1300) + `"}]}`, false},
		{`{"a":[{"wildcard":"*` + strings.Repeat("a", 4000) + `"}]}`, false},
		// The opening quote of every value advances all 60 automata at
		// once: 60 patterns share that prefix (event-ruler's README asks
		// wildcards of one field to avoid common prefixes for this reason).
		{`{"a":[` + strings.Join(many, ",") + `]}`, false},
	} {
		if len(c.src) > MaxPatternSize {
			t.Fatalf("test pattern of %d characters", len(c.src))
		}
		if _, err := Compile([]byte(c.src)); (err == nil) != c.accepted {
			t.Errorf("%.40s... (%d characters): %v, want accepted %v", c.src, len(c.src), err, c.accepted)
		}
	}
}

// Package pattern is the Amazon EventBridge event-pattern language:
// compiling patterns with AWS's validation (and AWS's exact error
// messages), and matching events against them, one pattern at a time or
// as the rule set of a bus.
//
// The behaviour follows eventbridge-model.md §3 (the project's reference,
// compiled from AWS documentation, AWS-validated LocalStack recordings and
// aws/event-ruler). The 106 AWS-validated cases in
// shared/conformance/eventbridge-patterns all agree with this package (see
// conformance_test.go). Where AWS's documentation and those cases are
// silent, the package follows current aws/event-ruler, the open-source
// matcher EventBridge is built on and whose messages it repeats word for
// word; eventruler_test.go holds the cases where the two used to differ.
//
// # Using it
//
//	p, err := pattern.Compile([]byte(`{"source":["orders"],"detail":{"total":[{"numeric":[">",100]}]}}`))
//	ok, err := p.MatchJSON(eventJSON) // like aws events test-event-pattern
//
//	m := pattern.NewMatcher(busRules) // the rules of one bus
//	var s pattern.Scratch              // one per goroutine, reused
//	hits, err := m.Match(&envelope, &s, hits[:0])
//
// Errors are *Error values carrying the AWS exception name (Code) and
// message: "InvalidEventPatternException" with "Event pattern is not
// valid. Reason: ..." for patterns, "ValidationException" with "Parameter
// Event is not valid." for events. The one error of matching that AWS
// does not have is ErrMatchBudget (see the cost model).
//
// # The language
//
// A pattern is a JSON object shaped like the events it selects. Every
// leaf is an array of alternatives, any of which may match (OR); every
// field named must match (AND); fields not named are ignored. An
// alternative is an exact value or an operator object:
//
//	"a", 5, true, null, ""           exact value; JSON types must agree
//	{"prefix":"a"}                   strings starting with a ("" matches any string)
//	{"prefix":{"equals-ignore-case":"a"}}
//	{"suffix":"a"}, {"suffix":{"equals-ignore-case":"a"}}
//	{"equals-ignore-case":"a"}       Unicode simple case folding
//	{"wildcard":"a*b"}               * is zero or more characters; \* and \\ escape
//	{"anything-but":"a"} / 5 / ["a","b"] / [5,6]
//	{"anything-but":{"prefix"|"suffix"|"equals-ignore-case"|"wildcard": "a" or ["a","b"]}}
//	{"numeric":[">",0,"<=",5]}       =, <, <=, >, >=; at most one lower and one upper bound, lower < upper
//	{"cidr":"10.0.0.0/24"}           IPv4 or IPv6
//	{"exists":true|false}
//	{"exactly":"a"}                  the string as written, even where "a" would be read as an address
//
// and "$or": [{...}, {...}] (at least two objects, at any object level,
// nestable) makes alternatives of whole sub-patterns; inside it, operator
// names and event-ruler's other reserved words are not field names.
// Operator names are case-sensitive ("EXISTS" is "Unrecognized match type
// EXISTS").
//
// # Matching semantics
//
// Events are flattened to leaves keyed by dot-joined paths, and so are
// patterns, so the two sides meet on paths: the event key "state.status"
// matches the pattern {"state":{"status":[...]}}, and the pattern key
// "a.b" matches an event with a → b. Specifically:
//
//   - An event array matches when any element matches. Arrays of objects
//     are flattened through, and the values that satisfy different fields
//     must come from the same element of every array enclosing both (see
//     consistency.go): {"items":{"sku":["A"],"qty":[5]}} needs one item
//     that is both.
//   - Numbers compare by value: [300] matches 300.0 and 3e2 (AWS does this,
//     contradicting its 2023 documentation); anything-but numbers too.
//     Only numbers a double holds exactly take part (see the decisions).
//   - A string value that is an IP address matches any spelling of that
//     address ("10.0.0.1" matches "10.0.0.01" and "::ffff:a00:1"), as
//     event-ruler turns such values into address ranges.
//   - Strings compare byte for byte. null is not "": [null] matches only
//     null, [""] only the empty string, and [null] does not match an empty
//     array.
//   - prefix, suffix, equals-ignore-case, wildcard and cidr apply to
//     strings only; numeric to numbers only; a value of another type does
//     not match.
//   - anything-but needs a value: a missing field does not match. It does
//     match null and values of any other type than its operands.
//   - exists:true matches any leaf value, but not an object (an
//     intermediate node) nor an empty array (which has no leaves).
//     exists:false matches when the path has no leaf anywhere in the
//     event, including when the name exists only as an object.
//   - A detail that is a JSON-encoded string is a string, not an object.
//
// # Decisions where the reference is silent or unconfirmed
//
//   - exists:true on null: matches (event-ruler treats null as a leaf
//     value). UNCONFIRMED against AWS.
//   - Duplicate keys in a pattern: the last occurrence of a path wins
//     (event-ruler's overriding mode, the 2023 documentation, and the
//     AWS-validated case complex_multi_key_event). As in event-ruler this
//     is per leaf path, so {"d":{"a":["x"]},"d":{"b":["y"]}} tests both
//     d.a and d.b.
//   - Numbers: event-ruler's current model (ComparableNumber), which
//     replaced the 2023 documentation's ±5.0e9 with six decimals: any
//     double, but only numbers a double holds exactly, i.e. whose value
//     equals that of the double's Java text (Double.toString as Java 19
//     and later write it; 0.1 yes, 0.30000000000000001 no,
//     9223372036854775807 no). A pattern operand that is not is
//     "Cannot compare number : <text>" (for a single anything-but number
//     event-ruler raises those words outside its usual error path, so
//     AWS's wording there is UNCONFIRMED); an event number that is not never
//     falls in a range nor equals a number by value (only by text). Inside
//     the documented range every number with at most six decimals, and
//     anywhere every number of at most 15 digits, compares exactly (see
//     comparable_number.go and TestDocumentedNumberRange). Reason: it is
//     what EventBridge runs; which range AWS enforces is UNCONFIRMED.
//   - Numeric ranges with both bounds must have lower < upper: [">",5,"<",5]
//     and [">=",5,"<=",5] are "Bottom must be less than top" (event-ruler).
//     Numeric messages come in event-ruler's order: the expression's
//     shape, then its numbers, then the bounds' order.
//   - exactly, not exact, is the exact-string operator (event-ruler's
//     Constants.EXACT_MATCH); its non-string error keeps event-ruler's
//     wording, "exact match pattern must be a string". AWS does not
//     document the operator: that EventBridge accepts it is UNCONFIRMED,
//     and follows from EventBridge compiling patterns with event-ruler.
//     Field names
//     reserved inside $or are event-ruler's whole list, the numeric signs
//     (= < <= > >=) and its names for future operators included.
//   - Empty anything-but operand lists ({"anything-but":{"prefix":[]}} and
//     the suffix, equals-ignore-case and wildcard forms) are "Empty arrays
//     are not allowed", like every other empty array: event-ruler builds
//     an anything-but without operands from them, which nobody means.
//     UNCONFIRMED against AWS.
//   - Text after the pattern's closing brace is not read, as in
//     event-ruler's streaming compiler, so `{"a":["b"]} trailing` compiles.
//     UNCONFIRMED.
//   - Pattern size: Compile enforces the API's 4096-character limit
//     (MaxPatternSize, a ValidationException); the adjustable 2048
//     quota (DefaultQuotaSize) is CompileOptions.MaxSize, off by default,
//     an InvalidEventPatternException when exceeded. Characters are UTF-16
//     code units, as AWS counts them.
//   - $or expansion over MaxOrCombinations (1000) sub-patterns is an
//     InvalidEventPatternException whose wording is ours (AWS's is not
//     recorded).
//   - Wildcard complexity is event-ruler's measure
//     (MachineComplexityEvaluator: how many wildcard transitions one value
//     can keep alive at once), per field, judged after the rest of the
//     pattern is valid; see wildcard_complexity.go. AWS accepts
//     "/Users/*/dir/dir/dir/dir/dir/doc.txt" (7) and rejects
//     "*:*:*:*:*:event-bus/*" (19) but publishes no threshold;
//     MaxWildcardComplexity is 18, the most lenient value that agrees with
//     both, so busdrill is never stricter than AWS on anything simpler than
//     AWS's own rejected example ("a*b*c*d*e*f*g", 10, is accepted).
//     UNCONFIRMED.
//   - cidr ranges run from the floor of the address under the mask to its
//     ceiling ("192.168.1.0/8" is 192.0.0.0–192.255.255.255), and /32 and
//     /128 are rejected, both as in event-ruler.
//   - IP literals (cidr operands, and strings that match any spelling of
//     an address) are read as event-ruler reads them, with Java's rules
//     rather than Go's (ip_literal.go): IPv4 leading zeros are decimal
//     ("010.0.0.1" is 10.0.0.1; Go would refuse it), an IPv4-mapped IPv6
//     address is its IPv4 address ("::ffff:c0a8:17f" is 192.168.1.127 and
//     inside 192.168.1.0/24), and an IPv6 literal with a dotted tail or a
//     zone is not an address at all. Reason: these are the strings whose
//     meaning the two libraries disagree on, and event-ruler's is AWS's.
//   - Events (MatchJSON): TestEventPattern's documented mandatory fields
//     are id, account, source, time, region, resources and detail-type,
//     but AWS accepted events without resources in the recorded cases, so
//     resources is not required. Their types are not checked. An event
//     must be a well-formed JSON object nesting at most 1000 levels whose
//     integers fit in int64; anything else is a ValidationException.
//     Invalid UTF-8 inside strings is not rejected.
//   - Malformed pattern JSON yields Jackson's wording followed by
//     " at [Source: REDACTED (...); line: L, column: C]" on the same line.
//     Jackson's exact columns are approximated.
//
// # Cost model
//
// Compile does all the work it can: $or is expanded into sub-patterns,
// wildcards are split into literal segments, CIDRs into address ranges,
// and each pattern records the paths it tests. NewMatcher merges the paths
// of all its patterns into one trie (event.PathSet).
//
// Matching an event is one flattening pass plus a test per pattern.
// Flattening raw JSON is a single iterative scan (no recursion, no
// encoding/json): subtrees on no path are validated but not looked at,
// strings are unescaped only when they are tested and contain escapes,
// numbers keep their text and are parsed only when tested. Flattening an
// Envelope reads its fields from the struct, formats time only when a
// pattern tests "time", and parses Detail only when a pattern tests a path
// under "detail", so rules on account, source and detail-type cost a few
// string comparisons. Each pattern then looks at only the fields on its
// own paths, grouped by path with a counting sort. With a reused Scratch,
// Match and MatchJSON do not allocate. bench_test.go measures a 2 KB order
// event against one pattern and against the 20 rules of the reference
// backbone's global bus.
//
// Array consistency (consistency.go) walks the tree of the event's arrays
// once: its cost is bounded by the event's size times the pattern's, so
// {"items":{"a":["x"],"b":["y"]}} against 2,047 items is as cheap as any
// other 20 KB event. The only exception is an event that names one path
// twice, through a duplicate key or a dotted key spelling a nested path,
// and so puts a pattern field in two sibling arrays: deciding those is
// NP-hard, so the walk tries the choices within a work budget and, past
// it, matching returns ErrMatchBudget rather than a guess. No budget ever
// turns into "no match".
//
// Pathological inputs are bounded: patterns and events nest at most 1000
// levels (MaxNesting, event.MaxDepth), patterns are at most 4096
// characters, $or expands to at most 1000 sub-patterns, wildcards are
// matched in O(value × operand) time and their complexity is measured at
// compile time in bounded time, and array consistency is as above. No
// input panics.
//
// # Concurrency
//
// A Pattern and a Matcher are immutable after construction and safe for
// concurrent use by any number of goroutines. A Scratch is not: give each
// goroutine its own and reuse it across calls. Results from Match never
// alias the Scratch.
package pattern

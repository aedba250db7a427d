package pattern

import (
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/event"
)

// The cases where busdrill disagreed with aws/event-ruler (issue 11), each
// with event-ruler's answer: a pattern that must fail with the given
// reason, or a pattern and an event with the expected result.
func TestEventRulerAgreement(t *testing.T) {
	for _, c := range []struct {
		pattern string
		reason  string // "" when the pattern compiles
		event   string // extra top-level members, see evt; used when reason is ""
		want    bool
		comment string
	}{
		// 1. exactly, not exact.
		{`{"a":[{"exact":"x"}]}`, `Unrecognized match type exact`, ``, false, "exact is not an operator"},
		{`{"a":[{"exactly":"x"}]}`, ``, `"a":"x"`, true, "exactly is"},
		{`{"a":[{"exactly":1}]}`, `exact match pattern must be a string`, ``, false, "exactly takes a string, with event-ruler's wording"},
		{`{"a":[{"anything-but":{"exactly":"x"}}]}`, `Unsupported anything-but pattern: exactly`, ``, false, "exactly is not an anything-but form"},
		{`{"$or":[{"exactly":["1"]},{"b":["2"]}]}`, `exactly is Ruler reserved fieldName which cannot be used inside $or.`, ``, false, "exactly is reserved inside $or"},
		{`{"$or":[{"exact":["1"]},{"b":["2"]}]}`, ``, `"exact":"1"`, true, "exact is an ordinary field name inside $or"},
		{`{"$or":[{">=":["1"]},{"b":["2"]}]}`, `>= is Ruler reserved fieldName which cannot be used inside $or.`, ``, false, "so are the numeric signs"},
		// 2. array consistency: see TestArrayConsistencyNeverGivesUp.
		// 3. cidr with host bits set: the range is the floor under the mask.
		{`{"a":[{"cidr":"192.168.1.0/8"}]}`, ``, `"a":"192.0.0.0"`, true, "cidr floor"},
		{`{"a":[{"cidr":"192.168.1.0/8"}]}`, ``, `"a":"191.255.255.255"`, false, "just below the floor"},
		{`{"a":[{"cidr":"2001:db8::ffff/112"}]}`, ``, `"a":"2001:db8::"`, true, "IPv6 cidr floor"},
		// 4. empty or single-point ranges.
		{`{"a":[{"numeric":[">",1000000,"<=",65536]}]}`, `Bottom must be less than top`, ``, false, "an empty range"},
		{`{"a":[{"numeric":[">=",5,"<=",5]}]}`, `Bottom must be less than top`, ``, false, "a single point"},
		{`{"a":[{"numeric":[">",5,"<",5]}]}`, `Bottom must be less than top`, ``, false, "an empty open range"},
		{`{"a":[{"numeric":[">",5,"<",5.000001]}]}`, ``, `"a":5.0000005`, true, "a narrow range is fine"},
		{`{"a":[{"numeric":[">",-0.0,"<=",0]}]}`, `Bottom must be less than top`, ``, false, "-0 is 0"},
		// 5. numbers beyond a double's precision.
		{`{"a":[{"numeric":["=",0.30000000000000001]}]}`, `Cannot compare number : 0.30000000000000001`, ``, false, "a pattern number a double cannot hold"},
		{`{"a":[{"numeric":[">",9007199254740993]}]}`, `Cannot compare number : 9007199254740993`, ``, false, "2^53+1"},
		{`{"a":[{"anything-but":[1,0.30000000000000001]}]}`, `Cannot compare number : 0.30000000000000001`, ``, false, "in an anything-but list"},
		{`{"a":[{"anything-but":1e400}]}`, `Cannot compare number : 1e400`, ``, false, "a single anything-but number"},
		{`{"a":[{"anything-but":1e6}]}`, ``, `"a":1000000.000000000001`, true, "the event number is not rounded to 1e6"},
		{`{"a":[{"anything-but":1e6}]}`, ``, `"a":1000000.0`, false, "1000000.0 is 1e6"},
		{`{"a":[0.30000000000000001]}`, ``, `"a":0.3`, false, "an exact number a double cannot hold matches by text only"},
		{`{"a":[0.30000000000000001]}`, ``, `"a":0.30000000000000001`, true, "its own text"},
		{`{"a":[{"numeric":["=",0.3]}]}`, ``, `"a":0.30000000000000001`, false, "an event number a double cannot hold has no numeric form"},
		{`{"a":[{"numeric":[">",1e400,">",0]}]}`, `Bad numeric range operator: >`, ``, false, "the expression's shape is checked before its numbers"},
		{`{"a":[{"numeric":["=",1e400,2]}]}`, `Too many elements in numeric expression`, ``, false, "also for ="},
		{`{"a":[{"numeric":[">",1e400,"<",1,2]}]}`, `Too many terms in numeric range expression`, ``, false, "also for ranges"},
		// 6. empty anything-but operand lists.
		{`{"a":[{"anything-but":{"prefix":[]}}]}`, `Empty arrays are not allowed`, ``, false, "prefix"},
		{`{"a":[{"anything-but":{"suffix":[]}}]}`, `Empty arrays are not allowed`, ``, false, "suffix"},
		{`{"a":[{"anything-but":{"equals-ignore-case":[]}}]}`, `Empty arrays are not allowed`, ``, false, "equals-ignore-case"},
		{`{"a":[{"anything-but":{"wildcard":[]}}]}`, `Empty arrays are not allowed`, ``, false, "wildcard"},
		// IP literals: Java's reading, not Go's.
		{`{"a":[{"cidr":"192.168.1.0/24"}]}`, ``, `"a":"::ffff:c0a8:17f"`, true, "an IPv4-mapped address is its IPv4 address"},
		{`{"a":["192.168.1.127"]}`, ``, `"a":"::ffff:c0a8:17f"`, true, "also for an exact address"},
		{`{"a":[{"cidr":"::ffff:c0a8:100/120"}]}`, `IPv4 mask bits must be < 32`, ``, false, "a mapped cidr is an IPv4 cidr"},
		{`{"a":[{"cidr":"010.0.0.0/8"}]}`, ``, `"a":"10.1.2.3"`, true, "leading zeros are decimal"},
		{`{"a":[{"cidr":"10.0.0.256/8"}]}`, `Invalid IP address: 10.0.0.256`, ``, false, "looks like an address, is not one"},
		{`{"a":[{"cidr":"::ffff:1.2.3.4/8"}]}`, `Nonstandard IP address: ::ffff:1.2.3.4`, ``, false, "a dotted IPv6 tail does not look like an address to event-ruler"},
		{`{"a":[{"cidr":"0000000000000000001::/64"}]}`, ``, `"a":"1::5"`, true, "Java allows long groups whose value fits"},
		// Wildcard complexity: event-ruler's measure.
		{`{"a":[{"wildcard":"/Users/*/dir/dir/dir/dir/dir/doc.txt"}]}`, ``, `"a":"/Users/me/dir/dir/dir/dir/dir/doc.txt"`, true, "AWS accepts"},
		{`{"a":[{"wildcard":"*:*:*:*:*:event-bus/*"}]}`, msgTooComplex, ``, false, "AWS rejects"},
		{`{"a":[{"wildcard":"a*b*c*d*e*f*g"}]}`, ``, `"a":"abcdefg"`, true, "no stricter than AWS"},
	} {
		p, err := Compile([]byte(c.pattern))
		if c.reason != "" {
			want := reasonPrefix + c.reason
			if pe, ok := err.(*Error); !ok || pe.Code != CodeInvalidEventPattern || pe.Message != want {
				t.Errorf("%s: Compile(%s)\n got %v\nwant %s: %s", c.comment, c.pattern, err, CodeInvalidEventPattern, want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Compile(%s): %v", c.comment, c.pattern, err)
			continue
		}
		got, err := p.MatchJSON(evt(c.event))
		if err != nil || got != c.want {
			t.Errorf("%s: pattern %s, event {%s}: got %v, %v; want %v", c.comment, c.pattern, c.event, got, err, c.want)
		}
	}
}

// issueItems is the event of issue 11's reproducer 2: 1,023 items that
// have only a, 1,023 that have only b, then one that has both.
func issueItems() string {
	var b strings.Builder
	b.WriteString(`"detail":{"items":[`)
	for i := 0; i < 1023; i++ {
		b.WriteString(`{"a":"x"},`)
	}
	for i := 0; i < 1023; i++ {
		b.WriteString(`{"b":"y"},`)
	}
	b.WriteString(`{"a":"x","b":"y"}]}`)
	return b.String()
}

// TestArrayConsistencyNeverGivesUp is issue 11's reproducer 2 (a 20 KB
// event on which the old search ran out of budget and said "no match"),
// through MatchJSON and through Match on an envelope.
func TestArrayConsistencyNeverGivesUp(t *testing.T) {
	p := MustCompile(`{"detail":{"items":{"a":["x"],"b":["y"]}}}`)
	raw := evt(issueItems())
	if len(raw) < 20000 {
		t.Fatalf("event of %d bytes, want the reproducer's 20 KB", len(raw))
	}
	if ok, err := p.MatchJSON(raw); err != nil || !ok {
		t.Errorf("MatchJSON = %v, %v; want a match", ok, err)
	}
	detail := issueItems()
	detail = detail[len(`"detail":`):]
	env := &event.Envelope{ID: "1", Source: "s", DetailType: "d", Account: "1", Region: "r", Time: time.Unix(0, 0), Detail: []byte(detail)}
	var s Scratch
	if got, err := NewMatcher([]*Pattern{p}).Match(env, &s, nil); err != nil || len(got) != 1 {
		t.Errorf("Match = %v, %v; want a match", got, err)
	}
	// Without the last item, no element has both.
	noBoth := strings.Replace(string(raw), `,{"a":"x","b":"y"}`, ``, 1)
	if ok, err := p.MatchJSON([]byte(noBoth)); err != nil || ok {
		t.Errorf("without the last item: MatchJSON = %v, %v; want no match", ok, err)
	}
}

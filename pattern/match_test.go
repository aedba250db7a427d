package pattern

import (
	"testing"
)

// evt builds a valid event: the mandatory envelope fields plus extra
// top-level members (JSON object members without the braces).
func evt(extra string) []byte {
	s := `{"version":"0","id":"1","account":"123456789012","source":"src","time":"2022-07-13T13:48:01Z","region":"us-east-1","detail-type":"dt","resources":[]`
	if extra != "" {
		s += "," + extra
	}
	return []byte(s + "}")
}

type matchCase struct {
	pattern string
	event   string // extra top-level members, see evt
	want    bool
	comment string
}

func runMatchCases(t *testing.T, cases []matchCase) {
	t.Helper()
	for _, c := range cases {
		p, err := Compile([]byte(c.pattern))
		if err != nil {
			t.Errorf("%s\n  Compile(%s): %v", c.comment, c.pattern, err)
			continue
		}
		got, err := p.MatchJSON(evt(c.event))
		if err != nil {
			t.Errorf("%s\n  MatchJSON(%s): %v", c.comment, c.event, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s\n  pattern %s\n  event   {%s}\n  got %v, want %v", c.comment, c.pattern, c.event, got, c.want)
		}
	}
}

func TestExactValues(t *testing.T) {
	runMatchCases(t, []matchCase{
		{`{"k":["a"]}`, `"k":"a"`, true, "a string matches itself"},
		{`{"k":["a"]}`, `"k":"A"`, false, "strings are case-sensitive"},
		{`{"k":["a"]}`, `"k":"a "`, false, "no trimming or normalisation"},
		{`{"k":["a","b"]}`, `"k":"b"`, true, "alternatives in a leaf array are OR'ed"},
		{`{"k":["a"],"j":["b"]}`, `"k":"a","j":"c"`, false, "fields are AND'ed"},
		{`{"k":["a"]}`, `"j":"a"`, false, "a missing field does not match an exact value"},
		{`{"K":["a"]}`, `"k":"a"`, false, "keys are case-sensitive"},
		{`{"k":[""]}`, `"k":""`, true, "the empty string matches the empty string"},
		{`{"k":[""]}`, `"k":null`, false, "null is not the empty string"},
		{`{"k":[null]}`, `"k":""`, false, "the empty string is not null"},
		{`{"k":[null]}`, `"k":null`, true, "null matches null"},
		{`{"k":[null]}`, `"k":[]`, false, "[null] does not match an empty array"},
		{`{"k":[null]}`, `"j":1`, false, "[null] does not match a missing field"},
		{`{"k":[true]}`, `"k":true`, true, "true matches true"},
		{`{"k":[false]}`, `"k":false`, true, "false matches false"},
		{`{"k":[true]}`, `"k":"true"`, false, "the boolean is not the string"},
		{`{"k":[300]}`, `"k":300.0`, true, "numbers compare by value: 300 = 300.0"},
		{`{"k":[300]}`, `"k":3e2`, true, "numbers compare by value: 300 = 3e2"},
		{`{"k":[3.018e2]}`, `"k":301.8`, true, "exponent in the pattern"},
		{`{"k":[300]}`, `"k":"300"`, false, "a number does not match a numeric string"},
		{`{"k":["300"]}`, `"k":300`, false, "a string does not match a number"},
		{`{"k":[-0.0]}`, `"k":0`, true, "minus zero equals zero"},
		{`{"k":[1e400]}`, `"k":1e400`, true, "an overflowing literal still matches its own text"},
		{`{"k":["a"]}`, `"k":["x","a"]`, true, "an event array matches when any element does"},
		{`{"k":["a"]}`, `"k":[["x"],["a"]]`, true, "nested arrays are flattened"},
		{`{"k":["a"]}`, `"k":[]`, false, "an empty array has no values"},
		{`{"k":["a"]}`, `"k":{"a":"a"}`, false, "an object is not a leaf value"},
		{`{"k":["é"]}`, `"k":"\u00e9"`, true, "event escapes are decoded"},
		{`{"k":["\ud83d\ude80"]}`, `"k":"🚀"`, true, "surrogate pairs decode in patterns"},
		{`{"k":["*"]}`, `"k":"*"`, true, "a star is literal outside wildcard"},
		{`{"k":["10.0.0.1"]}`, `"k":"10.0.0.1"`, true, "an IP string matches itself"},
		{`{"k":["2001:db8::1"]}`, `"k":"2001:0db8:0:0:0:0:0:1"`, true, "an IP string matches another spelling of the address"},
		{`{"k":[{"exactly":"a"}]}`, `"k":"a"`, true, "the exactly operator matches the string"},
		{`{"k":[{"exactly":"a"}]}`, `"k":"ab"`, false, "the exactly operator is exact"},
		{`{"k":[{"exactly":"10.0.0.1"}]}`, `"k":"10.0.0.01"`, false, "exactly an address: only as written"},
		{`{"k":[{"exactly":"10.0.0.1"}]}`, `"k":"10.0.0.1"`, true, "exactly an address: as written"},
		{`{"k":["10.0.0.1"]}`, `"k":"10.0.0.01"`, true, "a plain address: any spelling"},
	})
}

func TestPrefixSuffixEqualsIgnoreCase(t *testing.T) {
	runMatchCases(t, []matchCase{
		{`{"k":[{"prefix":"us-"}]}`, `"k":"us-east-1"`, true, "prefix matches the start"},
		{`{"k":[{"prefix":"us-"}]}`, `"k":"eu-us-1"`, false, "prefix is anchored"},
		{`{"k":[{"prefix":""}]}`, `"k":""`, true, "the empty prefix matches the empty string"},
		{`{"k":[{"prefix":""}]}`, `"k":"x"`, true, "the empty prefix matches any string"},
		{`{"k":[{"prefix":""}]}`, `"k":5`, false, "prefix never matches a number"},
		{`{"k":[{"prefix":""}]}`, `"k":null`, false, "prefix never matches null"},
		{`{"k":[{"prefix":{"equals-ignore-case":"EventB"}}]}`, `"k":"eventbridge"`, true, "prefix ignoring case"},
		{`{"k":[{"prefix":{"equals-ignore-case":"EventB"}}]}`, `"k":"event"`, false, "prefix ignoring case needs the whole prefix"},
		{`{"k":[{"suffix":".png"}]}`, `"k":"a.png"`, true, "suffix matches the end"},
		{`{"k":[{"suffix":".png"}]}`, `"k":"a.PNG"`, false, "suffix is case-sensitive"},
		{`{"k":[{"suffix":{"equals-ignore-case":".png"}}]}`, `"k":"a.PNG"`, true, "suffix ignoring case"},
		{`{"k":[{"suffix":{"equals-ignore-case":"K"}}]}`, `"k":"\u212a"`, true, "folding maps the Kelvin sign to K across UTF-8 lengths"},
		{`{"k":[{"equals-ignore-case":"alice"}]}`, `"k":"ALICE"`, true, "equals-ignore-case"},
		{`{"k":[{"equals-ignore-case":"alice"}]}`, `"k":"alicea"`, false, "equals-ignore-case is whole-string"},
		{`{"k":[{"equals-ignore-case":""}]}`, `"k":""`, true, "empty equals-ignore-case matches only the empty string"},
		{`{"k":[{"equals-ignore-case":""}]}`, `"k":"a"`, false, "empty equals-ignore-case does not match other strings"},
		{`{"k":[{"equals-ignore-case":"σ"}]}`, `"k":"Σ"`, true, "folding is Unicode, not ASCII only"},
	})
}

func TestAnythingBut(t *testing.T) {
	runMatchCases(t, []matchCase{
		{`{"k":[{"anything-but":"a"}]}`, `"k":"b"`, true, "another string matches"},
		{`{"k":[{"anything-but":"a"}]}`, `"k":"a"`, false, "the excluded string does not"},
		{`{"k":[{"anything-but":"a"}]}`, `"j":"b"`, false, "a missing field never matches anything-but"},
		{`{"k":[{"anything-but":"a"}]}`, `"k":null`, true, "null matches anything-but"},
		{`{"k":[{"anything-but":"a"}]}`, `"k":12`, true, "another type matches anything-but"},
		{`{"k":[{"anything-but":["a","b"]}]}`, `"k":"b"`, false, "a list excludes every member"},
		{`{"k":[{"anything-but":["a","b"]}]}`, `"k":"c"`, true, "a list lets others through"},
		{`{"k":[{"anything-but":0}]}`, `"k":789`, true, "anything-but a number"},
		{`{"k":[{"anything-but":[100,200]}]}`, `"k":100.0`, false, "anything-but numbers compare by value"},
		{`{"k":[{"anything-but":[100,200]}]}`, `"k":"100"`, true, "a numeric string is another type"},
		{`{"k":[{"anything-but":"101"}]}`, `"k":101`, true, "a number is another type than a string operand"},
		{`{"k":[{"anything-but":{"prefix":"init"}}]}`, `"k":"initial"`, false, "anything-but prefix excludes the prefix"},
		{`{"k":[{"anything-but":{"prefix":"init"}}]}`, `"k":"running"`, true, "anything-but prefix lets others through"},
		{`{"k":[{"anything-but":{"prefix":"init"}}]}`, `"k":12`, true, "anything-but prefix matches another type"},
		{`{"k":[{"anything-but":{"prefix":["a","b"]}}]}`, `"k":"bee"`, false, "anything-but prefix list"},
		{`{"k":[{"anything-but":{"suffix":".txt"}}]}`, `"k":"a.txt"`, false, "anything-but suffix excludes the suffix"},
		{`{"k":[{"anything-but":{"suffix":[".txt",".jpg"]}}]}`, `"k":"a.png"`, true, "anything-but suffix list lets others through"},
		{`{"k":[{"anything-but":{"equals-ignore-case":"Stop"}}]}`, `"k":"STOP"`, false, "anything-but ignoring case"},
		{`{"k":[{"anything-but":{"equals-ignore-case":["a","b"]}}]}`, `"k":"C"`, true, "anything-but ignoring case, list"},
		{`{"k":[{"anything-but":{"wildcard":"*/lib/*"}}]}`, `"k":"/usr/lib/x"`, false, "anything-but wildcard excludes matches"},
		{`{"k":[{"anything-but":{"wildcard":["*/lib/*","*.so"]}}]}`, `"k":"/usr/bin/x"`, true, "anything-but wildcard list lets others through"},
		{`{"k":[{"anything-but":{"wildcard":"*/lib/*"}}]}`, `"k":123`, true, "anything-but wildcard matches another type"},
		{`{"k":[{"anything-but":"a"}]}`, `"k":["a","b"]`, true, "an array matches when any element is not excluded"},
		{`{"k":[{"anything-but":"a"}]}`, `"k":["a"]`, false, "an array of only excluded values does not match"},
		{`{"k":[{"anything-but":["roses"]},{"exists":false}]}`, `"j":1`, true, "anything-but OR absent: absent"},
		{`{"k":[{"anything-but":["roses"]},{"exists":false}]}`, `"k":"roses"`, false, "anything-but OR absent: excluded and present"},
	})
}

func TestNumeric(t *testing.T) {
	runMatchCases(t, []matchCase{
		{`{"k":[{"numeric":[">",0,"<=",5]}]}`, `"k":5`, true, "upper bound inclusive"},
		{`{"k":[{"numeric":[">",0,"<=",5]}]}`, `"k":0`, false, "lower bound exclusive"},
		{`{"k":[{"numeric":[">=",0,"<",5]}]}`, `"k":0`, true, "lower bound inclusive"},
		{`{"k":[{"numeric":[">=",0,"<",5]}]}`, `"k":5`, false, "upper bound exclusive"},
		{`{"k":[{"numeric":["=",301.8]}]}`, `"k":3.018e2`, true, "equality by value"},
		{`{"k":[{"numeric":["<",10]}]}`, `"k":-1e300`, true, "the full double range"},
		{`{"k":[{"numeric":[">",100]}]}`, `"k":101.0`, true, "float event against an integer bound"},
		{`{"k":[{"numeric":[">",100]}]}`, `"k":"300"`, false, "numeric never matches a string"},
		{`{"k":[{"numeric":[">",100]}]}`, `"k":null`, false, "numeric never matches null"},
		{`{"k":[{"numeric":[">",100]}]}`, `"j":300`, false, "numeric never matches a missing field"},
		{`{"k":[{"numeric":[">",100]},{"anything-but":"101"}]}`, `"k":"101"`, false, "numeric OR anything-but: a string equal to the excluded one"},
		{`{"k":[{"numeric":[">",0]}]}`, `"k":9223372036854775807`, false, "the largest int64 reads as 2^63, whose text differs: not comparable"},
		{`{"k":[{"numeric":[">",0]}]}`, `"k":9007199254740993`, false, "2^53+1 is not a double: not comparable"},
		{`{"k":[{"numeric":[">",0]}]}`, `"k":9007199254740992`, true, "2^53 is"},
		{`{"k":[{"numeric":["<",0]}]}`, `"k":-4999999999.999999`, true, "the documented range, six decimals"},
	})
}

func TestCIDR(t *testing.T) {
	runMatchCases(t, []matchCase{
		{`{"k":[{"cidr":"10.0.0.0/24"}]}`, `"k":"10.0.0.255"`, true, "last address of the range"},
		{`{"k":[{"cidr":"10.0.0.0/24"}]}`, `"k":"10.0.1.0"`, false, "just outside"},
		{`{"k":[{"cidr":"10.0.0.0/24"}]}`, `"k":"10.0.0"`, false, "not an address"},
		{`{"k":[{"cidr":"10.0.0.0/24"}]}`, `"k":167772161`, false, "a number is never an address"},
		{`{"k":[{"cidr":"10.0.0.0/8"}]}`, `"k":"::ffff:10.0.0.1"`, false, "a dotted IPv6 tail is not an address to event-ruler"},
		{`{"k":[{"cidr":"10.0.0.0/8"}]}`, `"k":"::ffff:a00:1"`, true, "an IPv4-mapped IPv6 address is its IPv4 address"},
		{`{"k":[{"cidr":"10.0.0.0/8"}]}`, `"k":"::a00:1"`, false, "an IPv4-compatible one is not"},
		{`{"k":[{"cidr":"10.0.0.0/8"}]}`, `"k":"010.000.000.001"`, true, "leading zeros are decimal, as in Java"},
		{`{"k":[{"cidr":"10.0.0.0/8"}]}`, `"k":"0010.000.000.001"`, false, "over 15 characters is not an IPv4 literal in Java"},
		{`{"k":[{"cidr":"2001:db8:1234:1a00::/64"}]}`, `"k":"2001:db8:1234:1a00::1"`, true, "IPv6"},
		{`{"k":[{"cidr":"2001:db8:1234:1a00::/64"}]}`, `"k":"2001:0db8:123f:1a01:0000:0000:0000:0000"`, false, "IPv6 outside"},
		{`{"k":[{"cidr":"10.0.0.7/24"}]}`, `"k":"10.0.0.3"`, true, "the range starts at the floor of the address under the mask"},
	})
}

func TestExists(t *testing.T) {
	runMatchCases(t, []matchCase{
		{`{"k":[{"exists":true}]}`, `"k":"a"`, true, "a string exists"},
		{`{"k":[{"exists":true}]}`, `"k":null`, true, "null is a leaf value: exists (unconfirmed against AWS)"},
		{`{"k":[{"exists":true}]}`, `"k":[]`, false, "an empty array does not exist"},
		{`{"k":[{"exists":true}]}`, `"k":{"a":1}`, false, "an object is not a leaf"},
		{`{"k":[{"exists":true}]}`, `"j":1`, false, "missing"},
		{`{"k":[{"exists":false}]}`, `"j":1`, true, "absent"},
		{`{"k":[{"exists":false}]}`, `"k":{"a":1}`, true, "a name that is only an object is absent as a leaf"},
		{`{"k":[{"exists":false}]}`, `"k":[]`, true, "an empty array is absent"},
		{`{"k":[{"exists":false}]}`, `"k":null`, false, "null is present"},
		{`{"k":[{"exists":false}]}`, `"k":""`, false, "the empty string is present"},
		{`{"k":{"id":[{"exists":true}]}}`, `"k":[{"a":1},{"id":"x"}]`, true, "exists inside an array of objects: any element"},
		{`{"k":{"id":[{"exists":false}]}}`, `"k":[{"a":1},{"id":"x"}]`, false, "exists:false is judged over the whole event"},
		{`{"replay-name":[{"exists":false}]}`, ``, true, "an event that was not replayed"},
		{`{"k":[{"exists":true},{"prefix":"IGNORED"}]}`, `"k":"x"`, true, "several alternatives OR'ed"},
	})
}

func TestWildcard(t *testing.T) {
	runMatchCases(t, []matchCase{
		{`{"k":[{"wildcard":"*.png"}]}`, `"k":"a.png"`, true, "leading star"},
		{`{"k":[{"wildcard":"a*"}]}`, `"k":"a"`, true, "a star matches zero characters"},
		{`{"k":[{"wildcard":"a*b*c"}]}`, `"k":"aXbYbZc"`, true, "several stars"},
		{`{"k":[{"wildcard":"a*b*c"}]}`, `"k":"acb"`, false, "order matters"},
		{`{"k":[{"wildcard":"ab*ba"}]}`, `"k":"aba"`, false, "anchors may not overlap"},
		{`{"k":[{"wildcard":"/Users/*/doc.txt"}]}`, `"k":"/Users/a/b/doc.txt"`, true, "a star crosses slashes"},
		{`{"k":[{"wildcard":"/Users/*/dir/dir/dir/dir/dir/doc.txt"}]}`, `"k":"/Users/ls/dir/dir/dir/dir/dir/doc.txt"`, true, "repeating literal after a star"},
		{`{"k":[{"wildcard":"a\\*b"}]}`, `"k":"a*b"`, true, "an escaped star is literal"},
		{`{"k":[{"wildcard":"a\\*b"}]}`, `"k":"aXb"`, false, "an escaped star is not a wildcard"},
		{`{"k":[{"wildcard":"a\\\\b"}]}`, `"k":"a\\b"`, true, "an escaped backslash is literal"},
		{`{"k":[{"wildcard":""}]}`, `"k":""`, true, "the empty wildcard matches the empty string"},
		{`{"k":[{"wildcard":""}]}`, `"k":"a"`, false, "and nothing else"},
		{`{"k":[{"wildcard":"a?c"}]}`, `"k":"abc"`, false, "? has no special meaning"},
		{`{"k":[{"wildcard":"*"}]}`, `"k":5`, false, "wildcard matches strings only"},
	})
}

func TestPathsAndArrays(t *testing.T) {
	runMatchCases(t, []matchCase{
		{`{"detail":{"state":{"status":["running"]}}}`, `"detail":{"state.status":"running"}`, true, "an event key with a dot matches nested pattern keys"},
		{`{"detail":{"state.status":["running"]}}`, `"detail":{"state":{"status":"running"}}`, true, "a pattern key with a dot matches nested event keys"},
		{`{"detail":{"state":{"status":["running"]}}}`, `"detail":{"state.status":{"status":"running"}}`, false, "the joined paths differ"},
		{`{"detail":{"a":["x"]}}`, `"detail":"{\"a\":\"x\"}"`, false, "a JSON-encoded string is not parsed"},
		{`{"items":{"sku":["A"],"qty":[5]}}`, `"items":[{"sku":"A","qty":1},{"sku":"B","qty":5}]`, false, "fields must match within one array element"},
		{`{"items":{"sku":["A"],"qty":[5]}}`, `"items":[{"sku":"B","qty":5},{"sku":"A","qty":5}]`, true, "one element has both"},
		{`{"items":{"sku":["A"]},"source":["src"]}`, `"items":[{"sku":"B"},{"sku":"A"}]`, true, "a field outside arrays combines with any element"},
		{`{"o":{"a":{"x":[1]},"b":{"y":[2]}}}`, `"o":[{"a":[{"x":1}],"b":[{"y":9}]},{"a":[{"x":9}],"b":[{"y":2}]}]`, false, "nested arrays: the outer element must be shared"},
		{`{"o":{"a":{"x":[1]},"b":{"y":[2]}}}`, `"o":[{"a":[{"x":9},{"x":1}],"b":[{"y":2}]}]`, true, "nested arrays: different inner arrays may use any element"},
		{`{"a":{"x":[1]},"b":{"y":[2]}}`, `"a":[{"x":1}],"b":[{"y":9},{"y":2}]`, true, "sibling arrays are independent"},
		{`{"k":["a"]}`, `"k":"b","k":"a"`, true, "duplicate event keys: both values are present"},
		{`{"source":["src"],"detail-type":["dt"]}`, ``, true, "envelope fields"},
		{`{"resources":["arn:x"]}`, `"x":1`, false, "empty resources"},
	})
}

func TestOr(t *testing.T) {
	runMatchCases(t, []matchCase{
		{`{"$or":[{"a":["1"]},{"b":["2"]}]}`, `"b":"2"`, true, "second branch"},
		{`{"$or":[{"a":["1"]},{"b":["2"]}]}`, `"c":"3"`, false, "no branch"},
		{`{"source":["src"],"$or":[{"a":["1"]},{"b":["2"]}]}`, `"a":"1"`, true, "fields outside $or apply to every branch"},
		{`{"source":["x"],"$or":[{"a":["1"]},{"b":["2"]}]}`, `"a":"1"`, false, "and must hold"},
		{`{"$or":[{"a":["1"]},{"b":["2"]}],"source":["x"]}`, `"a":"1"`, false, "also when they come after $or"},
		{`{"detail":{"$or":[{"c":[{"numeric":[">",0]}]},{"d":[{"numeric":["<",10]}]}]}}`, `"detail":{"d":5}`, true, "$or below the top level"},
		{`{"$or":[{"a":["1"],"$or":[{"b":["2"]},{"c":["3"]}]},{"d":["4"]}]}`, `"a":"1","c":"3"`, true, "nested $or"},
		{`{"$or":[{"a":["1"],"$or":[{"b":["2"]},{"c":["3"]}]},{"d":["4"]}]}`, `"a":"1"`, false, "nested $or still needs a branch"},
	})
}

func TestDuplicatePatternKeysLastWins(t *testing.T) {
	runMatchCases(t, []matchCase{
		{`{"k":["a"],"k":["b"]}`, `"k":"b"`, true, "the last occurrence wins"},
		{`{"k":["a"],"k":["b"]}`, `"k":"a"`, false, "the first is overridden"},
		{`{"d":{"a":["x"]},"d":{"b":["y"]}}`, `"d":{"a":"x","b":"z"}`, false, "per leaf path: both d.a and d.b are tested"},
	})
}

func TestInvalidEvents(t *testing.T) {
	p := MustCompile(`{"source":["src"]}`)
	for _, c := range []struct {
		event, comment string
	}{
		{`plain string`, "not JSON"},
		{`["plain string"]`, "an array"},
		{`{"testEvent":"value"}`, "mandatory fields missing"},
		{``, "empty"},
		{`{"id":"1","account":"1","source":"s","time":"t","region":"r"}`, "detail-type missing"},
		{string(evt(`"x":`)), "truncated"},
		{string(evt(`"x":12345678901234567890`)), "an integer beyond int64"},
		{string(evt(`"x":-9223372036854775809`)), "an integer below int64"},
		{string(evt(`"x":01`)), "a leading zero"},
		{string(evt(`"x":"a` + "\t" + `b"`)), "a raw control character in a string"},
		{string(evt(`"x":"\q"`)), "a bad escape"},
		{string(evt(`"x":[1,]`)), "a trailing comma"},
		{string(evt("")) + "x", "trailing garbage"},
		{string(evt(`"x":` + nest(1000))), "nesting deeper than 1000 levels (1001 with the event object)"},
	} {
		_, err := p.MatchJSON([]byte(c.event))
		if pe, ok := err.(*Error); !ok || pe.Code != CodeValidation || pe.Message != MsgInvalidEvent {
			t.Errorf("%s: MatchJSON = %v, want ValidationException", c.comment, err)
		}
	}
	// The limits themselves are fine: 1000 levels (the event object is
	// level 1) and the int64 bounds.
	if ok, err := p.MatchJSON(evt(`"x":` + nest(999))); err != nil || !ok {
		t.Errorf("1000 levels: got %v, %v; want a valid, matching event", ok, err)
	}
	if ok, err := p.MatchJSON(evt(`"x":9223372036854775807,"y":-9223372036854775808`)); err != nil || !ok {
		t.Errorf("int64 bounds: got %v, %v; want a valid, matching event", ok, err)
	}
}

// nest returns n nested arrays around 1.
func nest(n int) string {
	b := make([]byte, 0, 2*n+1)
	for i := 0; i < n; i++ {
		b = append(b, '[')
	}
	b = append(b, '1')
	for i := 0; i < n; i++ {
		b = append(b, ']')
	}
	return string(b)
}

package pattern

import (
	"net/netip"
	"strings"

	"github.com/busdrill/busdrill/event"
)

// op is the kind of one alternative in a leaf array: an exact value or
// one operator object.
type op uint8

const (
	opExactString op = iota + 1 // "a", {"exactly":"a"}
	opExactIP                   // "10.0.0.1": a string that is an IP address also matches other spellings of it
	opExactNumber               // 5, 3.0e2: compared by value when comparable, else by text
	opExactTrue
	opExactFalse
	opExactNull
	opPrefix            // {"prefix":"a"}
	opPrefixFold        // {"prefix":{"equals-ignore-case":"a"}}
	opSuffix            // {"suffix":"a"}
	opSuffixFold        // {"suffix":{"equals-ignore-case":"a"}}
	opEqualsFold        // {"equals-ignore-case":"a"}
	opWildcard          // {"wildcard":"a*b"}
	opNumeric           // {"numeric":[">",0,"<=",5]}
	opCIDR              // {"cidr":"10.0.0.0/24"}
	opExists            // {"exists":true}
	opAbsent            // {"exists":false}: never matches a present value
	opAnythingBut       // {"anything-but":["a","b"]}
	opAnythingButOne    // {"anything-but":"a"}: the fan-out rules of a backbone
	opAnythingButNumber // {"anything-but":5} or [5,6]
	opAnythingButPrefix // {"anything-but":{"prefix":...}}
	opAnythingButSuffix
	opAnythingButFold // {"anything-but":{"equals-ignore-case":...}}
	opAnythingButWildcard
)

// valueMatcher is one compiled alternative of a leaf array. It is a plain
// struct switched on op rather than an interface, so a leaf is one
// contiguous slice and testing a value never allocates.
type valueMatcher struct {
	op   op
	str  string   // the operand of single-string operators, an exact number's text
	strs []string // the operands of anything-but lists
	num  float64  // opExactNumber, when numOK
	nums []float64
	// numOK: the exact number is comparable (see comparable_number.go);
	// otherwise it matches by its text only.
	numOK bool
	rng   numRange
	ip    netip.Addr // opExactIP (an IPv4-mapped address is stored as IPv4)
	cidr  ipRange
	wc    []*wildcard
}

// match tests one present leaf value.
func (m *valueMatcher) match(f *event.Field) bool {
	switch m.op {
	case opExactString:
		return f.Kind == event.KindString && f.Str == m.str
	case opExactIP:
		return f.Kind == event.KindString && (f.Str == m.str || sameIP(f.Str, m.ip))
	case opExactNumber:
		// By value, so 300 matches 300.0 and 3e2 (AWS does, against its
		// own 2023 documentation), when both numbers are comparable; by
		// text always, as event-ruler keeps a literal matcher too.
		if f.Kind != event.KindNumber {
			return false
		}
		if f.Str == m.str {
			return true
		}
		if !m.numOK || f.Num != m.num {
			return false
		}
		_, ok := comparableNumber(f.Str, f.Num)
		return ok
	case opExactTrue:
		return f.Kind == event.KindTrue
	case opExactFalse:
		return f.Kind == event.KindFalse
	case opExactNull:
		return f.Kind == event.KindNull
	case opPrefix:
		return f.Kind == event.KindString && strings.HasPrefix(f.Str, m.str)
	case opSuffix:
		return f.Kind == event.KindString && strings.HasSuffix(f.Str, m.str)
	case opPrefixFold:
		return f.Kind == event.KindString && hasPrefixFold(f.Str, m.str)
	case opSuffixFold:
		return f.Kind == event.KindString && hasSuffixFold(f.Str, m.str)
	case opEqualsFold:
		return f.Kind == event.KindString && strings.EqualFold(f.Str, m.str)
	case opWildcard:
		return f.Kind == event.KindString && m.wc[0].match(f.Str)
	case opNumeric:
		if f.Kind != event.KindNumber || !m.rng.contains(f.Num) {
			return false
		}
		_, ok := comparableNumber(f.Str, f.Num)
		return ok
	case opCIDR:
		return f.Kind == event.KindString && m.cidr.containsString(f.Str)
	case opExists:
		// Any leaf, null included: null is a value, not an absence.
		return true
	case opAbsent:
		return false
	default:
		return m.matchAnythingBut(f)
	}
}

// leaf is the compiled array of alternatives at one path: it holds when
// any alternative holds (OR).
type leaf struct {
	ms []valueMatcher
	// absentOK: one alternative is {"exists":false}, so the leaf also holds
	// when the event has no value at the path.
	absentOK bool
	// presentOK: some alternative can match a present value.
	presentOK bool
	// wildcards: how many alternatives use a wildcard (for the per-bus
	// wildcard quota).
	wildcards int
}

func (l *leaf) add(m valueMatcher) {
	l.ms = append(l.ms, m)
	switch m.op {
	case opAbsent:
		l.absentOK = true
	default:
		l.presentOK = true
	}
	if m.op == opWildcard || m.op == opAnythingButWildcard {
		l.wildcards++
	}
}

// matchField reports whether some alternative matches f.
func (l *leaf) matchField(f *event.Field) bool {
	if len(l.ms) == 1 {
		return l.ms[0].match(f)
	}
	for i := range l.ms {
		if l.ms[i].match(f) {
			return true
		}
	}
	return false
}

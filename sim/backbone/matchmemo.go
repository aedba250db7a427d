package backbone

import (
	"unsafe"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/pattern"
)

// matchMemo remembers a bus matcher's answers by the envelope fields they
// depend on, when its patterns read no others (pattern.Matcher's
// TypeFieldsOnly: detail-type, source, account, region and replay-name;
// version is always "0"). A backbone's events come in a handful of types
// from a handful of accounts, so after the first few every match is a
// lookup: a few string comparisons (equal strings are usually the same
// memory, compared at once) instead of flattening and testing patterns.
// The answer is the matcher's, whatever the memo holds: a memo slot
// whose key differs from the envelope's is a miss.
type matchMemo struct {
	// mt is the matcher the slots are for (a bus's matcher is replaced
	// when its rules change: runtime.go); only is mt.TypeFieldsOnly().
	mt    *pattern.Matcher
	only  bool
	slots [memoSlots]memoSlot
}

const memoSlots = 16

type memoSlot struct {
	detailType, source, account, region, replay string
	hits                                        []int
	set                                         bool
}

// slot returns the slot for env's key: a cheap hash of lengths and last
// bytes, which tells a backbone's event types and accounts apart.
func (mm *matchMemo) slot(env *event.Envelope) *memoSlot {
	h := uint(len(env.DetailType))*7 + uint(len(env.Source))*13 + uint(len(env.ReplayName))
	if n := len(env.DetailType); n > 0 {
		h += uint(env.DetailType[n-1]) * 3
	}
	if n := len(env.Source); n > 0 {
		h += uint(env.Source[n-1]) * 5
	}
	if n := len(env.Account); n > 0 {
		h += uint(env.Account[n-1]) * 11
	}
	return &mm.slots[h%memoSlots]
}

// get returns the memorised answer of mt for env.
func (mm *matchMemo) get(mt *pattern.Matcher, env *event.Envelope) ([]int, bool) {
	if mm.mt != mt {
		*mm = matchMemo{mt: mt, only: mt.TypeFieldsOnly()}
	}
	if !mm.only {
		return nil, false
	}
	s := mm.slot(env)
	if !s.set || !same(s.detailType, env.DetailType) || !same(s.source, env.Source) || !same(s.account, env.Account) ||
		!same(s.region, env.Region) || !same(s.replay, env.ReplayName) {
		return nil, false
	}
	return s.hits, true
}

// same reports whether a and b are equal, at once when they are the same
// memory (the usual case of the memos' keys), without the call a string
// comparison makes to compare their bytes.
func same(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// put memorises mt's answer for env (after a get that missed), reusing
// the slot's storage.
func (mm *matchMemo) put(env *event.Envelope, hits []int) {
	if !mm.only {
		return
	}
	s := mm.slot(env)
	s.detailType, s.source, s.account, s.region, s.replay = env.DetailType, env.Source, env.Account, env.Region, env.ReplayName
	s.hits = append(s.hits[:0], hits...)
	s.set = true
}

// matchBus matches rec's event against bus bs's rules, through its memo.
// The slice returned may be the memo's: read it before the next match on
// the same bus.
func (m *Model) matchBus(bs *busState, rec *record) ([]int, error) {
	if hits, ok := bs.memo.get(bs.matcher, &rec.env); ok {
		return hits, nil
	}
	hits, err := m.match(bs.matcher, rec)
	if err != nil {
		return hits, err
	}
	m.hits = hits
	bs.memo.put(&rec.env, hits)
	return hits, nil
}

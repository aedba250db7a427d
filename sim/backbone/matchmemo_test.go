package backbone

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/busdrill/busdrill/event"
	"github.com/busdrill/busdrill/pattern"
)

// TestMatchMemo: through the memo, a matcher gives the answers it gives
// without, for envelopes of many types (more than the memo's slots, so
// that slots are overwritten), for a matcher that reads the detail (never
// memorised), and after the matcher is replaced.
func TestMatchMemo(t *testing.T) {
	compile := func(srcs ...string) *pattern.Matcher {
		var ps []*pattern.Pattern
		for _, s := range srcs {
			p, err := pattern.Compile([]byte(s))
			if err != nil {
				t.Fatal(err)
			}
			ps = append(ps, p)
		}
		return pattern.NewMatcher(ps)
	}
	typeOnly := compile(`{"detail-type":["T1","T3"]}`, `{"source":[{"prefix":"s"}]}`, `{"account":[{"anything-but":"111"}]}`)
	readsDetail := compile(`{"detail":{"n":[{"numeric":[">",5]}]}}`, `{"detail-type":["T2"]}`)
	if !typeOnly.TypeFieldsOnly() || readsDetail.TypeFieldsOnly() {
		t.Fatal("the test's matchers are not what it needs")
	}
	r := rand.New(rand.NewPCG(3, 4))
	m := &Model{}
	var bs busState
	for i := 0; i < 5000; i++ {
		mt := typeOnly
		if i >= 3000 {
			mt = readsDetail // the matcher replaced, as runtime.go does
		}
		bs.matcher = mt
		rec := &record{env: event.Envelope{
			DetailType: fmt.Sprintf("T%d", r.IntN(40)),
			Source:     []string{"src", "other"}[r.IntN(2)],
			Account:    []string{"111", "222", "333"}[r.IntN(3)],
			Region:     "eu-west-1",
			Detail:     []byte(fmt.Sprintf(`{"n":%d}`, r.IntN(10))),
		}}
		want, _ := mt.Match(&rec.env, &pattern.Scratch{}, nil)
		got, err := m.matchBus(&bs, rec)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("event %d %+v: memo says %v (%v), matcher %v", i, rec.env, got, err, want)
		}
	}
}

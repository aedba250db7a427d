package swarm

import (
	"slices"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/loadgen"
)

// TestSeeds: --seeds N and --seed-range A:B, their bounds, and how a
// shard splits them.
func TestSeeds(t *testing.T) {
	cases := []struct {
		in   string
		want string // String(), or the error
		err  bool
	}{
		{"1:40", "1–40", false},
		{"7:7", "7", false},
		{" 3 : 5 ", "3–5", false},
		{"0:10", "seeds start at 1", true},
		{"10:1", "ends before it starts", true},
		{"1", "want A:B", true},
		{"a:b", "whole numbers", true},
		{"1:100001", "more than 100000 per swarm", true},
		{"1:18446744073709551615", "more than 100000 per swarm", true},
	}
	for _, c := range cases {
		s, err := ParseRange(c.in)
		switch {
		case c.err && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%q: error %v, want %q", c.in, err, c.want)
		case !c.err && (err != nil || s.String() != c.want):
			t.Errorf("%q: %v %v, want %q", c.in, s, err, c.want)
		}
	}
	if _, err := FirstN(0); err == nil {
		t.Error("--seeds 0 accepted")
	}
	if _, err := FirstN(MaxSeeds + 1); err == nil {
		t.Error("--seeds over the bound accepted")
	}
	// Shards partition the range: every seed in exactly one.
	all := Seeds{First: 5, Last: 17}
	var union []uint64
	for i := range uint64(3) {
		sh := all
		sh.Shard = loadgen.Shard{Index: i, Count: 3}
		union = append(union, sh.List()...)
		if got := sh.List(); len(got) == 0 || (got[0]-5)%3 != i {
			t.Errorf("shard %d of 3: %v", i, got)
		}
	}
	slices.Sort(union)
	if !slices.Equal(union, all.List()) || len(union) != 13 {
		t.Errorf("the shards' seeds %v are not the range's %v", union, all.List())
	}
	// The seeds run twice depend on the range only.
	for _, seed := range all.List() {
		if got, want := all.replayed(seed, 4), (seed-5)%4 == 0; got != want {
			t.Errorf("seed %d replayed %v, want %v", seed, got, want)
		}
	}
	if all.replayed(5, 0) {
		t.Error("--replay-every 0 replays")
	}
}

// FuzzParseRange: any text gives a range within the bounds, or an error.
func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"1:40", "0:1", "5:4", "1:100000", ":", "18446744073709551615:18446744073709551615"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseRange(in)
		if err != nil {
			return
		}
		if s.First < 1 || s.Last < s.First || s.Count() > MaxSeeds {
			t.Fatalf("%q gave %+v", in, s)
		}
		if n := len(s.List()); uint64(n) != s.Count() {
			t.Fatalf("%q: %d seeds listed, %d counted", in, n, s.Count())
		}
	})
}

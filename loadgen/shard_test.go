package loadgen

import (
	"strings"
	"testing"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		in      string
		want    Shard
		wantErr string
	}{
		// The first of four.
		{"0/4", Shard{0, 4}, ""},
		// The last of four.
		{"3/4", Shard{3, 4}, ""},
		// One shard is the whole run.
		{"0/1", Shard{0, 1}, ""},
		// Shards are numbered from 0: 4/4 does not exist.
		{"4/4", Shard{}, "must be less than count 4 (shards are numbered from 0)"},
		// Zero shards is meaningless.
		{"0/0", Shard{}, "count must be at least 1"},
		// A missing slash is explained with an example.
		{"3", Shard{}, "want i/n"},
		// Negative numbers are not indices.
		{"-1/4", Shard{}, `index "-1" is not a non-negative integer`},
		// Signs, spaces and empty parts are rejected.
		{"+1/4", Shard{}, "index"},
		{"1/ 4", Shard{}, "count"},
		{"/4", Shard{}, "index"},
		{"1/", Shard{}, "count"},
		// Extra slashes are not a count.
		{"1/2/3", Shard{}, "count"},
		// Counts beyond uint64 overflow.
		{"0/99999999999999999999", Shard{}, "count"},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.in)
		switch {
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("ParseShard(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ParseShard(%q) error = %v, want it to contain %q", tt.in, err, tt.wantErr)
		}
	}
}

func TestShardOwnsAndString(t *testing.T) {
	tests := []struct {
		shard Shard
		index uint64
		owns  bool
		str   string
	}{
		// The zero shard is the whole run and owns everything.
		{Shard{}, 12345, true, "0/1"},
		// Shard 1/3 owns 4 (4 mod 3 = 1).
		{Shard{1, 3}, 4, true, "1/3"},
		// Shard 1/3 does not own 5.
		{Shard{1, 3}, 5, false, "1/3"},
	}
	for _, tt := range tests {
		if got := tt.shard.Owns(tt.index); got != tt.owns {
			t.Errorf("%v.Owns(%d) = %v", tt.shard, tt.index, got)
		}
		if got := tt.shard.String(); got != tt.str {
			t.Errorf("String() = %q, want %q", got, tt.str)
		}
	}
}

func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/1", "3/4", "4/4", "0/0", "", "/", "1/2/3", "-1/2", "18446744073709551614/18446744073709551615"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sh, err := ParseShard(in)
		if err != nil {
			if sh != (Shard{}) {
				t.Fatalf("ParseShard(%q) failed but returned %v", in, sh)
			}
			return
		}
		if sh.Count == 0 || sh.Index >= sh.Count {
			t.Fatalf("ParseShard(%q) = %v, out of range", in, sh)
		}
		back, err := ParseShard(sh.String())
		if err != nil || back != sh {
			t.Fatalf("ParseShard(%q) = %v, which prints as %q and parses back as %v, %v", in, sh, sh.String(), back, err)
		}
		// Exactly one shard of the run owns any index.
		i := uint64(len(in)) * 0x9e3779b97f4a7c15
		if n := sh.Count; n <= 64 {
			owners := 0
			for j := uint64(0); j < n; j++ {
				if (Shard{j, n}).Owns(i) {
					owners++
				}
			}
			if owners != 1 {
				t.Fatalf("%d shards of %d own index %d", owners, n, i)
			}
		}
	})
}

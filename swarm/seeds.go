package swarm

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/busdrill/busdrill/loadgen"
)

// MaxSeeds bounds the seeds one swarm (one shard) sweeps per scenario: a
// record of each is kept in memory and in swarm.json. Larger sweeps run
// as shards (--shard I/N), each within the bound.
const MaxSeeds = 100_000

// Seeds is the seed range a swarm sweeps, First to Last inclusive, and
// the shard of it this process runs: the seeds whose offset from First
// is Shard.Index modulo Shard.Count. Seeds start at 1: a scenario file
// cannot say seed: 0 (it means the default), so a seed-0 failure could
// not be written as a file that reproduces it.
type Seeds struct {
	First, Last uint64
	Shard       loadgen.Shard
}

// FirstN is the seeds 1 to n.
func FirstN(n uint64) (Seeds, error) {
	if n < 1 || n > MaxSeeds {
		return Seeds{}, fmt.Errorf("--seeds must be between 1 and %d, not %d", MaxSeeds, n)
	}
	return Seeds{First: 1, Last: n}, nil
}

// ParseRange parses A:B, the seeds A to B inclusive.
func ParseRange(s string) (Seeds, error) {
	as, bs, ok := strings.Cut(s, ":")
	if !ok {
		return Seeds{}, fmt.Errorf("seed range %q: want A:B, e.g. 1:500", clip(s, 40))
	}
	a, err1 := strconv.ParseUint(strings.TrimSpace(as), 10, 64)
	b, err2 := strconv.ParseUint(strings.TrimSpace(bs), 10, 64)
	switch {
	case err1 != nil || err2 != nil:
		return Seeds{}, fmt.Errorf("seed range %q: A and B are whole numbers, e.g. 1:500", clip(s, 40))
	case a < 1:
		return Seeds{}, fmt.Errorf("seed range %q: seeds start at 1 (a scenario file cannot say seed: 0)", clip(s, 40))
	case b < a:
		return Seeds{}, fmt.Errorf("seed range %q: it ends before it starts", clip(s, 40))
	case b-a >= MaxSeeds:
		return Seeds{}, fmt.Errorf("seed range %q: %d seeds, more than %d per swarm; split it with --shard I/N", clip(s, 40), b-a+1, MaxSeeds)
	}
	return Seeds{First: a, Last: b}, nil
}

// List returns the seeds of the shard, in order.
func (s Seeds) List() []uint64 {
	var out []uint64
	for seed := s.First; ; seed++ {
		if s.Shard.Owns(seed - s.First) {
			out = append(out, seed)
		}
		if seed == s.Last {
			return out
		}
	}
}

// Count is the number of seeds in the whole range (every shard).
func (s Seeds) Count() uint64 { return s.Last - s.First + 1 }

// String is "1–40", with the shard: "1–40, shard 0/4".
func (s Seeds) String() string {
	r := fmt.Sprintf("%d–%d", s.First, s.Last)
	if s.First == s.Last {
		r = fmt.Sprint(s.First)
	}
	if s.Shard.Count > 1 {
		r += ", shard " + s.Shard.String()
	}
	return r
}

// replayed reports whether seed is one of the sample run twice: every
// nth seed from First (n ≥ 1; 0: none). The choice depends on the range
// alone, never on the shard, so that shards check exactly the seeds an
// unsharded swarm checks.
func (s Seeds) replayed(seed uint64, every int) bool {
	return every > 0 && (seed-s.First)%uint64(every) == 0
}

// clip shortens what an error message echoes back.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

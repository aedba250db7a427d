package loadgen

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard names one part of a run split across n processes: shard Index of
// Count (0-based, Index < Count), written "i/n" on the command line
// (--shard 2/4). Shard i of n owns the orders whose global index is
// congruent to i modulo n, at the same intended times as in the unsharded
// run, so the shards of one run together are exactly that run.
//
// The zero value means "not sharded" and behaves as 0/1.
type Shard struct {
	Index, Count uint64
}

// ParseShard parses "i/n" with 0 ≤ i < n. Numbers are plain decimal.
func ParseShard(s string) (Shard, error) {
	is, ns, found := strings.Cut(s, "/")
	if !found {
		return Shard{}, fmt.Errorf("shard %q: want i/n, e.g. 0/4 for the first of four", s)
	}
	i, err := strconv.ParseUint(is, 10, 64)
	if err != nil {
		return Shard{}, fmt.Errorf("shard %q: index %q is not a non-negative integer", s, is)
	}
	n, err := strconv.ParseUint(ns, 10, 64)
	if err != nil {
		return Shard{}, fmt.Errorf("shard %q: count %q is not a non-negative integer", s, ns)
	}
	sh := Shard{Index: i, Count: n}
	if n == 0 {
		return Shard{}, fmt.Errorf("shard %q: count must be at least 1", s)
	}
	if err := sh.Validate(); err != nil {
		return Shard{}, fmt.Errorf("shard %q: %w", s, err)
	}
	return sh, nil
}

// Validate reports a shard whose index is out of range. The zero value is
// valid.
func (s Shard) Validate() error {
	if s.Count == 0 && s.Index == 0 {
		return nil
	}
	if s.Count == 0 {
		return fmt.Errorf("count must be at least 1")
	}
	if s.Index >= s.Count {
		return fmt.Errorf("index %d must be less than count %d (shards are numbered from 0)", s.Index, s.Count)
	}
	return nil
}

// norm returns the shard with the zero value made 0/1.
func (s Shard) norm() Shard {
	if s.Count == 0 {
		return Shard{Index: 0, Count: 1}
	}
	return s
}

// Owns reports whether the order with global index i belongs to the shard.
func (s Shard) Owns(i uint64) bool {
	s = s.norm()
	return i%s.Count == s.Index
}

// String renders the shard as "i/n".
func (s Shard) String() string {
	s = s.norm()
	return strconv.FormatUint(s.Index, 10) + "/" + strconv.FormatUint(s.Count, 10)
}

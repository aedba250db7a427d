package rng

import (
	"hash/fnv"
	"math/rand/v2"
)

// Streams derives named, independent PRNG streams from one seed.
// The zero value is a valid set of streams for seed 0.
type Streams struct {
	seed uint64
}

// NewStreams returns the streams of a seed.
func NewStreams(seed uint64) Streams { return Streams{seed: seed} }

// Seed returns the seed the streams derive from.
func (s Streams) Seed() uint64 { return s.seed }

// Get returns a new generator for the stream called name. Two calls with
// the same name return generators that produce the same sequence; callers
// keep the generator they get rather than asking again.
func (s Streams) Get(name string) *rand.Rand { return rand.New(s.Source(name)) }

// Source returns the generator of the stream called name, for a caller
// that needs its state: a copy of the PCG value continues the same
// sequence independently, and assigning a copy back rewinds it.
func (s Streams) Source(name string) *rand.PCG {
	h := fnv.New64a()
	h.Write([]byte(name))
	n := h.Sum64()
	return rand.NewPCG(splitmix64(s.seed^n), splitmix64(n+0x9e3779b97f4a7c15))
}

// Derive returns the streams of a sub-seed named name: a whole family of
// streams for one part of a run (one shard, one service) that stays
// independent of every other part.
func (s Streams) Derive(name string) Streams {
	return Streams{seed: s.Get(name).Uint64()}
}

// splitmix64 scrambles a 64-bit value so that nearby seeds give unrelated
// generator states.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

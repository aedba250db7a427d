package swarm

import (
	"context"
	"testing"

	"github.com/busdrill/busdrill/scenarios"
)

// What a swarm adds to each seed's run, next to the run itself: building
// the seed's scenario (a load; with a variation, a write and a second
// load), checking the invariants, and a whole seed (reference at a
// quarter of its rate, as the self-check runs it).
func BenchmarkSeedOverhead(b *testing.B) {
	sc, err := scenarios.Builtin("disabled-rule")
	if err != nil {
		b.Fatal(err)
	}
	v := scenarios.DefaultVariation()
	b.Run("instance", func(b *testing.B) {
		s := newSubject(sc, nil, "", false, false)
		for i := 0; b.Loop(); i++ {
			if _, err := s.instance(uint64(i + 1)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("instance-varied", func(b *testing.B) {
		s := newSubject(sc, &v, v.String(), false, false)
		for i := 0; b.Loop(); i++ {
			if _, err := s.instance(uint64(i + 1)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("invariants", func(b *testing.B) {
		res, _, err := runInstance(context.Background(), &instance{sc: sc, source: sc.Source})
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if v := checkInvariants(sc, res); len(v) > 0 {
				b.Fatal(v)
			}
		}
	})
	b.Run("seed-reference-quick", func(b *testing.B) {
		ref, _ := scenarios.Builtin("reference")
		s := newSubject(ref, nil, "", true, false)
		for i := 0; b.Loop(); i++ {
			if o := s.runSeed(context.Background(), uint64(i+1), false); o.run.Status != StatusPass {
				b.Fatalf("seed %d: %+v", i+1, o.run)
			}
		}
	})
}

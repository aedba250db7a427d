package loadgen

import (
	"math/rand/v2"

	"github.com/busdrill/busdrill/rng"
)

// A Sizer draws orders' payload sizes: order i's is a draw of the
// configured payload distribution from a generator seeded by i alone, so
// any Sizer of a factory gives every order the size the factory gives it,
// whenever and in whatever order they are asked. A Sizer is not safe for
// concurrent use, but two Sizers are independent: a goroutine may draw
// sizes ahead with its own (Factory.Sizer) while the factory is in use,
// and hand them over with Factory.RememberSize.
type Sizer struct {
	key  [2]uint64
	dist rng.Dist
	pcg  *rand.PCG
	r    *rand.Rand
}

func newSizer(key [2]uint64, dist rng.Dist) Sizer {
	pcg := rand.NewPCG(0, 0)
	return Sizer{key: key, dist: dist, pcg: pcg, r: rand.New(pcg)}
}

// Sizer returns a new Sizer of f's orders, or nil when f's orders have no
// payload size (FactoryConfig.Payload is nil).
func (f *Factory) Sizer() *Sizer {
	if f.cfg.Payload == nil {
		return nil
	}
	s := newSizer(f.payloadKey, f.cfg.Payload)
	return &s
}

// Size returns order i's payload size.
func (s *Sizer) Size(i uint64) int {
	s.pcg.Seed(hashIndex(s.key[0], i), hashIndex(s.key[1], i))
	return sizeOf(s.dist.Sample(s.r))
}

package loadgen

import (
	"fmt"
	"math"
	"sort"
)

// Origin is an account that originates orders, with a relative weight.
type Origin struct {
	// Account is the account's name in the topology.
	Account string
	// Weight is the account's relative share of the orders under the
	// weighted choice; it is ignored under round-robin.
	Weight float64
}

// origins chooses the originating account of an order from its global
// index alone, so every shard (and every rerun) agrees.
type origins struct {
	names      []string
	cum        []float64 // cumulative weights, last = total
	roundRobin bool
	key        uint64
}

func validateOrigins(os []Origin, roundRobin bool) []error {
	var errs []error
	if len(os) == 0 {
		return append(errs, fmt.Errorf("factory: at least one origin account is needed"))
	}
	var total float64
	for i, o := range os {
		if o.Account == "" {
			errs = append(errs, fmt.Errorf("factory: origin %d has no account", i+1))
		}
		if !(o.Weight >= 0) || math.IsInf(o.Weight, 1) {
			errs = append(errs, fmt.Errorf("factory: origin %q weight must be finite and ≥ 0, got %g", o.Account, o.Weight))
		} else {
			total += o.Weight
		}
	}
	if !roundRobin && total == 0 {
		errs = append(errs, fmt.Errorf("factory: origin weights sum to zero"))
	}
	return errs
}

func newOrigins(os []Origin, roundRobin bool, key uint64) origins {
	o := origins{roundRobin: roundRobin, key: key}
	var total float64
	for _, x := range os {
		total += x.Weight
		o.names = append(o.names, x.Account)
		o.cum = append(o.cum, total)
	}
	return o
}

// pick returns the origin of order i: round-robin by index, or a weighted
// draw from a uniform number hashed from the stream key and the index.
func (o *origins) pick(i uint64) string {
	if len(o.names) == 1 {
		return o.names[0] // the only choice, whatever the draw
	}
	if o.roundRobin {
		return o.names[i%uint64(len(o.names))]
	}
	u := unitFloat(hashIndex(o.key, i)) * o.cum[len(o.cum)-1]
	j := sort.Search(len(o.cum), func(j int) bool { return o.cum[j] > u })
	if j == len(o.cum) { // u rounded up to the total
		j = len(o.cum) - 1
	}
	return o.names[j]
}

// hashIndex is a counter-based random number: a well-mixed 64-bit value
// determined by a stream key and an index, so that the draws of order i
// need no draws for orders 0 … i-1 (which another shard owns).
func hashIndex(key, i uint64) uint64 {
	return splitmix64(key + splitmix64(i))
}

// unitFloat maps 64 random bits to [0, 1) with 53 bits of precision.
func unitFloat(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// splitmix64 is SplitMix64's finaliser: a bijective mixer after which
// nearby inputs give unrelated outputs.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

package loadgen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Process is how arrivals are placed under a rate shape.
type Process uint8

const (
	// Uniform places the k-th order (k = 0, 1, ...) at Λ⁻¹(k): evenly
	// spaced under a constant rate (10/s gives 0, 100ms, 200ms, ...), and
	// spaced by the local rate under any other shape. It sends exactly
	// ⌊Λ(Duration)⌋ orders and draws no random numbers.
	Uniform Process = iota
	// Poisson places the k-th order at Λ⁻¹(Γₖ), where Γₖ is the sum of
	// k+1 unit exponentials drawn from the "arrivals" stream (time
	// rescaling). Under a constant shape that is a Poisson process; under
	// any other shape it is the non-homogeneous Poisson process of that
	// rate. The number of orders is itself random, Poisson(Λ(Duration)).
	Poisson
)

// StreamArrivals is the name of the rng stream Poisson arrivals draw from.
const StreamArrivals = "arrivals"

func (p Process) String() string {
	switch p {
	case Uniform:
		return "uniform"
	case Poisson:
		return "poisson"
	}
	return fmt.Sprintf("process(%d)", uint8(p))
}

// ParseProcess parses "uniform" or "poisson" (case-insensitive).
func ParseProcess(s string) (Process, error) {
	switch strings.ToLower(s) {
	case "uniform":
		return Uniform, nil
	case "poisson":
		return Poisson, nil
	}
	return 0, fmt.Errorf("arrival process %q: want uniform or poisson", s)
}

// Arrivals is an open-model arrival plan: a rate shape and a process that
// places orders under it. Orders arrive on schedule whatever the system
// under test does; nothing here waits for a response.
type Arrivals struct {
	Shape   Shape
	Process Process
}

// Validate returns every problem with the plan.
func (a Arrivals) Validate() []error {
	var errs []error
	if a.Shape == nil {
		errs = append(errs, errors.New("arrivals: no rate shape"))
	} else {
		errs = append(errs, a.Shape.Validate()...)
	}
	if a.Process > Poisson {
		errs = append(errs, fmt.Errorf("arrivals: unknown %v", a.Process))
	}
	return errs
}

// String describes the plan: "poisson constant(200/s for 10m0s)".
func (a Arrivals) String() string {
	return fmt.Sprintf("%v %v", a.Process, a.Shape)
}

// Schedule compiles the plan and returns the iterator over shard's
// arrivals. Poisson plans draw from r, which should be the run's
// [StreamArrivals] stream and must not be shared with anything else (a
// different consumer would shift every arrival after its first draw);
// Uniform plans ignore r, which may be nil.
func (a Arrivals) Schedule(r *rand.Rand, shard Shard) (*Schedule, error) {
	if errs := a.Validate(); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	p, err := Compile(a.Shape)
	if err != nil {
		return nil, err
	}
	return NewSchedule(p, a.Process, r, shard)
}

// Pacer is [Arrivals.Schedule] wrapped as a vegeta-style [Pacer].
func (a Arrivals) Pacer(r *rand.Rand, shard Shard) (*SchedulePacer, error) {
	s, err := a.Schedule(r, shard)
	if err != nil {
		return nil, err
	}
	return newSchedulePacer(s), nil
}

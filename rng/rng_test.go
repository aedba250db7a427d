package rng

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

func TestStreamsAreReproducibleAndIndependent(t *testing.T) {
	s := NewStreams(42)
	a1, a2, b := s.Get("arrivals"), s.Get("arrivals"), s.Get("faults")
	same, diff := true, false
	for i := 0; i < 100; i++ {
		x, y, z := a1.Uint64(), a2.Uint64(), b.Uint64()
		same = same && x == y
		diff = diff || x != z
	}
	if !same {
		t.Error("the same stream name gave different sequences")
	}
	if !diff {
		t.Error("different stream names gave the same sequence")
	}
	if NewStreams(1).Get("x").Uint64() == NewStreams(2).Get("x").Uint64() {
		t.Error("different seeds gave the same first value")
	}
	if s.Derive("shard-1").Get("x").Uint64() == s.Derive("shard-2").Get("x").Uint64() {
		t.Error("derived families collide")
	}
}

func TestDistributionQuantilesMatchSamples(t *testing.T) {
	tests := []struct {
		name string
		d    Dist
	}{
		// A constant is its own median and p99.
		{"constant", Constant{Value: 7}},
		// Uniform on [10, 20).
		{"uniform", Uniform{Min: 10, Max: 20}},
		// Exponential with mean 5: the Poisson inter-arrival time.
		{"exponential", Exponential{MeanValue: 5}},
		// Log-normal with median 5 s and p99 8 s, in nanoseconds.
		{"lognormal", LogNormal{Median: 5e9, P99: 8e9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(3, 4))
			const n = 200000
			xs := make([]float64, n)
			var sum float64
			for i := range xs {
				xs[i] = tt.d.Sample(r)
				sum += xs[i]
			}
			sort.Float64s(xs)
			for _, q := range []float64{0.5, 0.9, 0.99} {
				got, want := xs[int(q*n)], tt.d.Quantile(q)
				if !near(got, want, 0.03) {
					t.Errorf("q%.2f: sampled %g, Quantile says %g", q, got, want)
				}
			}
			if !near(sum/n, tt.d.Mean(), 0.03) {
				t.Errorf("mean: sampled %g, Mean says %g", sum/n, tt.d.Mean())
			}
		})
	}
}

func near(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))+1e-9
}

func TestLogNormalMedianAndP99(t *testing.T) {
	l := LogNormal{Median: 5e9, P99: 8e9}
	if got := l.Quantile(0.5); !near(got, 5e9, 1e-9) {
		t.Errorf("median %g", got)
	}
	if got := l.Quantile(0.99); !near(got, 8e9, 1e-9) {
		t.Errorf("p99 %g", got)
	}
}

func TestDurationNeverNegative(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	if d := Duration(Uniform{Min: -10, Max: -5}, r); d != 0 {
		t.Fatalf("got %v", d)
	}
	if d := Duration(Constant{Value: math.NaN()}, r); d != 0 {
		t.Fatalf("NaN gave %v", d)
	}
}

func TestNewLogNormalEqualsLiteral(t *testing.T) {
	a, b := NewLogNormal(5e9, 8e9), LogNormal{Median: 5e9, P99: 8e9}
	ra, rb := rand.New(rand.NewPCG(1, 2)), rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 1000; i++ {
		if x, y := a.Sample(ra), b.Sample(rb); x != y {
			t.Fatalf("sample %d: %g != %g", i, x, y)
		}
	}
}

func BenchmarkLogNormalSample(b *testing.B) {
	l := NewLogNormal(5e9, 8e9)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < b.N; i++ {
		_ = l.Sample(r)
	}
}

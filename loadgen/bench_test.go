package loadgen

import (
	"testing"
	"time"

	"github.com/busdrill/busdrill/rng"
)

// Each benchmark op is one arrival. The shapes are long enough that no
// schedule runs out within b.N.
func BenchmarkScheduleNext(b *testing.B) {
	long := 1000 * time.Hour
	stages := Stages{Start: 0, Stages: []Stage{
		{1e5, 100 * time.Hour}, {1e6, 400 * time.Hour}, {1e6, 400 * time.Hour}, {0, 100 * time.Hour},
	}}
	cases := []struct {
		name  string
		plan  Arrivals
		shard Shard
	}{
		{"uniform/constant", Arrivals{Shape: Constant{Rate: 1e6, Duration: long}}, Shard{}},
		{"uniform/ramp", Arrivals{Shape: Ramp{From: 1e5, To: 1e6, Duration: long}}, Shard{}},
		{"uniform/stages", Arrivals{Shape: stages}, Shard{}},
		{"poisson/constant", Arrivals{Shape: Constant{Rate: 1e6, Duration: long}, Process: Poisson}, Shard{}},
		{"poisson/ramp", Arrivals{Shape: Ramp{From: 1e5, To: 1e6, Duration: long}, Process: Poisson}, Shard{}},
		{"poisson/stages", Arrivals{Shape: stages, Process: Poisson}, Shard{}},
		// A Poisson shard draws the whole run: an op here is one of its own arrivals.
		{"poisson/constant/shard-1of4", Arrivals{Shape: Constant{Rate: 1e6, Duration: long}, Process: Poisson}, Shard{1, 4}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			sched, err := c.plan.Schedule(rng.NewStreams(1).Get(StreamArrivals), c.shard)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var last Arrival
			for b.Loop() {
				a, ok := sched.Next()
				if !ok {
					b.Fatal("schedule ran out")
				}
				last = a
			}
			_ = last
		})
	}
}

func BenchmarkPace(b *testing.B) {
	for _, proc := range []Process{Uniform, Poisson} {
		b.Run(proc.String(), func(b *testing.B) {
			p, err := Arrivals{Shape: Ramp{From: 1e5, To: 1e6, Duration: 1000 * time.Hour}, Process: proc}.
				Pacer(rng.NewStreams(1).Get(StreamArrivals), Shard{})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			var sent uint64
			for b.Loop() {
				if _, stop := p.Pace(0, sent); stop {
					b.Fatal("pacer stopped")
				}
				sent++
			}
		})
	}
}

func BenchmarkFactoryOrder(b *testing.B) {
	cfg := baseConfig()
	cfg.Payload = rng.LogNormal{Median: 2048, P99: 16384}
	f := mustFactory(b, cfg, 1)
	b.ReportAllocs()
	var i uint64
	for b.Loop() {
		_ = f.Order(Arrival{Index: i})
		i++
	}
}

func BenchmarkFactoryAppendDetail(b *testing.B) {
	cfg := baseConfig()
	cfg.Payload = rng.Constant{Value: 2048}
	f := mustFactory(b, cfg, 1)
	buf := make([]byte, 0, 4096)
	b.SetBytes(2048)
	b.ReportAllocs()
	var i uint64
	for b.Loop() {
		o := f.Order(Arrival{Index: i, At: time.Duration(i) * time.Millisecond})
		buf = f.AppendDetail(buf[:0], &o, OrderCreated)
		i++
	}
	if len(buf) != 2048 {
		b.Fatalf("detail is %d bytes", len(buf))
	}
}

func BenchmarkFactoryEntry(b *testing.B) {
	cfg := baseConfig()
	cfg.Payload = rng.Constant{Value: 2048}
	f := mustFactory(b, cfg, 1)
	b.ReportAllocs()
	var i uint64
	for b.Loop() {
		o := f.Order(Arrival{Index: i})
		_ = f.Entry(&o, OrderCreated)
		i++
	}
}

package capacity

import (
	"math"
	"testing"
	"time"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/sim/backbone"
	"github.com/busdrill/busdrill/sim/world"
)

// TestWatcherGrowth feeds a watcher a handler's backlog, second by
// second over ten minutes of constant traffic (as seconds of traffic
// waiting), and asks whether it grows without bound.
func TestWatcherGrowth(t *testing.T) {
	cases := []struct {
		name string
		wait func(t float64) float64 // seconds of traffic waiting, at run time t
		want bool
	}{
		{"idle", func(float64) float64 { return 0 }, false},
		{"overloaded by 2% from the start: +0.02s every second", func(t float64) float64 { return 0.02 * t }, true},
		{"a ramp that ends over the limit: growth only in the last minute", func(t float64) float64 { return 0.05 * math.Max(0, t-540) }, true},
		{"a spike at 2m that drains by 5m", func(t float64) float64 {
			return math.Max(0, 20-math.Abs(t-160)*0.15)
		}, false},
		{"a wandering queue: the same swell at 3m and at the end", func(t float64) float64 {
			return 1.5*math.Exp(-(t-180)*(t-180)/800) + 1.5*math.Exp(-(t-600)*(t-600)/800)
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := loadgen.Compile(loadgen.Constant{Rate: 10, Duration: 10 * time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			w := newWatcher(p)
			for s := 1; s <= 660; s++ {
				// 10 orders per second: seconds of traffic waiting × 10.
				waiting := int(math.Round(c.wait(float64(s)) * 10))
				w.sample(&world.Sample{Now: time.Duration(s) * time.Second,
					Handlers: []backbone.HandlerLoad{{Handler: "a/h", Concurrency: 10, Waiting: waiting}}})
			}
			var found bool
			for _, f := range w.growing() {
				if f.what == "a/h's backlog (invocations waiting for a run)" {
					found = true
					if len(f.implicates) != 1 || f.implicates[0] != (key{KindHandlerConcurrency, "a/h"}) {
						t.Errorf("implicates %v", f.implicates)
					}
				}
			}
			if found != c.want {
				t.Errorf("growing = %v, want %v", found, c.want)
			}
		})
	}
}

package capacity

import (
	"context"
	"testing"
)

// BenchmarkSearch is one capacity search of testdata/low-quotas.yaml (3
// probes of up to 15,000 orders, no next step): what a search costs per
// probe on this machine. busdrill capacity scenarios/reference.yaml (9
// probes, three next steps) is the figure the README quotes.
func BenchmarkSearch(b *testing.B) {
	sc, err := testdataScenarioErr("low-quotas")
	if err != nil {
		b.Fatal(err)
	}
	probes := 0
	for i := 0; i < b.N; i++ {
		a, err := Run(context.Background(), sc, Options{Next: -1, Version: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		probes += len(a.Probes)
	}
	b.ReportMetric(float64(probes)/float64(b.N), "probes/op")
}

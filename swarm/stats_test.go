package swarm

import (
	"reflect"
	"testing"
)

func value(v float64) *float64 { return &v }

// TestExpectStats: the pass share counts only the seeds an expectation
// applied to; the distribution is by nearest rank, its extremes name the
// lowest seed that gave them; seeds without a value count as no data.
func TestExpectStats(t *testing.T) {
	heads := []ExpectStats{{Name: "loss == 0", Unit: "count"}, {Name: "e2e.p99 < 8s", Window: "steady", Unit: "ms"}}
	runs := []SeedRun{
		{Seed: 1, Expect: []SeedExpect{{Status: "pass", Value: value(0)}, {Status: "pass", Value: value(5000)}}},
		{Seed: 2, Expect: []SeedExpect{{Status: "fail", Value: value(3)}, {Status: "pass", Value: value(7000)}}},
		{Seed: 3, Expect: []SeedExpect{{Status: "pass", Value: value(0)}, {Status: "na"}}},
		{Seed: 4, Expect: []SeedExpect{{Status: "fail", Value: value(3)}, {Status: "fail", Observed: "no data"}}},
		{Seed: 5, Status: "interrupted"},
	}
	got := expectStats(heads, runs)
	want := []ExpectStats{
		{Name: "loss == 0", Unit: "count", Applied: 4, Passed: 2, Failed: 2, Share: 0.5, FailedSeeds: []uint64{2, 4},
			Distribution: &Distribution{Count: 4, Min: 0, MinSeed: 1, P50: 0, P99: 3, Max: 3, MaxSeed: 2}},
		{Name: "e2e.p99 < 8s", Window: "steady", Unit: "ms", Applied: 3, Passed: 2, Failed: 1, NoData: 1, Share: 2.0 / 3, FailedSeeds: []uint64{4},
			Distribution: &Distribution{Count: 2, Min: 5000, MinSeed: 1, P50: 5000, P99: 7000, Max: 7000, MaxSeed: 2}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\n%+v\nwant\n%+v\n%+v", got[0], *got[0].Distribution, want[0], *want[0].Distribution)
		t.Errorf("got\n%+v\n%+v\nwant\n%+v\n%+v", got[1], *got[1].Distribution, want[1], *want[1].Distribution)
	}
}

// TestNearestRank: p50 and p99 are values seeds gave.
func TestNearestRank(t *testing.T) {
	var vals []seedValue
	for i := 100; i >= 1; i-- {
		vals = append(vals, seedValue{seed: uint64(i), v: float64(i)})
	}
	d := distribution(vals)
	if d.Min != 1 || d.MinSeed != 1 || d.P50 != 50 || d.P99 != 99 || d.Max != 100 || d.MaxSeed != 100 || d.Count != 100 {
		t.Errorf("%+v", *d)
	}
	if d := distribution([]seedValue{{seed: 9, v: 2}}); d.P50 != 2 || d.P99 != 2 || d.MinSeed != 9 || d.MaxSeed != 9 {
		t.Errorf("one value: %+v", *d)
	}
	if distribution(nil) != nil {
		t.Error("no values, a distribution")
	}
}

// TestFormatValue: values print in their unit as results print them.
func TestFormatValue(t *testing.T) {
	for _, c := range []struct {
		unit string
		v    float64
		want string
	}{
		{"ms", 7210, "7.21s"}, {"ms", 412.5, "412.5ms"}, {"count", 3, "3"}, {"ratio", 0.995, "99.5%"}, {"bool", 1, "true"},
	} {
		if got := formatValue(c.unit, c.v); got != c.want {
			t.Errorf("%s %v: %q, want %q", c.unit, c.v, got, c.want)
		}
	}
}

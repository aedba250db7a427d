package render

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/report"
)

// TestMergeShardsEqualsSingleRun runs the same drill whole and as two and
// three shards: the merged shards must give the single run's histograms,
// latency summaries, ledger, orders, duplicates and series counts
// exactly.
func TestMergeShardsEqualsSingleRun(t *testing.T) {
	d := drill{seed: 3, rate: 10, traffic: 3 * time.Minute, drain: time.Minute}
	whole := d.run()
	if len(whole.Histograms) != 5 || whole.Ledger.Routes == nil || len(whole.Duplicates) == 0 {
		t.Fatalf("the drill recorded too little to test with: %d histograms", len(whole.Histograms))
	}
	for _, n := range []int{2, 3} {
		var shards []*report.Results
		for i := range n {
			s := d
			s.shard = &report.Shard{Index: n - 1 - i, Count: n} // any order
			shards = append(shards, s.run())
		}
		m, err := Merge(shards)
		if err != nil {
			t.Fatal(err)
		}
		if m.Shard != nil {
			t.Errorf("%d shards: merged results still have a shard", n)
		}
		for name, enc := range whole.Histograms {
			if m.Histograms[name] != enc {
				a, _ := report.DecodeHistogram(enc)
				b, _ := report.DecodeHistogram(m.Histograms[name])
				if !reflect.DeepEqual(a.Percentiles(), b.Percentiles()) {
					t.Errorf("%d shards: histogram %s differs", n, name)
				}
			}
		}
		for _, c := range []struct {
			what      string
			got, want any
		}{
			{"latency", m.Latency, whole.Latency},
			{"ledger", m.Ledger, whole.Ledger},
			{"orders", m.Orders, whole.Orders},
			{"duplicates", m.Duplicates, whole.Duplicates},
			{"idempotency", m.Idempotency, whole.Idempotency},
			{"faults", m.Faults, whole.Faults},
			{"window", m.Window, whole.Window},
			{"series counts", seriesCounts(m.Series), seriesCounts(whole.Series)},
		} {
			if !reflect.DeepEqual(c.got, c.want) {
				t.Errorf("%d shards: merged %s\n got %+v\nwant %+v", n, c.what, c.got, c.want)
			}
		}
		var mw, ww []windowView
		readSection(m, "windows", &mw)
		readSection(whole, "windows", &ww)
		if !reflect.DeepEqual(mw, ww) {
			t.Errorf("%d shards: merged windows\n got %+v\nwant %+v", n, mw, ww)
		}
		for i, q := range m.Quotas {
			if q.Peak < whole.Quotas[i].Peak {
				t.Errorf("%d shards: quota %s of %s: merged peak %v is below the run's %v (it must bound it)", n, q.Quota, q.Account, q.Peak, whole.Quotas[i].Peak)
			}
		}
	}
}

func seriesCounts(ps []report.Point) []report.Point {
	out := make([]report.Point, len(ps))
	for i, p := range ps {
		p.P50Ms, p.P99Ms = 0, 0
		out[i] = p
	}
	return out
}

func TestMergeRefusesStrangers(t *testing.T) {
	shard := func(scenario string, seed uint64, i, n int) *report.Results {
		r := &report.Results{Schema: report.Schema, Scenario: scenario, Seed: seed, Target: "sim", Version: "v"}
		if n > 0 {
			r.Shard = &report.Shard{Index: i, Count: n}
		}
		return r
	}
	cases := []struct {
		name string
		rs   []*report.Results
		want string
	}{
		{"nothing", nil, "no results"},
		{"other scenario", []*report.Results{shard("a", 1, 0, 2), shard("b", 1, 1, 2)}, "scenario"},
		{"other seed", []*report.Results{shard("a", 1, 0, 2), shard("a", 2, 1, 2)}, "seed"},
		{"not a shard", []*report.Results{shard("a", 1, 0, 2), shard("a", 1, 0, 0)}, "not a shard"},
		{"same shard twice", []*report.Results{shard("a", 1, 0, 2), shard("a", 1, 0, 2)}, "both shard 0"},
		{"other counts", []*report.Results{shard("a", 1, 0, 2), shard("a", 1, 1, 3)}, "others are of 2"},
		{"missing shard", []*report.Results{shard("a", 1, 0, 3), shard("a", 1, 2, 3)}, "shards 1 of 3 are missing"},
	}
	for _, c := range cases {
		_, err := Merge(c.rs)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error mentioning %q", c.name, err, c.want)
		}
	}
}

package swarm

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/busdrill/busdrill/report"
)

// ExpectStats is one expectation across the seeds: how often it held,
// and the distribution of its metric.
type ExpectStats struct {
	Name   string `json:"name"`
	Window string `json:"window,omitempty"`
	// Unit is the unit of the values: ms, count, ratio or bool.
	Unit string `json:"unit"`
	// Applied counts the seeds it was evaluated for (a variation may
	// switch its fault off); Passed and Failed split them; NoData counts
	// those that measured nothing for it.
	Applied int `json:"applied"`
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	NoData  int `json:"no_data,omitempty"`
	// Share is Passed / Applied: "p99 < 8s in 99% of seeds".
	Share float64 `json:"pass_share"`
	// FailedSeeds are the first failing seeds (at most maxListedSeeds).
	FailedSeeds []uint64 `json:"failed_seeds,omitempty"`
	// Distribution of the observed values, over the seeds with one.
	Distribution *Distribution `json:"distribution,omitempty"`
}

// Distribution is a metric across seeds: the extremes with the (lowest)
// seed that gave each, and the median and 99th percentile by nearest
// rank (the values seeds actually gave, never interpolated).
type Distribution struct {
	Count   int     `json:"count"`
	Min     float64 `json:"min"`
	MinSeed uint64  `json:"min_seed"`
	P50     float64 `json:"p50"`
	P99     float64 `json:"p99"`
	Max     float64 `json:"max"`
	MaxSeed uint64  `json:"max_seed"`
}

// maxListedSeeds bounds the failing seeds an expectation lists.
const maxListedSeeds = 20

type seedValue struct {
	seed uint64
	v    float64
}

// expectStats computes every expectation's statistics from the runs
// (sorted by seed); heads name the expectations (name, window, unit).
// It is a function of the runs alone, so that merged shards give what
// the whole swarm gives.
func expectStats(heads []ExpectStats, runs []SeedRun) []ExpectStats {
	out := make([]ExpectStats, len(heads))
	for i, h := range heads {
		st := ExpectStats{Name: h.Name, Window: h.Window, Unit: h.Unit}
		var vals []seedValue
		for _, r := range runs {
			if i >= len(r.Expect) || r.Expect[i].Status == statusNA {
				continue
			}
			x := r.Expect[i]
			st.Applied++
			if x.Status == StatusPass {
				st.Passed++
			} else {
				st.Failed++
				if len(st.FailedSeeds) < maxListedSeeds {
					st.FailedSeeds = append(st.FailedSeeds, r.Seed)
				}
			}
			if x.Value == nil {
				st.NoData++
				continue
			}
			vals = append(vals, seedValue{r.Seed, *x.Value})
		}
		if st.Applied > 0 {
			st.Share = float64(st.Passed) / float64(st.Applied)
		}
		st.Distribution = distribution(vals)
		out[i] = st
	}
	return out
}

func distribution(vals []seedValue) *Distribution {
	if len(vals) == 0 {
		return nil
	}
	slices.SortStableFunc(vals, func(a, b seedValue) int {
		return cmp.Or(cmp.Compare(a.v, b.v), cmp.Compare(a.seed, b.seed))
	})
	rank := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(vals)))) - 1
		return vals[min(max(i, 0), len(vals)-1)].v
	}
	d := &Distribution{Count: len(vals), Min: vals[0].v, MinSeed: vals[0].seed, P50: rank(0.5), P99: rank(0.99)}
	// The lowest seed among those giving the maximum.
	last := vals[len(vals)-1].v
	i := len(vals) - 1
	for i > 0 && vals[i-1].v == last {
		i--
	}
	d.Max, d.MaxSeed = last, vals[i].seed
	return d
}

// formatValue prints a value in its unit for people, as results.json's
// expectations print them: 7.21s, 412, 99.5%, true.
func formatValue(unit string, v float64) string {
	switch unit {
	case "ms":
		return report.FormatDuration(time.Duration(math.Round(v * float64(time.Millisecond))))
	case "ratio":
		return strconv.FormatFloat(math.Round(v*1e4)/1e2, 'f', -1, 64) + "%"
	case "bool":
		return strconv.FormatBool(v != 0)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

package render

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/busdrill/busdrill/report"
)

// Some sections of results.json are newer than others (windowed metrics,
// recovery times). The renderers and Merge read them through the JSON
// contract (docs/results.md) rather than through Go field names: a
// section is found by its JSON key on report.Results, and decoded into
// the views below. A results file, or a build of report, without the
// section simply has none.

// windowView is one entry of "windows".
type windowView struct {
	Name  string `json:"name"`
	Spans []struct {
		StartMs float64 `json:"start_ms"`
		EndMs   float64 `json:"end_ms"`
	} `json:"spans"`
	Orders struct {
		Sent       int64 `json:"sent"`
		Late       int64 `json:"late"`
		Completed  int64 `json:"completed"`
		Incomplete int64 `json:"incomplete"`
	} `json:"orders"`
	E2E       report.Summary `json:"e2e"`
	Histogram string         `json:"histogram,omitempty"`
	Loss      struct {
		Total   int64            `json:"total"`
		DLQ     int64            `json:"dlq"`
		Dropped map[string]int64 `json:"dropped"`
	} `json:"loss"`
	Duplicates struct {
		ByID  int64 `json:"by_id"`
		ByKey int64 `json:"by_key"`
	} `json:"duplicates"`
	IdempotencyViolations int64 `json:"idempotency_violations"`
}

// recoveryView is one entry of "recovery".
type recoveryView struct {
	Fault      string  `json:"fault"`
	EndMs      float64 `json:"end_ms"`
	Recovered  bool    `json:"recovered"`
	RecoveryMs float64 `json:"recovery_ms"`
	BoundMs    float64 `json:"bound_ms"`
	Note       string  `json:"note,omitempty"`
}

// section finds the field of r with the JSON key, or an invalid value.
func section(r *report.Results, key string) reflect.Value {
	v := reflect.ValueOf(r).Elem()
	for i := 0; i < v.NumField(); i++ {
		if jsonName(v.Type().Field(i)) == key {
			return v.Field(i)
		}
	}
	return reflect.Value{}
}

func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	if tag == "-" || !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name
}

// readSection decodes the section with the JSON key into out; false when
// r has no such section or it is empty.
func readSection(r *report.Results, key string, out any) (bool, error) {
	f := section(r, key)
	if !f.IsValid() || f.IsZero() {
		return false, nil
	}
	b, err := json.Marshal(f.Interface())
	if err != nil {
		return false, fmt.Errorf("results %s: %w", key, err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return false, fmt.Errorf("results %s: %w", key, err)
	}
	return true, nil
}

// writeSection sets the section with the JSON key from v (through its
// JSON form); a no-op when r has no such section.
func writeSection(r *report.Results, key string, v any) error {
	f := section(r, key)
	if !f.IsValid() {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	p := reflect.New(f.Type())
	if err := json.Unmarshal(b, p.Interface()); err != nil {
		return fmt.Errorf("results %s: %w", key, err)
	}
	f.Set(p.Elem())
	return nil
}

// windowRow is a row of the page's windows table.
type windowRow struct {
	Name, Spans                        string
	Sent, Completed, Incomplete, Late  int64
	P50, P99, Max                      string
	Loss                               string
	LossTotal, ByKey, ByID, Violations int64
}

// recoveryRow is a row of the page's recovery table.
type recoveryRow struct {
	Fault, End, Recovery, Bound, Note string
	Recovered                         bool
}

func windowRows(r *report.Results) ([]windowRow, error) {
	var ws []windowView
	if ok, err := readSection(r, "windows", &ws); !ok || err != nil {
		return nil, err
	}
	var out []windowRow
	for _, w := range ws {
		var spans []string
		for _, s := range w.Spans {
			spans = append(spans, fmtSeconds(s.StartMs/1000)+"–"+fmtSeconds(s.EndMs/1000))
		}
		row := windowRow{Name: w.Name, Spans: strings.Join(spans, ", "), Sent: w.Orders.Sent, Completed: w.Orders.Completed,
			Incomplete: w.Orders.Incomplete, Late: w.Orders.Late, Loss: fmtCauses(w.Loss.Dropped), LossTotal: w.Loss.Total,
			ByKey: w.Duplicates.ByKey, ByID: w.Duplicates.ByID, Violations: w.IdempotencyViolations, P50: "–", P99: "–", Max: "–"}
		if row.Spans == "" {
			row.Spans = "empty"
		}
		if w.Loss.DLQ > 0 {
			row.Loss = strings.TrimPrefix(row.Loss+", "+fmtCount(w.Loss.DLQ)+" dlq", ", ")
		}
		if w.E2E.Count > 0 {
			row.P50, row.P99, row.Max = fmtMs(w.E2E.P50), fmtMs(w.E2E.P99), fmtMs(w.E2E.Max)
		}
		out = append(out, row)
	}
	return out, nil
}

func recoveryRows(r *report.Results) ([]recoveryRow, error) {
	var rs []recoveryView
	if ok, err := readSection(r, "recovery", &rs); !ok || err != nil {
		return nil, err
	}
	var out []recoveryRow
	for _, v := range rs {
		row := recoveryRow{Fault: v.Fault, End: fmtSeconds(v.EndMs / 1000), Recovered: v.Recovered, Note: v.Note, Recovery: "not recovered", Bound: "–"}
		if v.Recovered {
			row.Recovery = fmtMs(v.RecoveryMs)
		}
		if v.BoundMs > 0 {
			row.Bound = fmtMs(v.BoundMs)
		}
		out = append(out, row)
	}
	return out, nil
}

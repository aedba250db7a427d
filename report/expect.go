package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/busdrill/busdrill/internal/suggest"
	"github.com/busdrill/busdrill/units"
)

// Condition is a parsed expectation: METRIC OP VALUE, or a boolean metric
// alone ("ledger.balanced"). Conditions are parsed when a scenario loads,
// so a typo is a load error with a line number, not a failed run.
//
// Metrics and their units:
//
//	e2e.STAT, hop.HOP.STAT      latency (duration): STAT is count, min, mean,
//	                            p50, p90, p99, p999 or max
//	orders.planned|sent|late|completed|incomplete   count
//	completion                  completed / sent (ratio, e.g. 99.9%)
//	loss                        deliveries in a DLQ or dropped (count)
//	loss.CAUSE, loss.dlq        by cause (count)
//	in_flight                   deliveries still in flight at cut-off (count)
//	duplicates.by_id|by_key     repeated deliveries at consumers (count)
//	idempotency.violations      second side effects (count)
//	ledger.balanced             every route balances (boolean)
//	recovery.FAULT              time to recover from the fault (duration)
//
// OP is one of < <= > >= == !=. VALUE is a literal in the metric's unit,
// or another metric of the same kind (e.g. loss == orders.sent), read in
// the same window. Where a condition is evaluated (its window) is given
// beside it: see [Condition.EvaluateIn] and [Condition.Validate].
type Condition struct {
	Metric string
	Op     string
	// Value is the threshold in the metric's unit: nanoseconds for
	// durations, a count, a ratio in [0,1], or 1/0 for booleans.
	Value float64
	Ref   string // the right-hand metric of metric OP metric (Value unused)
	kind  metricKind
	text  string
}

type metricKind int

const (
	kindCount metricKind = iota
	kindDuration
	kindRatio
	kindBool
)

var latencyStats = []string{"count", "min", "mean", "p50", "p90", "p99", "p999", "max"}

// Hop names, in journey order.
const (
	HopPutAck   = "put_ack"
	HopDelivery = "ingest_to_delivery"
	HopHandler  = "handler"
	HopFinal    = "delivery_to_order_updated"
	LatencyE2E  = "e2e"
)

// Hops lists the per-hop latencies a run records.
var Hops = []string{HopPutAck, HopDelivery, HopHandler, HopFinal}

func metricKindOf(m string) (metricKind, error) {
	k, err := metricKindOfName(m)
	if err != nil {
		if s := suggest.Closest(m, allMetricNames); s != "" && s != m {
			err = fmt.Errorf("%w; did you mean %q?", err, s)
		}
	}
	return k, err
}

func metricKindOfName(m string) (metricKind, error) {
	parts := strings.Split(m, ".")
	switch parts[0] {
	case "e2e":
		if len(parts) == 2 && contains(latencyStats, parts[1]) {
			return statKind(parts[1]), nil
		}
		return 0, fmt.Errorf("e2e takes one of %s (e.g. e2e.p99)", strings.Join(latencyStats, ", "))
	case "hop":
		if len(parts) == 3 && contains(Hops, parts[1]) && contains(latencyStats, parts[2]) {
			return statKind(parts[2]), nil
		}
		return 0, fmt.Errorf("hop metrics are hop.HOP.STAT with HOP one of %s", strings.Join(Hops, ", "))
	case "orders":
		if len(parts) == 2 && contains(orderCounts, parts[1]) {
			return kindCount, nil
		}
		return 0, fmt.Errorf("orders takes planned, sent, late, completed, incomplete or not_sent")
	case "completion":
		if len(parts) == 1 {
			return kindRatio, nil
		}
	case "loss":
		switch {
		case len(parts) == 1 || len(parts) == 2 && (parts[1] == "dlq" || contains(KnownCauses, parts[1])):
			return kindCount, nil
		case len(parts) == 2 && parts[1] != "":
			// A cause busdrill does not list (a live run may meet new
			// error codes) is accepted, unless it is a typo of one.
			if s := suggest.Closest(parts[1], KnownCauses); s != "" {
				return 0, fmt.Errorf("unknown loss cause %q", parts[1])
			}
			return kindCount, nil
		}
	case "in_flight":
		if len(parts) == 1 {
			return kindCount, nil
		}
	case "duplicates":
		if len(parts) == 2 && (parts[1] == "by_id" || parts[1] == "by_key") {
			return kindCount, nil
		}
		return 0, fmt.Errorf("duplicates takes by_id or by_key")
	case "idempotency":
		if len(parts) == 2 && parts[1] == "violations" {
			return kindCount, nil
		}
	case "ledger":
		if len(parts) == 2 && parts[1] == "balanced" {
			return kindBool, nil
		}
	case "recovery":
		if _, ok := recoveryFault(m); ok {
			return kindDuration, nil
		}
		return 0, fmt.Errorf("recovery takes a fault name (e.g. recovery.disable-billing)")
	}
	return 0, fmt.Errorf("unknown metric %q (see 'busdrill help run' for the list)", m)
}

var orderCounts = []string{"planned", "sent", "late", "completed", "incomplete", "not_sent"}

// allMetricNames is metricNames, computed once.
var allMetricNames = metricNames()

// metricNames lists every metric name without a parameter of the user's
// (recovery.FAULT is left out), for did-you-mean suggestions.
func metricNames() []string {
	var out []string
	for _, st := range latencyStats {
		out = append(out, "e2e."+st)
	}
	for _, h := range Hops {
		for _, st := range latencyStats {
			out = append(out, "hop."+h+"."+st)
		}
	}
	for _, o := range orderCounts {
		out = append(out, "orders."+o)
	}
	out = append(out, "completion", "loss", "loss.dlq")
	for _, c := range KnownCauses {
		out = append(out, "loss."+c)
	}
	return append(out, "in_flight", "duplicates.by_id", "duplicates.by_key", "idempotency.violations", "ledger.balanced")
}

func statKind(s string) metricKind {
	if s == "count" {
		return kindCount
	}
	return kindDuration
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

var ops = []string{"<=", ">=", "==", "!=", "<", ">"}

// ParseCondition parses an expectation condition.
func ParseCondition(s string) (Condition, error) {
	text := strings.TrimSpace(s)
	c := Condition{text: text}
	opAt, op := -1, ""
	for _, o := range ops {
		if i := strings.Index(text, o); i >= 0 && (opAt < 0 || i < opAt) {
			opAt, op = i, o
		}
	}
	if opAt < 0 {
		c.Metric = text
		k, err := metricKindOf(c.Metric)
		if err != nil {
			return c, err
		}
		if k != kindBool {
			return c, fmt.Errorf("%q needs a comparison, e.g. %s < 10", text, text)
		}
		c.kind, c.Op, c.Value = k, "==", 1
		return c, nil
	}
	c.Metric = strings.TrimSpace(text[:opAt])
	c.Op = op
	raw := strings.TrimSpace(text[opAt+len(op):])
	k, err := metricKindOf(c.Metric)
	if err != nil {
		return c, err
	}
	c.kind = k
	if raw == "" {
		return c, fmt.Errorf("missing value after %s", op)
	}
	if ref, isRef, err := metricRef(raw, op, k); isRef {
		c.Ref = ref
		return c, err
	}
	switch k {
	case kindDuration:
		d, err := units.ParseDuration(raw)
		if err != nil {
			return c, fmt.Errorf("%s is a latency: %v", c.Metric, err)
		}
		c.Value = float64(d.D())
	case kindCount:
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return c, fmt.Errorf("%s is a count: want a number, got %q", c.Metric, raw)
		}
		c.Value = v
	case kindRatio:
		p, err := units.ParseProbability(raw)
		if err != nil {
			return c, fmt.Errorf("%s is a ratio: %v", c.Metric, err)
		}
		c.Value = p.Float()
	case kindBool:
		switch raw {
		case "true":
			c.Value = 1
		case "false":
			c.Value = 0
		default:
			return c, fmt.Errorf("%s is true or false, got %q", c.Metric, raw)
		}
		if op != "==" && op != "!=" {
			return c, fmt.Errorf("%s is a boolean: compare it with == or !=", c.Metric)
		}
	}
	return c, nil
}

// String returns the condition as written.
func (c Condition) String() string { return c.text }

// Evaluate checks the condition against results, over the whole run
// (window "all"): see [Condition.EvaluateIn].
func (c Condition) Evaluate(r *Results) (ok bool, observed, threshold string) {
	return c.EvaluateIn(r, WindowAll)
}

func (c Condition) format(v float64) string {
	switch c.kind {
	case kindDuration:
		return FormatDuration(time.Duration(v))
	case kindRatio:
		return strconv.FormatFloat(math.Round(v*1e4)/1e2, 'f', -1, 64) + "%"
	case kindBool:
		return strconv.FormatBool(v != 0)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// observe reads the metric's value from results; false when absent.
func (c Condition) observe(r *Results) (float64, bool) {
	parts := strings.Split(c.Metric, ".")
	switch parts[0] {
	case "e2e", "hop":
		name, stat := LatencyE2E, parts[1]
		if parts[0] == "hop" {
			name, stat = parts[1], parts[2]
		}
		s, ok := r.Latency[name]
		if !ok || s.Count == 0 {
			return 0, stat == "count"
		}
		return statValue(s, stat), true
	case "orders":
		o := r.Orders
		return float64(map[string]int64{"planned": o.Planned, "sent": o.Sent, "late": o.Late,
			"completed": o.Completed, "incomplete": o.Incomplete, "not_sent": o.NotSent}[parts[1]]), true
	case "completion":
		if r.Orders.Sent == 0 {
			return 0, false
		}
		return float64(r.Orders.Completed) / float64(r.Orders.Sent), true
	case "loss":
		var n int64
		for _, rt := range r.Ledger.Routes {
			switch {
			case len(parts) == 1:
				n += rt.DLQ + sumDropped(rt.Dropped)
			case parts[1] == "dlq":
				n += rt.DLQ
			default:
				n += rt.Dropped[parts[1]]
			}
		}
		return float64(n), true
	case "in_flight":
		var n int64
		for _, rt := range r.Ledger.Routes {
			n += rt.InFlight
		}
		return float64(n), true
	case "duplicates":
		var n int64
		for _, d := range r.Duplicates {
			if parts[1] == "by_id" {
				n += d.ByID
			} else {
				n += d.ByKey
			}
		}
		return float64(n), true
	case "idempotency":
		return float64(r.Idempotency.Violations), true
	case "ledger":
		if r.Ledger.Balanced {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func statValue(s Summary, stat string) float64 {
	ms := map[string]float64{"min": s.Min, "mean": s.Mean, "p50": s.P50, "p90": s.P90,
		"p99": s.P99, "p999": s.P999, "max": s.Max}
	if stat == "count" {
		return float64(s.Count)
	}
	return ms[stat] * float64(time.Millisecond)
}

func sumDropped(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// FormatDuration prints a latency for people: 412ms, 7.21s, 2m3s.
func FormatDuration(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return strconv.FormatFloat(float64(d)/1e3, 'f', -1, 64) + "µs"
	case d < time.Second:
		return strconv.FormatFloat(math.Round(float64(d)/1e4)/100, 'f', -1, 64) + "ms"
	case d < time.Minute:
		return strconv.FormatFloat(math.Round(float64(d)/1e7)/100, 'f', -1, 64) + "s"
	}
	return d.Round(time.Second).String()
}

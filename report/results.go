package report

import (
	"time"

	"github.com/busdrill/busdrill/chaos"
)

// Schema identifies the results format. It changes only when a key changes
// meaning or disappears; adding keys keeps it.
const Schema = "busdrill.results/v1"

// Results is the contract written to results.json: everything a run
// measured, and nothing about the machine it ran on (wall-clock facts go to
// meta.json), so the same scenario, seed and version give a byte-identical
// file. docs/results.md documents every key.
type Results struct {
	Schema   string `json:"schema"`
	Scenario string `json:"scenario"`
	Seed     uint64 `json:"seed"`
	// Target is "sim" for the model, "aws" for a deployed backbone.
	Target  string `json:"target"`
	Version string `json:"version"`
	// Shard is set when the run was one shard of a larger schedule.
	Shard *Shard `json:"shard,omitempty"`
	// Interrupted marks partial results of a run stopped by a signal or
	// a stop condition.
	Interrupted bool `json:"interrupted,omitempty"`

	Window      Window             `json:"window"`
	Orders      Orders             `json:"orders"`
	Latency     map[string]Summary `json:"latency"`
	Histograms  map[string]string  `json:"histograms"`
	Ledger      Ledger             `json:"ledger"`
	Duplicates  []Duplicates       `json:"duplicates"`
	Idempotency Idempotency        `json:"idempotency"`
	Faults      []Fault            `json:"faults"`
	Windows     []WindowResult     `json:"windows,omitempty"`
	Recovery    []Recovery         `json:"recovery,omitempty"`
	Series      []Point            `json:"series"`
	// SeriesStep is the width of a series point in seconds, when it is
	// not one second (a run over an hour: see SeriesStep).
	SeriesStep   int64            `json:"series_step_s,omitempty"`
	Quotas       []Headroom       `json:"quotas"`
	Metrics      map[string]int64 `json:"metrics,omitempty"`
	Expectations []Expectation    `json:"expectations"`
	Verdict      string           `json:"verdict"`

	// Anomalies counts observations that contradicted the recorder's
	// contract (a journey sent twice, completed without being sent, ...);
	// the names are the Anomaly* constants. Absent in a healthy run.
	Anomalies map[string]int64 `json:"anomalies,omitempty"`
}

// Verdicts.
const (
	VerdictPass = "pass"
	VerdictFail = "fail"
)

// Shard says which part of a sharded schedule a run covered.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// Window is the run's virtual (or, live, elapsed) time frame in ms:
// traffic from 0 to TrafficMs, then a drain until CutoffMs, when whatever
// has not arrived is counted in flight.
type Window struct {
	TrafficMs float64 `json:"traffic_ms"`
	CutoffMs  float64 `json:"cutoff_ms"`
}

// Orders counts journeys. Planned = Sent + NotSent (+ orders the run
// never reached, when interrupted); Completed + Incomplete = Sent. Late
// orders are among the sent.
type Orders struct {
	Planned    int64 `json:"planned"`
	Sent       int64 `json:"sent"`
	Late       int64 `json:"late"`
	Completed  int64 `json:"completed"`
	Incomplete int64 `json:"incomplete"`
	// NotSent counts orders that could never be published, by cause in
	// NotSentCauses.
	NotSent       int64            `json:"not_sent"`
	NotSentCauses map[string]int64 `json:"not_sent_causes,omitempty"`
}

// Summary is a latency distribution's headline numbers, in milliseconds.
type Summary struct {
	Count int64   `json:"count"`
	Min   float64 `json:"min"`
	Mean  float64 `json:"mean"`
	P50   float64 `json:"p50"`
	P90   float64 `json:"p90"`
	P99   float64 `json:"p99"`
	P999  float64 `json:"p999"`
	Max   float64 `json:"max"`
	// Clamped counts values outside the histogram's range (negative, or
	// over 7 days), recorded at the nearest bound.
	Clamped int64 `json:"clamped,omitempty"`
}

// Ledger accounts for every expected delivery on every route.
type Ledger struct {
	Routes   []Route `json:"routes"`
	Balanced bool    `json:"balanced"`
}

// Route is one (sender account → consumer) pair. Expected = Delivered +
// DLQ + sum(Dropped) + InFlight when the route balances; when more
// deliveries ended than were expected, InFlight is 0, the excess is
// Unexpected and the route is not balanced.
type Route struct {
	From      string           `json:"from"`
	To        string           `json:"to"`
	Expected  int64            `json:"expected"`
	Delivered int64            `json:"delivered"`
	DLQ       int64            `json:"dlq"`
	Dropped   map[string]int64 `json:"dropped"`
	InFlight  int64            `json:"in_flight"`
	Balanced  bool             `json:"balanced"`
	// DLQCauses splits DLQ by the cause of the last failure.
	DLQCauses map[string]int64 `json:"dlq_causes,omitempty"`
	// Unexpected counts terminal outcomes beyond the expected deliveries.
	Unexpected int64 `json:"unexpected"`
}

// Duplicates counts repeated deliveries at one consumer.
type Duplicates struct {
	Consumer string `json:"consumer"`
	// Deliveries counts every delivery the consumer saw, duplicates
	// included.
	Deliveries int64 `json:"deliveries"`
	// ByID counts deliveries whose envelope id was already seen.
	ByID int64 `json:"by_id"`
	// ByKey counts deliveries whose business key was already seen.
	ByKey int64 `json:"by_key"`
	// SideEffects counts the side effects the consumer performed.
	SideEffects int64 `json:"side_effects"`
}

// Idempotency counts second side effects at consumers.
type Idempotency struct {
	Violations int64            `json:"violations"`
	ByConsumer map[string]int64 `json:"by_consumer,omitempty"`
}

// Fault is one compiled fault window of the timeline.
type Fault struct {
	Name    string  `json:"name"`
	Kind    string  `json:"kind"`
	Target  string  `json:"target"`
	StartMs float64 `json:"start_ms"`
	EndMs   float64 `json:"end_ms"`
	// Effect, when set, says the fault changed nothing, and why (the
	// rule it disables was already disabled).
	Effect string `json:"effect,omitempty"`
}

// FaultOf is the timeline entry of a compiled fault: what each world
// records (Recorder.Fault) when the fault's schedule starts.
func FaultOf(f *chaos.Fault) Fault {
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return Fault{Name: f.Name, Kind: f.Kind, Target: f.Target, StartMs: ms(f.Start), EndMs: ms(f.End)}
}

// Point is one step of the time series (a second, or SeriesStep
// seconds); Second is when it starts.
type Point struct {
	Second    int64   `json:"t"`
	Sent      int64   `json:"sent"`
	Delivered int64   `json:"delivered"`
	Completed int64   `json:"completed"`
	Throttled int64   `json:"throttled"`
	Late      int64   `json:"late"`
	DLQ       int64   `json:"dlq"`
	P50Ms     float64 `json:"p50_ms"`
	P99Ms     float64 `json:"p99_ms"`
}

// Headroom compares the peak rate a run reached with the quota in force.
type Headroom struct {
	Quota   string  `json:"quota"`
	Account string  `json:"account"`
	Limit   float64 `json:"limit_per_s"`
	Peak    float64 `json:"peak_per_s"`
	// Used is Peak / Limit.
	Used float64 `json:"used"`
}

// Expectation is one evaluated SLO.
type Expectation struct {
	Name      string `json:"name"`
	OK        bool   `json:"ok"`
	Observed  string `json:"observed"`
	Threshold string `json:"threshold"`
	// Window is where it was evaluated: "all" (or empty: the whole
	// run), "steady", "during:FAULT" or "after:FAULT".
	Window string `json:"window,omitempty"`
}

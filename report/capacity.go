package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// CapacitySchema identifies the capacity.json format (busdrill capacity).
// It changes only when a key changes meaning or disappears.
const CapacitySchema = "busdrill.capacity/v1"

// Capacity is the answer of a capacity search, written to capacity.json
// and printed by busdrill capacity --json: the highest rate the scenario
// sustains, the limit that binds there, the headroom of every other one,
// what raising the binding limit would give (Next), every probe, and the
// cost. Like results.json it holds nothing about the machine: the same
// scenario, seed, flags and version give a byte-identical file.
type Capacity struct {
	Schema   string `json:"schema"`
	Scenario string `json:"scenario"`
	Seed     uint64 `json:"seed"`
	Version  string `json:"version"`
	// Traffic is the scenario's own traffic shape; rates are its peak,
	// scaled.
	Traffic string `json:"traffic"`
	// Set lists the --set overrides the search ran with.
	Set []string `json:"set"`
	// SustainableRate is the highest peak rate found sustainable, in
	// orders per second (0: none in the range searched);
	// LowestFailingRate the lowest found not sustainable (0: none).
	SustainableRate   float64 `json:"sustainable_rate"`
	LowestFailingRate float64 `json:"lowest_failing_rate"`
	Precision         float64 `json:"precision"`
	Min               float64 `json:"min"`
	Max               float64 `json:"max"`
	// End says why the search stopped: converged, sustainable at --max,
	// not sustainable at --min, probe limit, interrupted.
	End         string `json:"end"`
	Interrupted bool   `json:"interrupted,omitempty"`
	// Binding is the constraint that binds at the answer (nil when the
	// search found no failure to explain).
	Binding *CapacityConstraint `json:"binding"`
	// Headroom is every other constraint's use at the answer, busiest
	// first.
	Headroom []CapacityConstraint `json:"headroom"`
	// Next raises the binding limit and searches again, step by step.
	Next []CapacityStep `json:"next"`
	// Probes is every rate tried, in order (Step 0 the main search, n
	// the n-th next step's).
	Probes []CapacityProbe `json:"probes"`
	// Cost is EventBridge's cost per million orders at the answer.
	Cost *CapacityCost `json:"cost"`
	// Criteria say what sustainable meant for this scenario, and
	// Skipped the scenario's expectations that were not criteria (they
	// assert the failure the experiment provokes).
	Criteria []string             `json:"criteria"`
	Skipped  []SkippedExpectation `json:"skipped_expectations"`
}

// CapacityConstraint is one limit of the backbone and its use at a rate.
type CapacityConstraint struct {
	// Kind: putevents-quota, invocations-quota, handler-concurrency,
	// target-throughput, retry-exhaustion, event-age, or expectation (a
	// scenario expectation that fails before any limit saturates).
	Kind string `json:"kind"`
	// Account is the 12-digit account id, AccountName its name in the
	// scenario; Name what within it (PutEvents, a handler, a target, an
	// expectation).
	Account     string `json:"account"`
	AccountName string `json:"account_name"`
	Name        string `json:"name"`
	// Limit in Unit (requests/s, invocations/s, concurrent executions,
	// retry attempts, seconds).
	Limit float64 `json:"limit"`
	Unit  string  `json:"unit"`
	// Utilisation is the share of the limit used at the rate (1 = 100%).
	Utilisation float64 `json:"utilisation"`
	// PerOrder is the demand one order makes on the limit (requests,
	// invocations, busy seconds); SaturatesAt the rate at which the
	// limit would be fully used if use grows in proportion (0 for the
	// kinds that do not).
	PerOrder    float64 `json:"per_order,omitempty"`
	SaturatesAt float64 `json:"saturates_at,omitempty"`
	// Set is the --set name that changes the limit ("" when it cannot
	// be changed).
	Set string `json:"set,omitempty"`
	// For the binding constraint: its utilisation at the lowest failing
	// rate, and what failed there because of it.
	UtilisationAbove float64  `json:"utilisation_above,omitempty"`
	Evidence         []string `json:"evidence,omitempty"`
}

// CapacityStep is one step of Next: the limit raised (Kind, Account,
// Name: from Limit to RaisedTo, with Set), the rate reached then, and
// what binds there.
type CapacityStep struct {
	Kind        string  `json:"kind"`
	Account     string  `json:"account"`
	AccountName string  `json:"account_name"`
	Name        string  `json:"name"`
	Limit       float64 `json:"limit"`
	RaisedTo    float64 `json:"raised_to"`
	Unit        string  `json:"unit"`
	Set         string  `json:"set"`
	// Rate is the sustainable rate with the limit raised (and the
	// previous steps' raises), End how that search ended.
	Rate    float64             `json:"rate"`
	End     string              `json:"end"`
	Binding *CapacityConstraint `json:"binding"`
}

// CapacityProbe is one rate tried.
type CapacityProbe struct {
	Step int     `json:"step"`
	Rate float64 `json:"rate"`
	Pass bool    `json:"pass"`
	// Why says why it failed (each reason), or what made it pass.
	Why []string `json:"why"`
	// TrafficS is the traffic window simulated, in seconds (shorter than
	// the scenario's when the probe budget shortened it: Shortened).
	TrafficS  float64 `json:"traffic_s"`
	Shortened bool    `json:"shortened,omitempty"`
	Orders    int64   `json:"orders"`
	// E2EP99Ms is the end-to-end p99 latency (0: no journey completed);
	// Lost the deliveries lost; InFlight those still in flight at
	// cut-off; PeakBacklog the most invocations waiting in one handler;
	// PeakWaitS the longest an invocation waited for a handler or the
	// invocations quota.
	E2EP99Ms    float64 `json:"e2e_p99_ms"`
	Lost        int64   `json:"lost"`
	InFlight    int64   `json:"in_flight"`
	PeakBacklog int64   `json:"peak_backlog"`
	PeakWaitS   float64 `json:"peak_wait_s"`
	// Busiest is the most used constraint at the rate.
	Busiest *CapacityConstraint `json:"busiest,omitempty"`
}

// CapacityCost is EventBridge's cost per million orders at a rate, from
// the billed events one order causes and a price table.
type CapacityCost struct {
	AtRate        float64    `json:"at_rate"`
	USDPerMillion float64    `json:"usd_per_million_orders"`
	Lines         []CostLine `json:"lines"`
	Prices        PriceTable `json:"prices"`
}

// CostLine is one billed item: events per order (64 KB chunks), its price
// per million and what it comes to per million orders.
type CostLine struct {
	Item          string  `json:"item"`
	PerOrder      float64 `json:"per_order"`
	USDPerMillion float64 `json:"usd_per_million"`
	USDPerMOrders float64 `json:"usd_per_million_orders"`
}

// PriceTable is the price of each billed item, with where it comes from.
type PriceTable struct {
	// Date is when the prices were looked up; Region the Region they are
	// for; Overridden names the items --price changed.
	Date       string   `json:"date"`
	Region     string   `json:"region"`
	Items      []Price  `json:"items"`
	Overridden []string `json:"overridden,omitempty"`
}

// Price is one item's price in US dollars per million billed events.
type Price struct {
	Item          string  `json:"item"`
	USDPerMillion float64 `json:"usd_per_million"`
	Source        string  `json:"source"`
	Note          string  `json:"note,omitempty"`
}

// SkippedExpectation is a scenario expectation a capacity search does not
// judge a rate by, and why.
type SkippedExpectation struct {
	Expectation string `json:"expectation"`
	Why         string `json:"why"`
}

// WriteJSON writes c as capacity.json: indented, a trailing newline, nil
// lists as [].
func (c *Capacity) WriteJSON(w io.Writer) error {
	out := *c
	if out.Set == nil {
		out.Set = []string{}
	}
	if out.Headroom == nil {
		out.Headroom = []CapacityConstraint{}
	}
	if out.Next == nil {
		out.Next = []CapacityStep{}
	}
	if out.Probes == nil {
		out.Probes = []CapacityProbe{}
	}
	if out.Criteria == nil {
		out.Criteria = []string{}
	}
	if out.Skipped == nil {
		out.Skipped = []SkippedExpectation{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&out); err != nil {
		return fmt.Errorf("encoding capacity: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

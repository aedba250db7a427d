package actors

import (
	"time"

	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/topology"
)

// Plan is what every runtime sets a run up with, from the scenario: the
// recorder's configuration (the window, the shard, the quotas, the fault
// windows) — so that results.json means the same thing whatever the
// target. The finish is the scenario's: [scenarios.Scenario.Conditions].
type Plan struct {
	Scenario *scenarios.Scenario
	// Target is "sim" or "aws"; Version is stamped into the results.
	Target, Version string
	Shard           loadgen.Shard
	// Traffic and Cutoff bound the run (the cut-off is traffic + drain).
	Traffic, Cutoff time.Duration
	// ControlPlaneLag shifts the control-plane faults' windows to when
	// they take effect: the model's lag, 0 live (a real account's is
	// unknown: a fault's window is when its change was made).
	ControlPlaneLag time.Duration
	// LateTolerance: an order sent later than this is late (0: the
	// recorder's default).
	LateTolerance time.Duration
	// Quotas are the per-account quotas in force (see QuotasFor).
	Quotas []report.Quota
}

// Recorder returns the run's recorder.
func (p Plan) Recorder() *report.Recorder {
	sc := p.Scenario
	cfg := report.Config{
		Scenario: sc.Name, Target: p.Target, Version: p.Version, Seed: sc.Seed,
		Traffic: p.Traffic, Cutoff: p.Cutoff, LateTolerance: p.LateTolerance,
		Quotas: p.Quotas, Windows: sc.Faults.Windows(p.ControlPlaneLag),
	}
	if p.Shard.Count > 1 {
		cfg.Shard = &report.Shard{Index: int(p.Shard.Index), Count: int(p.Shard.Count)}
	}
	return report.NewRecorder(cfg)
}

// QuotasFor resolves the quotas a run on sc is measured against: the model
// section's, else the Region's defaults.
func QuotasFor(sc *scenarios.Scenario, region string) []report.Quota {
	put, inv := sc.Model.PutEventsTPS, sc.Model.InvocationsTPS
	if put <= 0 {
		put = topology.PutEventsTPSByRegion(region)
	}
	if inv <= 0 {
		inv = topology.InvocationsTPSByRegion(region)
	}
	return Quotas(sc.Topology.Accounts, func(string) (float64, float64) { return put, inv })
}

// Quotas lists the PutEvents and invocations quotas of every account, as
// of says them (an account's own may differ from the others').
func Quotas(accounts []topology.Account, of func(account string) (putEventsTPS, invocationsTPS float64)) []report.Quota {
	out := make([]report.Quota, 0, 2*len(accounts))
	for _, a := range accounts {
		put, inv := of(a.Name)
		out = append(out,
			report.Quota{Name: report.QuotaPutEvents, Account: a.Name, Limit: put},
			report.Quota{Name: report.QuotaInvocations, Account: a.Name, Limit: inv})
	}
	return out
}

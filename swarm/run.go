package swarm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/runner"
)

// seedOutcome is one seed's run: its record, and its results while the
// swarm needs them.
type seedOutcome struct {
	run SeedRun
	res *report.Results
}

// runInstance runs a seed's scenario in the simulator (nothing is
// written) and returns its results and results.json.
func runInstance(ctx context.Context, in *instance) (*report.Results, []byte, error) {
	out, err := runner.RunSim(ctx, runner.SimOptions{Scenario: in.sc})
	if err != nil {
		return nil, nil, err
	}
	return out.Results, out.JSON, nil
}

// runSeed runs seed once (twice when twice is set: the second run loads
// the scenario again and must give a byte-identical results.json) and
// records it: each expectation's outcome and value, the invariants it
// broke, the digest of its results.
func (s *subject) runSeed(ctx context.Context, seed uint64, twice bool) seedOutcome {
	o := seedOutcome{run: SeedRun{Seed: seed}}
	in, err := s.instance(seed)
	if err != nil {
		o.run.Status, o.run.Error = StatusError, err.Error()
		return o
	}
	o.run.Varied = in.varied.String()
	res, js, err := runInstance(ctx, in)
	switch {
	case err != nil:
		o.run.Status, o.run.Error = StatusError, err.Error()
		return o
	case res.Interrupted:
		o.run.Status = StatusInterrupted
		return o
	}
	o.res = res
	o.run.Sent = res.Orders.Sent
	o.run.Digest = digest(js)
	o.run.Status = StatusPass
	if res.Verdict == report.VerdictFail {
		o.run.Status = StatusFail
	}
	o.run.Expect = s.outcomes(in, res)
	o.run.Invariants = checkInvariants(in.sc, res)
	if twice {
		o.run.Replay = s.replay(ctx, seed, js)
	}
	return o
}

// outcomes are the expectations' outcomes in the written order: those
// the variation left out are "na".
func (s *subject) outcomes(in *instance, res *report.Results) []SeedExpect {
	out := make([]SeedExpect, len(s.expect))
	for i := range out {
		out[i].Status = statusNA
	}
	for j, e := range res.Expectations {
		i := in.kept[j]
		x := &out[i]
		x.Status = StatusPass
		if !e.OK {
			x.Status, x.Observed = StatusFail, e.Observed
		}
		if v, found := s.expect[i].cond.Observe(res, e.Window); found {
			v = s.expect[i].cond.InUnit(v)
			x.Value = &v
		}
	}
	return out
}

// replay runs seed again from a fresh load and compares its results.json
// with first: "identical", or where they first differ; "" when the second
// run was interrupted (nothing was checked).
func (s *subject) replay(ctx context.Context, seed uint64, first []byte) string {
	in, err := s.instance(seed)
	if err != nil {
		return "the second run's scenario did not load: " + err.Error()
	}
	res, js, err := runInstance(ctx, in)
	switch {
	case err != nil:
		return "the second run failed: " + err.Error()
	case res.Interrupted:
		return ""
	}
	return compareRuns(first, js)
}

// Replay outcomes.
const replayIdentical = "identical"

// compareRuns says whether two results.json are byte-identical, or where
// they first differ.
func compareRuns(first, second []byte) string {
	if bytes.Equal(first, second) {
		return replayIdentical
	}
	if d, ok := firstDifference(first, second); ok {
		return "differs at " + d.String() + " (first run vs second)"
	}
	return "differs in layout only (same JSON, other bytes)"
}

// digest is the first 16 hex digits of data's SHA-256.
func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}

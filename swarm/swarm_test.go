package swarm

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/chaos"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/runner"
	"github.com/busdrill/busdrill/scenarios"
)

// rarePoison is swarm/testdata/rare-poison.yaml: four faults, of which
// only a rare poison order loses anything, for some seeds only.
func rarePoison(t *testing.T) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.LoadFile("testdata/rare-poison.yaml", scenarios.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestSwarmFindsAndShrinksARareFailure is the swarm's purpose in one
// test: over seeds 1–20 the expectation loss == 0 of rare-poison holds
// for some seeds and fails for others; the lowest failing seed is shrunk
// to the one fault that matters (the poison), without the services and
// accounts it does not need, keeping the seed; the minimal scenario
// replays, and run again from its file with the seed it fails the same
// way, with the results written beside it. (cmd/busdrill's
// TestSwarmReproLine runs the printed repro line.)
func TestSwarmFindsAndShrinksARareFailure(t *testing.T) {
	out := t.TempDir()
	res, err := Run(context.Background(), Options{
		Scenarios: []*scenarios.Scenario{rarePoison(t)}, Seeds: Seeds{First: 1, Last: 20},
		ReplayEvery: 5, Shrink: true, Out: out,
	})
	if err != nil {
		t.Fatal(err)
	}
	sum := res.Summaries[0]
	loss := sum.Expectations[0]
	if loss.Name != "loss == 0" || loss.Passed == 0 || loss.Failed == 0 || loss.Share <= 0 || loss.Share >= 1 {
		t.Fatalf("loss == 0 should hold for some seeds and fail for others: %+v", loss)
	}
	for _, st := range sum.Expectations[1:] {
		if st.Share != 1 {
			t.Errorf("%s fails for some seeds: %+v", st.Name, st)
		}
	}
	if sum.Tally.Broken != 0 || sum.Tally.NotReplayable != 0 || sum.Tally.Replayed != 4 || !res.Failed() || sum.Verdict != VerdictFail {
		t.Errorf("tally %+v, verdict %s", sum.Tally, sum.Verdict)
	}
	if len(sum.Shrinks) != 1 {
		t.Fatalf("%d shrinks, want one (for loss == 0)", len(sum.Shrinks))
	}
	sh := sum.Shrinks[0]
	if sh.Seed != loss.FailedSeeds[0] || sh.Expectation != "loss == 0" || !sh.Complete || !sh.Replayed || sh.Problem != "" {
		t.Fatalf("shrink %+v", sh)
	}
	// The minimal scenario: the poison alone, no billing.
	dir := filepath.Join(res.Dirs[0], sh.Dir)
	minimal, err := scenarios.LoadFile(filepath.Join(dir, MinimalFile), scenarios.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(minimal.Faults.Faults); n != 1 || minimal.Faults.Faults[0].Kind != chaos.KindPoison {
		t.Errorf("the minimal scenario keeps faults %v, want the poison alone", minimal.Faults.Names())
	}
	for _, svc := range minimal.Services {
		if svc.Name == "billing" {
			t.Error("the minimal scenario keeps the billing service")
		}
	}
	for _, a := range minimal.Topology.Accounts {
		if a.Name == "billing" {
			t.Error("the minimal scenario keeps the billing account")
		}
	}
	if len(minimal.Expect) != 1 || minimal.Expect[0].Name != "loss == 0" || minimal.Seed != sh.Seed {
		t.Errorf("the minimal scenario: expectations %v, seed %d", minimal.Conditions(), minimal.Seed)
	}
	if minimal.PlannedOrders(1) >= rarePoison(t).PlannedOrders(1) {
		t.Errorf("the minimal scenario plans %v orders, no fewer than the original", minimal.PlannedOrders(1))
	}
	// Run from its file with the seed, it fails the same way, and gives
	// the results written beside it.
	minimal.Seed = sh.Seed
	o, err := runner.RunSim(context.Background(), runner.SimOptions{Scenario: minimal})
	if err != nil {
		t.Fatal(err)
	}
	if e := o.Results.Expectations[0]; e.OK || e.Observed != sh.MinimalObserved {
		t.Errorf("the minimal scenario gives %+v, the shrink said observed %s", e, sh.MinimalObserved)
	}
	written, err := os.ReadFile(filepath.Join(dir, runner.ResultsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(written, o.JSON) {
		d, _ := firstDifference(written, o.JSON)
		t.Errorf("the minimal run's results.json is not what the file gives: %s", d)
	}
	// The issue body stands alone: what failed, observed and expected,
	// the repro line, the scenario inline, the version.
	issue, err := os.ReadFile(filepath.Join(dir, IssueFile))
	if err != nil {
		t.Fatal(err)
	}
	src, _ := os.ReadFile(filepath.Join(dir, MinimalFile))
	for _, want := range []string{"`loss == 0` fails for seed", "| minimal scenario | " + sh.MinimalObserved + " | == 0 |",
		ReproCommand(MinimalFile, sh.Seed), "removed fault slow-deliveries (latency)", "```yaml\n" + string(src) + "```", "busdrill version: `"} {
		if !strings.Contains(string(issue), want) {
			t.Errorf("issue.md does not say %q:\n%s", want, issue)
		}
	}
	// The failing seed's own outputs are written, as it ran.
	if _, err := os.Stat(filepath.Join(res.Dirs[0], seedDir(sh.Seed), runner.ResultsFile)); err != nil || !slices.Contains(sum.Reported, sh.Seed) {
		t.Errorf("the failing seed's results: %v (reported %v)", err, sum.Reported)
	}
}

// TestSwarmIsIndependentOfWorkersAndShards: one worker or three, whole or
// in three shards merged, a swarm writes the same swarm.json and the same
// shrink, byte for byte.
func TestSwarmIsIndependentOfWorkersAndShards(t *testing.T) {
	seeds := Seeds{First: 1, Last: 12}
	run := func(jobs int, seeds Seeds, out string) *Result {
		t.Helper()
		res, err := Run(context.Background(), Options{
			Scenarios: []*scenarios.Scenario{rarePoison(t)}, Seeds: seeds, Jobs: jobs,
			ReplayEvery: 4, Shrink: true, ShrinkRuns: 40, Out: out,
		})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	one := run(1, seeds, t.TempDir())
	three := run(3, seeds, t.TempDir())
	if len(one.Summaries[0].Shrinks) == 0 {
		t.Fatal("seeds 1–12 gave no failure: the test would prove less")
	}
	files := func(res *Result) map[string][]byte {
		out := map[string][]byte{}
		dir := res.Dirs[0]
		add := func(rel string) {
			b, err := os.ReadFile(filepath.Join(dir, rel))
			if err != nil {
				t.Fatal(err)
			}
			out[rel] = b
		}
		add(SummaryFile)
		for _, sh := range res.Summaries[0].Shrinks {
			add(filepath.Join(sh.Dir, MinimalFile))
			add(filepath.Join(sh.Dir, IssueFile))
			add(filepath.Join(sh.Dir, runner.ResultsFile))
		}
		for _, seed := range res.Summaries[0].Reported {
			add(filepath.Join(seedDir(seed), runner.ResultsFile))
		}
		return out
	}
	same := func(what string, a, b map[string][]byte) {
		t.Helper()
		if len(a) != len(b) {
			t.Errorf("%s: %d files, want %d", what, len(b), len(a))
		}
		for name, want := range a {
			if got := b[name]; !bytes.Equal(got, want) {
				d, _ := firstDifference(want, got)
				t.Errorf("%s: %s differs: %s", what, name, d)
			}
		}
	}
	want := files(one)
	same("three workers", want, files(three))

	shardsOut := t.TempDir()
	for i := range uint64(3) {
		sh := seeds
		sh.Shard = loadgen.Shard{Index: i, Count: 3}
		run(2, sh, shardsOut)
	}
	mergedOut := t.TempDir()
	merged, err := MergeFiles([]string{shardsOut}, mergedOut)
	if err != nil {
		t.Fatal(err)
	}
	same("three shards merged", want, files(merged))
}

// TestMergeRefusesStrangers: shards of another swarm, a shard twice, a
// shard missing.
func TestMergeRefusesStrangers(t *testing.T) {
	out := t.TempDir()
	sc := rarePoison(t)
	for _, c := range []struct {
		seeds Seeds
		vary  string
	}{
		{Seeds{First: 1, Last: 4, Shard: loadgen.Shard{Index: 0, Count: 2}}, ""},
		{Seeds{First: 1, Last: 4, Shard: loadgen.Shard{Index: 1, Count: 2}}, "rate"},
	} {
		if _, err := Run(context.Background(), Options{Scenarios: []*scenarios.Scenario{sc}, Seeds: c.seeds, Vary: c.vary, Out: filepath.Join(out, c.vary+"x")}); err != nil {
			t.Fatal(err)
		}
	}
	a := filepath.Join(out, "x", "rare-poison", "swarm", "shard-0-of-2", SummaryFile)
	b := filepath.Join(out, "ratex", "rare-poison", "swarm", "shard-1-of-2", SummaryFile)
	for _, c := range []struct {
		files []string
		want  string
	}{
		{[]string{a, b}, "not shards of one swarm"},
		{[]string{a}, "shards 1 of 2 are missing"},
		{[]string{a, a}, "are missing"}, // the same file twice is read once
	} {
		_, err := MergeFiles(c.files, t.TempDir())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("merging %v: %v, want %q", c.files, err, c.want)
		}
	}
}

// TestInterruptWritesTheBestShrink: a swarm interrupted while it shrinks
// writes swarm.json marked interrupted and the shrink as far as it got.
func TestInterruptWritesTheBestShrink(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	res, err := Run(ctx, Options{
		Scenarios: []*scenarios.Scenario{rarePoison(t)}, Seeds: Seeds{First: 9, Last: 9}, Shrink: true, Out: t.TempDir(),
		Progress: func(p Progress) {
			if p.Shrinking != "" {
				cancel()
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	sum := res.Summaries[0]
	if !res.Interrupted || !sum.Interrupted || len(sum.Shrinks) != 1 {
		t.Fatalf("interrupted %v, summary %+v", res.Interrupted, sum)
	}
	sh := sum.Shrinks[0]
	if sh.Complete || sh.Replayed || len(sh.Steps) != 0 {
		t.Errorf("an interrupted shrink: %+v", sh)
	}
	written, err := ReadSummary(filepath.Join(res.Dirs[0], SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if !written.Interrupted || len(written.Runs) != 1 {
		t.Errorf("swarm.json: interrupted %v, %d runs", written.Interrupted, len(written.Runs))
	}
	min, err := scenarios.LoadFile(filepath.Join(res.Dirs[0], sh.Dir, MinimalFile), scenarios.LoadOptions{})
	if err != nil {
		t.Fatalf("the best shrink so far: %v", err)
	}
	if len(min.Faults.Faults) != 4 || len(min.Expect) != 1 {
		t.Errorf("the best shrink so far is the seed's scenario with its one failing expectation: %d faults, %d expectations", len(min.Faults.Faults), len(min.Expect))
	}
}

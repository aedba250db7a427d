package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/swarm"
)

const rarePoison = "../../swarm/testdata/rare-poison.yaml"

// TestSwarmReproLine: busdrill swarm finds the seeds of rare-poison that
// lose an order, exits 1, and prints a repro line; that line, run as
// printed, fails the same expectation with the value the shrink printed.
func TestSwarmReproLine(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI("", "swarm", rarePoison, "--seeds", "20", "--out", dir, "--jobs", "2")
	if code != exitFail {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitFail, out, errs)
	}
	if !regexp.MustCompile(`(?m)^FAIL  rare-poison · seeds 1–20: 20 run, \d+ passed, \d+ failed · invariants held`).MatchString(out) {
		t.Errorf("no FAIL line:\n%s", out)
	}
	m := regexp.MustCompile(`(?m)observed (\S+), expected == 0; replays byte-identically\n\s+repro: (busdrill run .+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no repro line:\n%s", out)
	}
	observed, repro := m[1], strings.Fields(m[2])
	if len(repro) != 5 || repro[3] != "--seed" {
		t.Fatalf("repro line %q", m[2])
	}
	code, js, errs := runCLI("", append(repro[1:], "--out", filepath.Join(dir, "repro"), "--json")...)
	if code != exitFail {
		t.Fatalf("%s: exit %d, want %d\n%s", m[2], code, exitFail, errs)
	}
	var r report.Results
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Expectations) != 1 || r.Expectations[0].Name != "loss == 0" || r.Expectations[0].OK || r.Expectations[0].Observed != observed {
		t.Errorf("%s gives %+v, want loss == 0 failing with %s", m[2], r.Expectations, observed)
	}
	if len(r.Faults) != 1 || r.Faults[0].Kind != "poison" {
		t.Errorf("the repro runs faults %+v, want the poison alone", r.Faults)
	}
}

// TestSwarmInputErrors: what swarm refuses before running anything, with
// one line saying why, exit 2.
func TestSwarmInputErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"swarm", "reference", "--seeds", "0"}, "--seeds must be between 1 and 100000"},
		{[]string{"swarm", "reference", "--seed-range", "0:5"}, "seeds start at 1"},
		{[]string{"swarm", "reference", "--seeds", "5", "--seed-range", "1:5"}, "give --seeds or --seed-range, not both"},
		{[]string{"swarm", "reference", "--shard", "3/3"}, "--shard"},
		{[]string{"swarm", "reference", "--vary", "faults=storm"}, `--vary: faults: no fault named "storm": the scenario has no faults`},
		{[]string{"swarm", "reference", "--vary", "sideways"}, `unknown item "sideways"`},
		{[]string{"swarm", "reference", "--jobs", "0"}, "--jobs must be between 1 and 1024"},
		{[]string{"swarm", "reference", "--shrink-runs", "0"}, "--shrink-runs must be between"},
		{[]string{"swarm", "no-such-scenario"}, "no-such-scenario"},
		{[]string{"swarm", "merge"}, "give the shards' swarm.json files"},
		{[]string{"swarm", "merge", "."}, "no shard's swarm.json in it"},
	} {
		code, _, errs := runCLI("", c.args...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("busdrill %s: exit %d, stderr %q, want 2 and %q", strings.Join(c.args, " "), code, errs, c.want)
		}
	}
}

// TestSwarmShardsAndMerge: two shards of a quick swarm, merged on the
// command line, give the whole swarm's swarm.json.
func TestSwarmShardsAndMerge(t *testing.T) {
	dir := t.TempDir()
	common := []string{"reference", "--seed-range", "3:8", "--quick", "--replay-every", "2"}
	for _, args := range [][]string{
		append([]string{"swarm", "--out", filepath.Join(dir, "whole")}, common...),
		append([]string{"swarm", "--out", filepath.Join(dir, "shards"), "--shard", "0/2"}, common...),
		append([]string{"swarm", "--out", filepath.Join(dir, "shards"), "--shard", "1/2", "--json"}, common...),
		{"swarm", "merge", filepath.Join(dir, "shards"), "-o", filepath.Join(dir, "merged")},
	} {
		if code, out, errs := runCLI("", args...); code != exitOK {
			t.Fatalf("busdrill %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errs)
		}
	}
	whole, err := os.ReadFile(filepath.Join(dir, "whole", "reference", "swarm", swarm.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	merged, err := os.ReadFile(filepath.Join(dir, "merged", "reference", "swarm", swarm.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if string(whole) != string(merged) {
		t.Errorf("the merged shards' swarm.json differs from the whole swarm's:\n%s\n%s", whole, merged)
	}
}

// TestInterruptSwarm: SIGINT stops a swarm in the middle of its runs:
// exit 3, swarm.json written with the seeds that ran, marked interrupted.
func TestInterruptSwarm(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs busdrill in a process and signals it")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "slow.yaml"), []byte("name: slow\ntopology: {reference: {services: [{name: orders}, {name: delivery}]}}\n"+
		"services:\n  - {name: delivery, account: delivery, on: Order.Created, emit: Delivery.Updated}\n"+
		"  - {name: orders, account: orders, on: Delivery.Updated, emit: Order.Updated}\n"+
		"traffic: {rate: 1e6/s, duration: 10m}\nexpect: [ledger.balanced]\n"), 0o644)
	cmd := cliCommand(t, dir, "swarm", "slow.yaml", "--seeds", "4", "--jobs", "1", "--out", "out")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	swarmDir := filepath.Join(dir, "out", "slow", "swarm")
	// The folder exists once the scenario is loaded and the output
	// checked writable: from then on it is running seed 1.
	waitFor(t, "the swarm to start", func() bool { _, err := os.Stat(swarmDir); return err == nil })
	// Deeper into the run; not a timing assertion: whenever the signal
	// lands from here on, the run must stop with exit 3 and what it has.
	time.Sleep(500 * time.Millisecond)
	signalled := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	code := waitExit(t, cmd)
	t.Logf("exited %v after SIGINT", time.Since(signalled).Round(time.Millisecond))
	if code != exitAborted {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitAborted, stdout.String(), stderr.String())
	}
	sum, err := swarm.ReadSummary(filepath.Join(swarmDir, swarm.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Interrupted || len(sum.Runs) == 0 || sum.Runs[0].Status != swarm.StatusInterrupted || len(sum.Runs) == 4 {
		t.Errorf("swarm.json: interrupted %v, runs %+v", sum.Interrupted, sum.Runs)
	}
	if !strings.Contains(stdout.String(), "INTR  slow") {
		t.Errorf("no INTR line:\n%s", stdout.String())
	}
}

// TestSwarmJobManifests: deploy/k8s/swarm-job.yaml's scenario loads and
// its arguments are busdrill swarm's (every shard, on a small seed range),
// and swarm-merge-job.yaml's merge the shards they write.
func TestSwarmJobManifests(t *testing.T) {
	docs := func(path string) []map[string]any {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var out []map[string]any
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		for {
			var d map[string]any
			if err := dec.Decode(&d); err != nil {
				break
			}
			out = append(out, d)
		}
		return out
	}
	get := func(v any, path ...any) any {
		for _, p := range path {
			switch k := p.(type) {
			case string:
				v = v.(map[string]any)[k]
			case int:
				v = v.([]any)[k]
			}
		}
		return v
	}
	job := docs("../../deploy/k8s/swarm-job.yaml")
	dir := t.TempDir()
	scenario := filepath.Join(dir, "checkout.yaml")
	os.WriteFile(scenario, []byte(get(job[0], "data", "checkout.yaml").(string)), 0o644)
	spec := get(job[1], "spec").(map[string]any)
	n := spec["completions"].(int)
	if spec["parallelism"].(int) != n {
		t.Errorf("completions %d, parallelism %v", n, spec["parallelism"])
	}
	for i := range n {
		var args []string
		for _, a := range get(spec, "template", "spec", "containers", 0, "args").([]any) {
			s := a.(string)
			s = strings.ReplaceAll(s, "/etc/busdrill/checkout.yaml", scenario)
			s = strings.ReplaceAll(s, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(i))
			s = strings.ReplaceAll(s, "=/results", "="+dir)
			if strings.HasPrefix(s, "--seed-range=") {
				s = "--seed-range=1:" + strconv.Itoa(2*n)
			}
			if strings.HasPrefix(s, "--shard=") && s != "--shard="+strconv.Itoa(i)+"/"+strconv.Itoa(n) {
				t.Errorf("%s: the shard count is not completions (%d)", s, n)
			}
			args = append(args, s)
		}
		if code, out, errs := runCLI("", args...); code != exitOK && code != exitFail {
			t.Fatalf("busdrill %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errs)
		}
	}
	merge := docs("../../deploy/k8s/swarm-merge-job.yaml")
	var args []string
	for _, a := range get(merge[0], "spec", "template", "spec", "containers", 0, "args").([]any) {
		args = append(args, strings.ReplaceAll(strings.ReplaceAll(a.(string), "=/results", "="+dir), "/results", dir))
	}
	if code, out, errs := runCLI("", args...); code != exitOK && code != exitFail {
		t.Fatalf("busdrill %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errs)
	}
	sum, err := swarm.ReadSummary(filepath.Join(dir, "checkout", "swarm", swarm.SummaryFile))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Shard != nil || sum.Tally.Seeds != 2*n || sum.Vary == "" {
		t.Errorf("the merged swarm: shard %v, %d seeds, vary %q", sum.Shard, sum.Tally.Seeds, sum.Vary)
	}
}

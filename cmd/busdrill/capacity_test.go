package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/busdrill/busdrill/report"
)

// lowQuotas is a scenario whose answer is known by hand (125 orders/s,
// the bus account's invocations quota): see capacity/testdata.
const lowQuotas = "../../capacity/testdata/low-quotas.yaml"

func TestCapacityCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI("", "capacity", lowQuotas, "--next", "0", "--json", "--out", dir)
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var a report.Capacity
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("--json does not print capacity.json: %v\n%s", err, out)
	}
	if a.SustainableRate < 120 || a.SustainableRate > 125 || a.Binding == nil || a.Binding.Kind != "invocations-quota" {
		t.Errorf("answer %g, binding %+v", a.SustainableRate, a.Binding)
	}
	written, err := os.ReadFile(filepath.Join(dir, "capacity.json"))
	if err != nil || string(written) != out {
		t.Errorf("capacity.json (%v) is not what --json printed", err)
	}
	page, err := os.ReadFile(filepath.Join(dir, "capacity.html"))
	for _, want := range []string{"124/s sustainable", "invocations-quota", "busdrill capacity " + lowQuotas + " --seed 3 --next 0"} {
		if err != nil || !strings.Contains(string(page), want) {
			t.Errorf("capacity.html (%v) does not say %q", err, want)
		}
	}

	code, out, _ = runCLI("", "capacity", lowQuotas, "--next", "0", "--quiet")
	if code != exitOK || out != "" {
		t.Errorf("--quiet: exit %d, stdout %q", code, out)
	}
	code, out, _ = runCLI("", "capacity", lowQuotas, "--next", "0", "--min", "200/s", "--max", "300/s")
	if code != exitFail || !strings.Contains(out, "not sustainable at any rate searched") {
		t.Errorf("nothing sustainable in the range: exit %d\n%s", code, out)
	}
}

func TestCapacityUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--precision", "0"}, `--precision: "0" is not a fraction between 0 and 1`},
		{[]string{"--precision", "1.5"}, `--precision: "1.5" is not a fraction`},
		{[]string{"--min", "fast"}, `--min: "fast" is not a rate`},
		{[]string{"--max", "-5/s"}, `--max: "-5/s" is not a rate`},
		{[]string{"--next", "11"}, `--next: want 0 to 10 steps`},
		{[]string{"--raise", "1"}, `--raise: want a factor above 1`},
		{[]string{"--budget", "10"}, `--budget: want 1000 to 100000000 orders`},
		{[]string{"--set", "novalue"}, `--set "novalue": write KEY=VALUE`},
		{[]string{"--set", "services.nobody.concurrency=5"}, `no service "nobody"`},
		{[]string{"--price", "coffee=2"}, `--price "coffee=2": write ITEM=USD`},
		{[]string{"a.yaml", "b.yaml"}, `one scenario at a time`},
		{[]string{"no-such-scenario"}, `no such file, and no built-in scenario`},
		{[]string{"--min", "50", "--max", "10"}, `below the lowest`},
		{[]string{"--out", "/proc/version/x"}, `--out: cannot write results`},
	} {
		code, out, errs := runCLI("", append([]string{"capacity"}, c.args...)...)
		if code != exitUsage || !strings.Contains(errs, c.want) || out != "" {
			t.Errorf("capacity %s: exit %d, stderr %q, want %q", strings.Join(c.args, " "), code, errs, c.want)
		}
	}
}

// TestInterruptCapacity: SIGINT stops a capacity search within its probe:
// exit 3, and the best bracket found so far written, marked interrupted.
func TestInterruptCapacity(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs busdrill in a process and signals it")
	}
	dir := t.TempDir()
	// Probes of 150,000 orders each: seconds, long enough to be in one
	// when the signal comes (and the assertions hold whenever it comes).
	scenario := "name: busy\ntopology: {reference: {services: [{name: orders}, {name: delivery}]}}\n" +
		"services:\n  - {name: delivery, account: delivery, on: Order.Created, emit: Delivery.Updated}\n" +
		"  - {name: orders, account: orders, on: Delivery.Updated, emit: Order.Updated}\n" +
		"traffic: {rate: 2000/s, duration: 10m}\nexpect: [ledger.balanced]\n"
	if err := os.WriteFile(filepath.Join(dir, "busy.yaml"), []byte(scenario), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := cliCommand(t, dir, "capacity", "busy.yaml", "--out", "out")
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// The output folder exists once the scenario is loaded: from then on
	// it is searching.
	waitFor(t, "the search to start", func() bool { _, err := os.Stat(filepath.Join(dir, "out")); return err == nil })
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
	b, err := os.ReadFile(filepath.Join(dir, "out", "capacity.json"))
	if err != nil {
		t.Fatal(err)
	}
	var a report.Capacity
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	if !a.Interrupted || a.End != "interrupted" {
		t.Errorf("capacity.json: interrupted %v, end %q", a.Interrupted, a.End)
	}
	for _, p := range a.Probes {
		if p.Pass && p.Rate > a.SustainableRate || !p.Pass && a.LowestFailingRate > 0 && p.Rate < a.LowestFailingRate {
			t.Errorf("probe %+v outside the bracket [%g, %g]", p, a.SustainableRate, a.LowestFailingRate)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "capacity.html")); err != nil {
		t.Errorf("capacity.html: %v", err)
	}
	if !strings.Contains(stdout.String(), "interrupted: this is the best bracket found so far") {
		t.Errorf("the summary does not say it was interrupted:\n%s", stdout.String())
	}
}

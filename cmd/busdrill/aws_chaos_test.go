package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/live/journal"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
)

// TestRunAWSWithFaultSchedule runs the disabled-rule library scenario
// against serve: the fault schedule disables the fan-out rule on time
// (journaled before the change), re-enables it at the window's end (the
// journal records the restore), the results' timeline has the fault, and
// the orders the rule dropped are lost with its cause, as in the model.
func TestRunAWSWithFaultSchedule(t *testing.T) {
	sc, err := scenarios.Builtin("disabled-rule")
	if err != nil {
		t.Fatal(err)
	}
	sc.Traffic.Arrivals.Shape = loadgen.Constant{Rate: 10, Duration: 6 * time.Second}
	sc.Drain = 5 * time.Second
	f := &sc.Faults.Faults[0]
	f.Start, f.End = 2*time.Second, 4*time.Second
	url, live := startServe(t, sc)

	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	resDir := t.TempDir()
	code := runAWS(env, nil, sc, awsRunOptions{LiveFile: live, EndpointURL: url, Out: resDir, RunID: "chaos-1"})
	if code == exitUsage || code == exitAborted {
		t.Fatalf("runAWS: exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	runDir := filepath.Join(resDir, "disabled-rule", "aws", "chaos-1")
	res, err := report.ReadResults(filepath.Join(runDir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Faults) != 1 || res.Faults[0].Name != "rule-off" || res.Faults[0].Kind != "disable-rule" {
		t.Errorf("fault timeline %+v", res.Faults)
	}
	var ruleDisabled int64
	for _, rt := range res.Ledger.Routes {
		ruleDisabled += rt.Dropped["rule-disabled"]
	}
	if ruleDisabled == 0 || !res.Ledger.Balanced {
		t.Errorf("the disabled rule's losses: %d booked, balanced %v", ruleDisabled, res.Ledger.Balanced)
	}
	recs, err := journal.Read(filepath.Join(runDir, "journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var disable *journal.Record
	restored := map[int64]bool{}
	for i := range recs {
		r := &recs[i]
		if r.Kind == journal.Intent && r.Action == "events:DisableRule" {
			disable = r
		}
		if r.Kind == journal.Restored {
			restored[r.Ref] = true
		}
	}
	if disable == nil {
		t.Fatalf("no DisableRule intent in the journal: %+v", recs)
	}
	if disable.Inverse == nil || disable.Inverse.Action != "events:EnableRule" {
		t.Errorf("the DisableRule intent's inverse is %+v", disable.Inverse)
	}
	if !restored[disable.Seq] {
		t.Errorf("the DisableRule intent was never restored")
	}
	if !strings.Contains(stdout.String(), "rule-off") {
		t.Errorf("the summary does not mention the fault:\n%s", stdout.String())
	}
}

// TestRunAWSRefusesFaultsItCannotInject: a fault only the model can
// inject (a consumer outage) stops a live run before it makes any call.
func TestRunAWSRefusesFaultsItCannotInject(t *testing.T) {
	sc, err := scenarios.Builtin("consumer-outage")
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	live := writeLive(t, testLive)
	code := runAWS(env, nil, sc, awsRunOptions{LiveFile: live, EndpointURL: "http://127.0.0.1:9", Out: t.TempDir()})
	if code != exitUsage || !strings.Contains(stderr.String(), "delivery-down (outage) cannot be injected against a real backbone") {
		t.Errorf("exit %d\n%s", code, stderr.String())
	}
}

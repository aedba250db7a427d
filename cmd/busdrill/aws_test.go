package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/internal/motoserver"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
)

const testLive = `region: eu-west-1
allowed_accounts: ["111111111111", "222222222222", "333333333333"]
accounts:
  bus: {id: "111111111111", role_arn: "arn:aws:iam::111111111111:role/busdrill"}
  orders: {id: "222222222222", role_arn: "arn:aws:iam::222222222222:role/busdrill"}
  delivery: {id: "333333333333", role_arn: "arn:aws:iam::333333333333:role/busdrill"}
publisher: {concurrency: 4}
probes: {pollers: 1}
`

func writeLive(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "live.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// busdrill aws plan calls nothing (the endpoint is a closed port) and
// lists every call with its account, region, ARN and IAM actions.
func TestAWSPlan(t *testing.T) {
	motoserver.IsolateAWSEnv(t)
	live := writeLive(t, testLive)
	code, out, errOut := runCLI("", "aws", "plan", "reference", "--live", live, "--run-id", "r1", "--endpoint-url", "http://127.0.0.1:1")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"plan of run r1:", "nothing has been called",
		"verify     bus (111111111111)",
		"* sqs:CreateQueue", "arn:aws:sqs:eu-west-1:222222222222:busdrill-",
		"* events:PutRule", "arn:aws:events:eu-west-1:333333333333:rule/local/busdrill-probe-",
		"events:PutEvents", "publish as orders", "publish as delivery",
		"sqs:ReceiveMessage", "* events:DeleteRule",
		"IAM actions needed:", "account 222222222222:", "sqs:TagQueue", "events:TagResource",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI("", "aws", "plan", "reference", "--live", live, "--run-id", "r1", "--keep", "--json")
	if code != exitOK || !strings.Contains(out, `"call": "sqs:CreateQueue"`) || strings.Contains(out, "events:DeleteRule") {
		t.Errorf("--keep --json plan: exit %d\n%s", code, out)
	}
	// The allowlist refuses the plan too.
	bad := writeLive(t, strings.Replace(testLive, `"333333333333"]`, `"999999999999"]`, 1))
	code, _, errOut = runCLI("", "aws", "plan", "reference", "--live", bad)
	if code != exitUsage || !strings.Contains(errOut, "refusing: account 333333333333 (delivery) not in allowed_accounts") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// The reference scenario with --target aws against moto, end to end
// through the CLI: deploy-fixture, run (as run.go calls runAWS), and
// nothing tagged left behind.
// startPatchedMoto starts moto (with busdrill's patch for cross-account
// PutEvents: see internal/motoserver), isolates the AWS environment of
// the test with moto's test credentials, and writes the test live file.
func startPatchedMoto(t *testing.T) (srv *motoserver.Server, live string) {
	t.Helper()
	srv = motoserver.Start(t)
	motoserver.IsolateAWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", motoserver.TestAccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", motoserver.TestSecretAccessKey)
	return srv, writeLive(t, testLive)
}

func TestRunAWSAgainstMoto(t *testing.T) {
	srv, live := startPatchedMoto(t)

	code, out, errOut := runCLI("", "aws", "deploy-fixture", "reference", "--live", live, "--endpoint-url", srv.URL())
	if code != exitOK {
		t.Fatalf("deploy-fixture: exit %d: %s %s", code, out, errOut)
	}
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	sc.Traffic.Arrivals.Shape = loadgen.Constant{Rate: 10, Duration: 5 * time.Second}
	sc.Drain = 10 * time.Second
	// Latency on the wall clock depends on the machine's load and moto:
	// this test checks completion and the ledger, never a latency.
	sc.Expect = slices.DeleteFunc(sc.Expect, func(e scenarios.Expectation) bool {
		return strings.HasPrefix(e.Cond.Metric, "e2e.") || strings.HasPrefix(e.Cond.Metric, "hop.")
	})
	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	resDir := t.TempDir()
	code = runAWS(env, nil, sc, awsRunOptions{LiveFile: live, EndpointURL: srv.URL(), Out: resDir, RunID: "cli-1", SettleEarly: true})
	if code != exitOK {
		t.Fatalf("runAWS: exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	res, err := report.ReadResults(filepath.Join(resDir, "reference", "aws", "cli-1", "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Target != "aws" || res.Orders.Completed != res.Orders.Planned || !res.Ledger.Balanced || res.Verdict != "pass" {
		t.Errorf("results: target %s orders %+v balanced %v verdict %s", res.Target, res.Orders, res.Ledger.Balanced, res.Verdict)
	}
	if s := stdout.String() + stderr.String(); strings.Contains(s, motoserver.TestSecretAccessKey) || strings.Contains(s, motoserver.TestAccessKeyID) {
		t.Error("credentials in the output")
	}
	code, out, errOut = runCLI("", "aws", "teardown", "reference", "--live", live, "--endpoint-url", srv.URL(), "--dry-run")
	if code != exitOK || !strings.Contains(out, "0 resources would remove") {
		t.Errorf("teardown after the run: exit %d\n%s%s", code, out, errOut)
	}
}

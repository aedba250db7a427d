package main

import (
	"bytes"
	"context"
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
	"github.com/busdrill/busdrill/serve"
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

// startServe starts busdrill serve on loopback with the scenario's
// backbone (in the test live file's Region), isolates the AWS environment
// of the test, and writes the test live file.
func startServe(t *testing.T, sc *scenarios.Scenario) (url, live string) {
	t.Helper()
	motoserver.IsolateAWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIACLITEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	srv, err := serve.New(serve.Options{Listen: "127.0.0.1:0", Scenario: sc, Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv.URL(), writeLive(t, testLive)
}

// The reference scenario with --target aws against serve, end to end
// through the CLI (as run.go calls runAWS): every order completes, the
// ledger balances, no credential is printed, and nothing tagged is left
// behind.
func TestRunAWSAgainstServe(t *testing.T) {
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	sc.Traffic.Arrivals.Shape = loadgen.Constant{Rate: 10, Duration: 5 * time.Second}
	sc.Drain = 10 * time.Second
	// Latency on the wall clock depends on the machine's load: this test
	// checks completion and the ledger, never a latency.
	sc.Expect = slices.DeleteFunc(sc.Expect, func(e scenarios.Expectation) bool {
		return strings.HasPrefix(e.Cond.Metric, "e2e.") || strings.HasPrefix(e.Cond.Metric, "hop.")
	})
	url, live := startServe(t, sc)
	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	resDir := t.TempDir()
	code := runAWS(env, nil, sc, awsRunOptions{LiveFile: live, EndpointURL: url, Out: resDir, RunID: "cli-1", SettleEarly: true})
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
	if s := stdout.String() + stderr.String(); strings.Contains(s, "AKIACLITEST") {
		t.Error("credentials in the output")
	}
	code, out, errOut := runCLI("", "aws", "teardown", "reference", "--live", live, "--endpoint-url", url, "--dry-run")
	if code != exitOK || !strings.Contains(out, "0 resources would remove") {
		t.Errorf("teardown after the run: exit %d\n%s%s", code, out, errOut)
	}
}

// TestDeployFixtureRequestShapes checks the live adapter's control-plane
// requests against moto, an implementation of the AWS wire protocols
// nobody here wrote (it is only that: serve runs the end-to-end tests):
// deploy-fixture creates the backbone, provision its probes, teardown
// finds and removes exactly them.
func TestDeployFixtureRequestShapes(t *testing.T) {
	srv := motoserver.Start(t) // with busdrill's cross-account PutEvents patch
	motoserver.IsolateAWSEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", motoserver.TestAccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", motoserver.TestSecretAccessKey)
	live := writeLive(t, testLive)
	for _, args := range [][]string{
		{"aws", "deploy-fixture", "reference", "--live", live, "--endpoint-url", srv.URL()},
		{"aws", "provision", "reference", "--live", live, "--endpoint-url", srv.URL(), "--run-id", "shapes-1", "--journal", filepath.Join(t.TempDir(), "j.jsonl")},
	} {
		if code, out, errOut := runCLI("", args...); code != exitOK {
			t.Fatalf("%s: exit %d: %s %s", strings.Join(args[:2], " "), code, out, errOut)
		}
	}
	code, out, errOut := runCLI("", "aws", "teardown", "reference", "--live", live, "--endpoint-url", srv.URL(), "--run-id", "shapes-1")
	if code != exitOK || !strings.Contains(out, "6 resources removed") {
		t.Errorf("teardown: exit %d\n%s%s", code, out, errOut)
	}
}

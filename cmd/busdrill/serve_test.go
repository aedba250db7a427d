package main

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/internal/motoserver"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/serve"
)

// busdrill help serve, --help and -h document the command; bad input is
// exit 2 with a clear message.
func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{{"help", "serve"}, {"serve", "--help"}, {"serve", "-h"}} {
		code, out, _ := runCLI("", args...)
		if code != exitOK || !strings.Contains(out, "Usage: busdrill serve [SCENARIO]") || !strings.Contains(out, "/_busdrill/metrics") {
			t.Errorf("%v: exit %d\n%s", args, code, out)
		}
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--listen", "0.0.0.0:4566"}, "is not a loopback address"},
		{[]string{"serve", "--listen", busy.Addr().String()}, "address already in use"},
		{[]string{"serve", "--control-plane-lag", "soon"}, "--control-plane-lag"},
		{[]string{"serve", "--faults", "all"}, "apply to a scenario"},
		{[]string{"serve", "reference", "--faults", "some"}, "want backbone, all or none"},
		{[]string{"serve", "no-such-scenario"}, "no such file"},
		{[]string{"serve", "--accounts", "/nonexistent"}, "--accounts"},
		{[]string{"serve", "a", "b"}, "one scenario at most"},
	} {
		code, _, errOut := runCLI("", tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errOut, tc.want)
		}
	}
}

// The rehearsal in two commands: a serve preloaded with the scenario, and
// busdrill run --target aws with only --endpoint-url (no live section,
// no credentials of the user's).
func TestRehearsal(t *testing.T) {
	motoserver.IsolateAWSEnv(t)
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := serve.New(serve.Options{Listen: "127.0.0.1:0", Scenario: sc})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	sc.Traffic.Arrivals.Shape = loadgen.Constant{Rate: 20, Duration: 3 * time.Second}
	sc.Drain = 20 * time.Second
	// Wall-clock latency depends on the machine: no latency expectation.
	sc.Expect = nil
	var stdout, stderr bytes.Buffer
	env := &cliEnv{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
	dir := t.TempDir()
	code := runAWS(env, nil, sc, awsRunOptions{EndpointURL: srv.URL(), Out: dir, RunID: "rehearsal-1", SettleEarly: true})
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, stdout.String(), stderr.String())
	}
	res, err := report.ReadResults(filepath.Join(dir, "reference", "aws", "rehearsal-1", "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Orders.Sent == 0 || res.Orders.Completed != res.Orders.Sent || !res.Ledger.Balanced {
		t.Errorf("orders %+v, ledger balanced %v", res.Orders, res.Ledger.Balanced)
	}
	if !strings.Contains(stderr.String(), "rehearsing against "+srv.URL()) {
		t.Errorf("stderr: %s", stderr.String())
	}
	// Not on loopback, the live section stays required.
	stderr.Reset()
	if code := runAWS(env, nil, sc, awsRunOptions{EndpointURL: "http://192.0.2.1:4566", Out: dir}); code != exitUsage || !strings.Contains(stderr.String(), "needs a live section") {
		t.Errorf("non-loopback endpoint: exit %d: %s", code, stderr.String())
	}
}

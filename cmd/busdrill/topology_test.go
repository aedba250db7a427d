package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/busdrill/busdrill/scenarios"
)

// templateSets are the template sets of topology/cfn/testdata/cfn, with
// the --cfn flags that import them.
var templateSets = map[string][]string{
	"backbone": {
		"--cfn", "111111111111=BusStack.template.json",
		"--cfn", "222222222222=OrdersStack.template.yaml",
		"--cfn", "333333333333=DeliveryStack.template.json",
	},
	"autonomous": {
		"--cfn", "444444444444=SalesStack.template.json",
		"--cfn", "555555555555=FulfilmentStack.template.yaml",
	},
}

// inSet runs the test from a template set's folder, so that the flags
// and the outputs name the templates as a user in cdk.out would; it
// returns the absolute path of testdata/topology, where goldens live.
func inSet(t *testing.T, set string) string {
	t.Helper()
	golden, err := filepath.Abs("testdata/topology")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join("../../topology/cfn/testdata/cfn", set))
	return golden
}

// TestTopologyImportGolden: each template set imports to the scenario of
// its golden file, which validates and runs as it is (exit 0: its
// expectations hold).
func TestTopologyImportGolden(t *testing.T) {
	for set, flags := range templateSets {
		t.Run(set, func(t *testing.T) {
			golden := inSet(t, set)
			code, out, errOut := runCLI("", append([]string{"topology", "import"}, flags...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if errOut != "" {
				t.Errorf("a clean set prints notes: %s", errOut)
			}
			gpath := filepath.Join(golden, set+".import.yaml")
			checkGolden(t, gpath, out)
			file := filepath.Join(t.TempDir(), set+".yaml")
			if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			if code, _, errOut := runCLI("", "scenarios", "validate", file); code != exitOK {
				t.Fatalf("the import does not validate: %s", errOut)
			}
			if code, _, errOut := runCLI("", "run", file, "--out", t.TempDir(), "--quiet"); code != exitOK {
				t.Fatalf("the imported scenario does not run to a pass: exit %d %s", code, errOut)
			}
			code, top, _ := runCLI("", append([]string{"topology", "import", "--topology-only"}, flags...)...)
			if code != exitOK || !strings.Contains(top, "\ntopology:\n") || strings.Contains(top, "\ntraffic:") {
				t.Errorf("--topology-only: exit %d\n%s", code, top)
			}
		})
	}
}

// TestTopologyImportUsage: bad input exits 2 with one clear message.
func TestTopologyImportUsage(t *testing.T) {
	inSet(t, "backbone")
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "give the templates (--cfn ACCOUNT=TEMPLATE ...)"},
		{[]string{"--cfn", "BusStack.template.json"}, `--cfn "BusStack.template.json": write ACCOUNT=TEMPLATE`},
		{[]string{"--cfn", "111111111111=missing.json"}, "open missing.json: no such file or directory"},
		{[]string{"--cfn", "111111111111=."}, ". is a directory"},
		{[]string{"--cfn", "1111=BusStack.template.json"}, `account "1111" must be a 12-digit account id`},
		{[]string{"--cfn", "111111111111=BusStack.template.json"}, "(FanOutToOrders2C4B6A8D): target Target0: arn:aws:events:us-east-1:222222222222:event-bus/orders-local is in account 222222222222, which the import does not cover"},
		{[]string{"--cfn", "111111111111=BusStack.template.json", "--param", "x"}, `--param "x": write KEY=VALUE`},
		{[]string{"--cfn", "111111111111=BusStack.template.json", "--org", "abc"}, `--org "abc": an organization id starts with o-`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--cfn", "111111111111=../../nobus/QueueStack.template.yaml"}, "the topology has no event bus"},
		{[]string{"--bogus"}, "unknown flag --bogus"},
	} {
		code, _, errOut := runCLI("", append([]string{"topology", "import"}, c.args...)...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
	for _, args := range [][]string{{"topology", "--help"}, {"topology", "import", "-h"}, {"help", "topology"}} {
		if code, out, _ := runCLI("", args...); code != exitOK || !strings.Contains(out, "busdrill topology <import|lint>") {
			t.Errorf("%v: exit %d\n%s", args, code, out)
		}
	}
}

// TestTopologyLintGolden: the lint of each clean template set is golden
// and clean (exit 0); a broken variant exits 1 at --fail-on error, and
// the reference scenario's warnings exit 1 only at --fail-on warning.
func TestTopologyLintGolden(t *testing.T) {
	for set, flags := range templateSets {
		t.Run(set, func(t *testing.T) {
			golden := inSet(t, set)
			code, out, errOut := runCLI("", append([]string{"topology", "lint", "--slo", "8s"}, flags...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s\n%s", code, errOut, out)
			}
			checkGolden(t, filepath.Join(golden, set+".lint.txt"), out)
		})
	}
	t.Run("broken", func(t *testing.T) {
		inSet(t, "backbone")
		flags := slices.Clone(templateSets["backbone"])
		flags[1] = "111111111111=../../../../lint/testdata/broken/self-delivery/BusStack.template.json"
		code, out, _ := runCLI("", append([]string{"topology", "lint"}, flags...)...)
		if code != exitFail || !strings.Contains(out, "error   self-delivery  bus/backbone-global/fan-out-to-orders/Target0") {
			t.Errorf("exit %d\n%s", code, out)
		}
		for _, format := range []string{"--json", "--sarif"} {
			code, out, _ := runCLI("", append([]string{"topology", "lint", format}, flags...)...)
			var v map[string]any
			if code != exitFail || json.Unmarshal([]byte(out), &v) != nil {
				t.Errorf("%s: exit %d\n%s", format, code, out)
			}
		}
		if code, _, _ := runCLI("", append([]string{"topology", "lint", "--fail-on", "none"}, flags...)...); code != exitOK {
			t.Errorf("--fail-on none: exit %d", code)
		}
	})
	t.Run("scenario", func(t *testing.T) {
		if code, out, errOut := runCLI("", "topology", "lint", "reference"); code != exitOK {
			t.Errorf("exit %d: %s\n%s", code, errOut, out)
		}
		if code, _, _ := runCLI("", "topology", "lint", "reference", "--fail-on", "warning"); code != exitFail {
			t.Errorf("--fail-on warning: exit %d", code)
		}
	})
}

// TestTopologyLintLibrary: every built-in scenario lints without error
// findings (their warnings are the library's deliberate shortcuts, such
// as targets without DLQs) or trouble.
func TestTopologyLintLibrary(t *testing.T) {
	code, out, _ := runCLI("", "scenarios", "list")
	if code != exitOK {
		t.Fatal(out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		name := strings.Fields(line)[0]
		if code, out, errOut := runCLI("", "topology", "lint", name, "--json"); code == exitUsage {
			t.Errorf("%s: exit %d: %s\n%s", name, code, errOut, out)
		}
	}
}

// TestTopologyLintUsage: bad input exits 2.
func TestTopologyLintUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "give a scenario, the templates"},
		{[]string{"reference", "--fail-on", "fatal"}, `--fail-on: severity "fatal"`},
		{[]string{"reference", "--json", "--sarif"}, "give --json or --sarif, not both"},
		{[]string{"reference", "--slo", "soon"}, `--slo "soon": give a positive duration`},
		{[]string{"reference", "extra"}, "give one scenario"},
		{[]string{"reference", "--cfn", "111111111111=x.json"}, "give a scenario, or --cfn / --live, not both"},
		{[]string{"no-such-scenario"}, "no such file, and no built-in scenario"},
		{[]string{"reference", "--region", "eu-west-1"}, "--region, --param, --name, --org, --plan and --endpoint-url go with --cfn or --live"},
	} {
		code, _, errOut := runCLI("", append([]string{"topology", "lint"}, c.args...)...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}

// TestTopologyLiveAgainstServe: the reference backbone deployed in busdrill
// serve imports back with --live (the plan first, on standard error) to a
// scenario that validates, and lints clean but for what a live reader
// cannot see; --plan calls nothing.
func TestTopologyLiveAgainstServe(t *testing.T) {
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	url, live := startServe(t, sc)
	code, out, errOut := runCLI("", "topology", "import", "--live", live, "--endpoint-url", url)
	if code != exitOK {
		t.Fatalf("import --live: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"plan of run import:", "sts:GetCallerIdentity", "events:ListTargetsByRule", "sqs:GetQueueAttributes"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the plan lacks %q:\n%s", want, errOut)
		}
	}
	for _, want := range []string{"# Imported by busdrill topology import (Region eu-west-1) from:", "name: to-orders",
		`pattern: '{"account":[{"anything-but":"222222222222"}]}'`, "bus: orders/local", "role: eventbridge-to-orders"} {
		if !strings.Contains(out, want) {
			t.Errorf("the import lacks %q:\n%s", want, out)
		}
	}
	file := filepath.Join(t.TempDir(), "imported.yaml")
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI("", "scenarios", "validate", file); code != exitOK {
		t.Errorf("the live import does not validate: %s", errOut)
	}
	code, out, errOut = runCLI("", "topology", "lint", "--live", live, "--endpoint-url", url, "--json")
	var r struct {
		Findings []struct{ Check, Resource string }
		NotRun   []string `json:"not_run"`
	}
	if code != exitOK || json.Unmarshal([]byte(out), &r) != nil {
		t.Fatalf("lint --live: exit %d %s\n%s", code, errOut, out)
	}
	if !slices.ContainsFunc(r.NotRun, func(s string) bool { return strings.HasPrefix(s, "dlq-no-redrive:") }) {
		t.Errorf("not run: %v", r.NotRun)
	}
	// serve holds every target, log targets included: no bus lacks its
	// catch-all log.
	if slices.ContainsFunc(r.Findings, func(f struct{ Check, Resource string }) bool { return f.Check == "no-catch-all" }) {
		t.Errorf("findings %v", r.Findings)
	}
	code, out, _ = runCLI("", "topology", "import", "--live", live, "--endpoint-url", "http://127.0.0.1:1", "--plan")
	if code != exitOK || !strings.Contains(out, "nothing has been called") || strings.Contains(out, "* events:") || strings.Contains(out, "* sqs:") {
		t.Errorf("--plan: exit %d\n%s", code, out)
	}
	if code, _, errOut := runCLI("", "topology", "import", "--live", live, "--name", "111111111111=x"); code != exitUsage || !strings.Contains(errOut, "go with --cfn") {
		t.Errorf("--name with --live: exit %d %s", code, errOut)
	}
}

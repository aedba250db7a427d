package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files of testdata/")

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

func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/busdrill -run %s -update writes it)", err, t.Name())
	}
	if got != string(want) {
		t.Errorf("output differs from %s (-update rewrites it after a deliberate change):\n%s", path, got)
	}
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
		{[]string{"--bogus"}, "unknown flag: --bogus"},
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

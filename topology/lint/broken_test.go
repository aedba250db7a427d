package lint

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/topology/cfn"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// templateSets are the clean template sets of topology/cfn/testdata/cfn.
var templateSets = map[string][][2]string{
	"backbone": {
		{"111111111111", "BusStack.template.json"},
		{"222222222222", "OrdersStack.template.yaml"},
		{"333333333333", "DeliveryStack.template.json"},
	},
	"autonomous": {
		{"444444444444", "SalesStack.template.json"},
		{"555555555555", "FulfilmentStack.template.yaml"},
	},
}

// lintSet imports a template set, with some templates replaced by the
// broken variant of a check (testdata/broken/CHECK/FILE), and lints it.
func lintSet(t *testing.T, set, broken string, slo time.Duration) *Report {
	t.Helper()
	var in []cfn.Input
	for _, f := range templateSets[set] {
		path := filepath.Join("../cfn/testdata/cfn", set, f[1])
		if broken != "" {
			if p := filepath.Join("testdata/broken", broken, f[1]); exists(p) {
				path = p
			}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, cfn.Input{Account: f[0], File: f[1], Data: b})
	}
	res, err := cfn.Import(in, cfn.Options{})
	if err != nil {
		t.Fatal(err)
	}
	input := FromImport(res, "cfn "+set)
	if slo > 0 {
		input.SLO, input.SLOSource = slo, "--slo "+slo.String()
	}
	return Run(input)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestCleanSetsHaveNoFindings: no check fires on the clean templates (the
// test that each finding does not fire where the backbone is sound), even
// with an SLO; the text reports are golden (testdata/golden, -update).
func TestCleanSetsHaveNoFindings(t *testing.T) {
	for set := range templateSets {
		t.Run(set, func(t *testing.T) {
			r := lintSet(t, set, "", 8*time.Second)
			if len(r.Findings) > 0 {
				var b bytes.Buffer
				r.WriteText(&b)
				t.Fatalf("findings on a clean set:\n%s", b.String())
			}
			var b bytes.Buffer
			if err := r.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata/golden", set+".lint.txt"), b.Bytes())
		})
	}
}

// brokenVariants: for every check, the template set and what the broken
// variant's finding names. The variant replaces one template of the set
// (testdata/broken/CHECK/).
var brokenVariants = []struct {
	check, set, resource, message string
	severity                      Severity
}{
	{"self-delivery", "backbone", "bus/backbone-global/fan-out-to-orders/Target0", "its pattern excludes delivery (333333333333), not orders (222222222222)", Error},
	{"missing-fanout", "backbone", "bus/backbone-global", "delivery (333333333333) may publish to this hub and has a bus, but the hub forwards to none of its buses", Error},
	{"missing-policy", "backbone", "bus/backbone-global", "the hub fans out to delivery (333333333333), but its policy does not let delivery publish to it", Warning},
	{"forward-denied", "backbone", "bus/backbone-global/fan-out-to-delivery/Target0", "the policy of delivery/delivery-local does not allow bus (111111111111) to put events", Error},
	{"hop-refused", "backbone", "delivery/delivery-local/to-analytics/Target0", "events that bus/backbone-global/fan-out-to-delivery forwards to delivery/delivery-local match this rule, which forwards them again to delivery/delivery-analytics", Error},
	{"forward-loop", "backbone", "bus/backbone-global/fan-out-to-orders", "bus/backbone-global → orders/orders-local → bus/backbone-global", Error},
	{"invalid-topology", "backbone", "bus/backbone-global/fan-out-to-orders/Target0", `a role is required for the cross-account bus target "orders/orders-local"`, Error},
	{"no-dlq", "backbone", "orders/orders-local/OnDeliveryUpdatedA8B9C0D1/Target0", "the handler target has no dead-letter queue", Warning},
	{"default-retry", "backbone", "orders/orders-local/OnDeliveryUpdatedA8B9C0D1/Target0", "the target retries with the default policy (185 attempts over 24h), but the objective is --slo 8s", Warning},
	{"dlq-no-redrive", "backbone", "delivery/delivery-dlq", "the dead-letter queue has no redrive plan", Warning},
	{"rule-disabled", "backbone", "orders/orders-local/OnDeliveryUpdatedA8B9C0D1", "the rule is DISABLED", Warning},
	{"rule-never-matches", "backbone", "delivery/delivery-local/OnOrderCreated9B0C1D2E", "the pattern's account never matches: only events of bus (111111111111), delivery (333333333333), orders (222222222222) reach delivery/delivery-local", Warning},
	{"no-catch-all", "backbone", "orders/orders-local", "no enabled rule sends every event on this bus to a log group", Warning},
	{"quota-rules", "backbone", "bus/backbone-global", "the bus has 243 rules, 81% of the quota of 300 in us-east-1", Warning},
	{"quota-targets", "backbone", "delivery/delivery-local/OnOrderCreated9B0C1D2E", "the rule has 6 targets; AWS allows 5 per rule", Error},
	{"not-imported", "backbone", "orders/orders-local/OnDeliveryUpdatedA8B9C0D1/Target1", "target Target1 (arn:aws:sns:us-east-1:222222222222:DeliveryNotices5A6B7C8D) is not imported", Warning},
}

// TestBrokenVariants: each check fires on its broken variant, at the
// resource that is wrong and its place in the template, with a fix.
func TestBrokenVariants(t *testing.T) {
	// queue-unusable reads facts only a live import has: TestQueueFacts
	// here, and live/awsread's TestImportFromMoto with a deleted DLQ.
	covered := map[string]bool{"queue-unusable": true}
	for _, c := range brokenVariants {
		covered[c.check] = true
		t.Run(c.check, func(t *testing.T) {
			if !exists(filepath.Join("testdata/broken", c.check)) {
				t.Fatalf("no broken variant in testdata/broken/%s", c.check)
			}
			r := lintSet(t, c.set, c.check, 8*time.Second)
			i := slices.IndexFunc(r.Findings, func(f Finding) bool { return f.Check == c.check && f.Resource == c.resource })
			if i < 0 {
				var b bytes.Buffer
				r.WriteText(&b)
				t.Fatalf("no %s finding on %s:\n%s", c.check, c.resource, b.String())
			}
			f := r.Findings[i]
			if !strings.Contains(f.Message, c.message) {
				t.Errorf("message %q\nwant %q in it", f.Message, c.message)
			}
			if f.Severity != c.severity {
				t.Errorf("severity %s, want %s", f.Severity, c.severity)
			}
			if f.Fix == "" || strings.Contains(f.Fix, "\n") {
				t.Errorf("fix %q is not one line", f.Fix)
			}
			if f.Where.File == "" || f.Where.Line == 0 {
				t.Errorf("finding without a place in the template: %+v", f.Where)
			}
		})
	}
	for _, c := range Checks {
		if !covered[c.ID] {
			t.Errorf("check %s has no broken variant", c.ID)
		}
	}
}

// TestReportFormatsGolden: the JSON and SARIF forms of a broken variant.
func TestReportFormatsGolden(t *testing.T) {
	r := lintSet(t, "backbone", "self-delivery", 0)
	var js, sarif bytes.Buffer
	if err := r.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteSARIF(&sarif, "test"); err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/golden/self-delivery.lint.json", js.Bytes())
	golden(t, "testdata/golden/self-delivery.sarif", sarif.Bytes())
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (-update rewrites it after a deliberate change):\n%s", path, got)
	}
}

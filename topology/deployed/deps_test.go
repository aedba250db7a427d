package deployed

import (
	"os/exec"
	"strings"
	"testing"
)

// TestTopologyStaysPure: nothing under topology/ — the importers, the lint
// and this package's Reader seam included — depends on the AWS SDK or on
// live/ (DESIGN.md: dependencies point down; only live/awsread talks to
// AWS).
func TestTopologyStaysPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/busdrill/busdrill/topology/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/aws/") || strings.HasPrefix(pkg, "github.com/busdrill/busdrill/live") {
			t.Errorf("a topology package depends on %s", pkg)
		}
	}
}

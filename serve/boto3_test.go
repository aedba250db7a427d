package serve_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/busdrill/busdrill/serve"
)

// The boto3 script (testdata/boto3_backbone.py) drives serve with a
// client nobody in busdrill wrote. It needs python3 with boto3
// ($BUSDRILL_PYTHON overrides python3): without it the test is skipped,
// unless CI is "true" (or "1"), where it fails: CI must not pass by
// skipping.
func TestBoto3(t *testing.T) {
	py := os.Getenv("BUSDRILL_PYTHON")
	if py == "" {
		py = "python3"
	}
	if out, err := exec.Command(py, "-c", "import boto3").CombinedOutput(); err != nil {
		if ci := os.Getenv("CI"); ci == "true" || ci == "1" {
			t.Fatalf("boto3 is required when CI=true: %s -c 'import boto3': %v\n%s", py, err, out)
		}
		t.Skipf("boto3 is not usable (%v); install it (pip install boto3) or set BUSDRILL_PYTHON; with CI=true this is a failure", err)
	}
	s := start(t, serve.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "testdata/boto3_backbone.py", s.URL())
	// The script's clients carry their own keys and endpoint: keep the
	// environment's AWS settings (a profile, an endpoint) out of it.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s testdata/boto3_backbone.py: %v\n%s", py, err, out)
	}
	t.Logf("%s", out)
}

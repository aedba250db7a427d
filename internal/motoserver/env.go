package motoserver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Credentials moto accepts; any values work. TestAccessKeyID has the shape
// of a real long-term key (AKIA + 16) so redaction tests exercise the
// pattern as well as the registry.
const (
	TestAccessKeyID     = "AKIAMOTOTESTKEY00001"
	TestSecretAccessKey = "motoTestSecretKeyWhichIsFortyCharsLong000"
	TestRegion          = "eu-west-1"
)

// IsolateAWSEnv makes the AWS SDK hermetic for the rest of the test: every
// AWS_* variable is cleared, the shared config and credentials files point
// at nonexistent files in a temp dir, IMDS is disabled and the region is
// TestRegion. Endpoints must still be set explicitly (moto's URL). It uses
// t.Setenv, so the test cannot be parallel.
func IsolateAWSEnv(t testing.TB) {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "")
			os.Unsetenv(k) // empty is not always the same as unset to the SDK
		}
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_REGION", TestRegion)
}

package awsclients_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/busdrill/busdrill/internal/motoserver"
	"github.com/busdrill/busdrill/live/awsclients"
)

func TestMain(m *testing.M) { os.Exit(motoserver.RunTests(m)) }

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// motoOptions are options for the shared moto server with static base
// credentials (moto's default account, 123456789012).
func motoOptions(t *testing.T) awsclients.Options {
	t.Helper()
	srv := motoserver.Shared(t)
	motoserver.IsolateAWSEnv(t)
	return awsclients.Options{
		Region:      motoserver.TestRegion,
		EndpointURL: srv.URL(),
		RunID:       "test-run/1",
		Credentials: credentials.NewStaticCredentialsProvider(motoserver.TestAccessKeyID, motoserver.TestSecretAccessKey, ""),
	}
}

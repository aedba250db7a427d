package drill

import (
	"net/http"
	"os"
	"runtime/debug"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// HTTPClient is the SDK's HTTP client with enough idle connections per
// host for concurrency callers: the SDK default keeps 10, so a publisher
// with more workers than that would open (and close) a connection for most
// calls, which on a busy machine costs tens of milliseconds of schedule
// lag. Pass it as awsclients.Options.HTTPClient.
func HTTPClient(concurrency int) *awshttp.BuildableClient {
	n := max(concurrency, 1) + 16
	return awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConnsPerHost = n
		t.MaxIdleConns = 4 * n
	})
}

// TuneGC raises the garbage collector's target to 400% for a run, unless
// GOGC is set in the environment, and returns the function that puts it
// back. A load generator's heap is small and its allocation rate high:
// at the default 100% the collector runs many times a second in the first
// seconds of a run, and its assists show as milliseconds of lag on the
// open-model schedule (measured: lag p99 7.6 ms at GOGC=100, 2.2 ms at
// 400, at 10,000 entries/s; see BenchmarkPublisher).
func TuneGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(400)
	return func() { debug.SetGCPercent(old) }
}

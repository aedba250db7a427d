package drill_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/busdrill/busdrill/live/awsclients"
	"github.com/busdrill/busdrill/live/drill"
	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

// idleQueue is a probe that never receives anything.
type idleQueue struct{}

func (idleQueue) ReceiveMessage(ctx context.Context, _ *sqs.ReceiveMessageInput, _ ...func(*sqs.Options)) (*sqs.ReceiveMessageOutput, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}
func (idleQueue) DeleteMessageBatch(context.Context, *sqs.DeleteMessageBatchInput, ...func(*sqs.Options)) (*sqs.DeleteMessageBatchOutput, error) {
	return &sqs.DeleteMessageBatchOutput{}, nil
}
func (idleQueue) GetQueueUrl(context.Context, *sqs.GetQueueUrlInput, ...func(*sqs.Options)) (*sqs.GetQueueUrlOutput, error) {
	return &sqs.GetQueueUrlOutput{}, nil
}

// putEventsOK is a trivial PutEvents endpoint: every entry succeeds.
func putEventsOK() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		n := bytes.Count(body, []byte(`"DetailType"`))
		var b strings.Builder
		b.WriteString(`{"FailedEntryCount":0,"Entries":[`)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"EventId":"e-%d"}`, i)
		}
		b.WriteString(`]}`)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, b.String())
	}))
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPublisher drives the publisher at 10,000 orders/s (uniform
// arrivals, 10 s) against a local PutEvents endpoint that answers success,
// and reports the achieved rates, the schedule lag (actual − intended
// send time, at the start of the PutEvents call) and the CPU used by the
// whole process (publisher and test server). Run it once:
//
//	go test -run '^$' -bench Publisher -benchtime 1x ./live/drill
func BenchmarkPublisher(b *testing.B) {
	srv := putEventsOK()
	defer srv.Close()
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		b.Fatal(err)
	}
	const rate, dur = 10000.0, 10 * time.Second
	sc.Traffic.Arrivals = loadgen.Arrivals{Shape: loadgen.Constant{Rate: rate, Duration: dur}, Process: loadgen.Uniform}
	sc.Drain = 500 * time.Millisecond
	sc.Traffic.Payload = nil // the factory's fixed detail, ~300 bytes
	cfg, err := livespec.Parse("live.yaml", []byte(`region: eu-west-1
allowed_accounts: ["111111111111", "222222222222", "333333333333"]
accounts:
  bus: {id: "111111111111"}
  orders: {id: "222222222222"}
  delivery: {id: "333333333333"}
`))
	if err != nil {
		b.Fatal(err)
	}
	layout, err := provision.NewLayout(sc, cfg, "bench", loadgen.Shard{})
	if err != nil {
		b.Fatal(err)
	}
	set, err := awsclients.New(context.Background(), awsclients.Options{
		Region: "eu-west-1", EndpointURL: srv.URL, HTTPClient: drill.HTTPClient(livespec.DefaultConcurrency),
		Credentials: credentials.NewStaticCredentialsProvider("AKIABENCHBENCHBENCH1", "benchSecretKeyWhichIsFortyCharsLong00000", ""),
	}, livespec.Accounts{"orders": {ID: "222222222222"}})
	if err != nil {
		b.Fatal(err)
	}
	orders, _ := set.Account("orders")
	clients := map[string]drill.AccountClients{
		"orders":   {EventBridge: orders.EventBridge, SQS: idleQueue{}},
		"delivery": {EventBridge: orders.EventBridge, SQS: idleQueue{}},
	}
	// As 'busdrill run --target aws' does (see drill.TuneGC).
	defer drill.TuneGC()()
	for i := 0; i < b.N; i++ {
		d, err := drill.New(drill.Options{
			Scenario: sc, Layout: layout, Clients: clients, ProbeURLs: []string{"q1", "q2"},
			ObserveOnly: true, Probes: cfg.Probes,
		})
		if err != nil {
			b.Fatal(err)
		}
		cpu0, wall0 := cpuTime(), time.Now()
		res, st, err := d.Run(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		cpu, wall := cpuTime()-cpu0, time.Since(wall0)
		b.ReportMetric(float64(st.Entries)/dur.Seconds(), "entries/s")
		b.ReportMetric(float64(st.Calls)/dur.Seconds(), "calls/s")
		b.ReportMetric(float64(st.LagP50.Microseconds())/1000, "lag-p50-ms")
		b.ReportMetric(float64(st.LagP99.Microseconds())/1000, "lag-p99-ms")
		b.ReportMetric(float64(st.LagMax.Microseconds())/1000, "lag-max-ms")
		b.ReportMetric(cpu.Seconds()/wall.Seconds(), "cpu-cores")
		b.Logf("sent %d of %d planned, %d calls, %d entries, %s; lag p50 %v p99 %v p99.9 %v max %v; CPU %v over %v wall (%.2f cores, server included)",
			res.Orders.Sent, res.Orders.Planned, st.Calls, st.Entries, st.Late, st.LagP50, st.LagP99, st.LagP999, st.LagMax, cpu, wall, cpu.Seconds()/wall.Seconds())
	}
}

package serve_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/busdrill/busdrill/internal/motoserver"
	"github.com/busdrill/busdrill/report"
	"github.com/busdrill/busdrill/serve"
)

// The serve benchmarks (run by make bench; the figures are reported,
// never asserted):
//
//	BenchmarkServe           the reference topology (global bus fanning out
//	                         to two local buses with a role and a DLQ,
//	                         catch-all logs, a queue consumer per local bus)
//	                         built by API calls, through aws-sdk-go-v2 on
//	                         loopback: b.N PutEvents calls of 10 entries
//	                         (1 KB details), paced at 6,000 entries/s (600
//	                         calls/s, open loop: above the 5,000 entries/s
//	                         target, so that the rate measured is what
//	                         serve sustains) over 32 publishers,
//	                         alternating the two service accounts, until
//	                         every entry's fan-out delivery has been
//	                         received and deleted by the SQS consumers (one
//	                         long poller per queue): entries/s sustained
//	                         (all entries / time to the last delivery
//	                         consumed), API latency p50/p99 (ms)
//	BenchmarkServeVsMoto     one account, one bus, two rules to two queues:
//	                         the same fixed load against serve and against
//	                         moto (skipped without it): entries/s of each
//	                         and their ratio
//
//	go test -run '^$' -bench '^BenchmarkServe$' -cpu 2 -benchtime 6000x ./serve
//	go test -run '^$' -bench '^BenchmarkServeVsMoto$' -cpu 2 -benchtime 1x ./serve

// consumersPerQueue long-poll each queue: one keeps up with the
// benchmark's rate, and fills its batches better than two.
const consumersPerQueue = 1

// fastClients are SDK clients with enough idle connections for the
// publishers (the SDK keeps 10 per host by default).
func fastClients(url, key string, conns int) clients {
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConnsPerHost, t.MaxIdleConns = conns, conns
	})
	cfg := aws.Config{Region: "us-east-1", HTTPClient: hc, Credentials: credentials.NewStaticCredentialsProvider(key, "secret", "")}
	return clients{
		eb:  eventbridge.NewFromConfig(cfg, func(o *eventbridge.Options) { o.BaseEndpoint = aws.String(url) }),
		sqs: sqs.NewFromConfig(cfg, func(o *sqs.Options) { o.BaseEndpoint = aws.String(url) }),
	}
}

// load publishes calls PutEvents calls of 10 entries from publishers
// goroutines, paced at rate calls per second (0: as fast as they go), and
// waits until want messages were consumed from queues. It returns the
// wall time and the API latency histogram.
func load(b *testing.B, senders []clients, bus string, calls, publishers int, rate float64, consumers []clients, queues []string, want int64) (time.Duration, *report.Histogram) {
	detail := `{"pad":"` + strings.Repeat("x", 1000) + `"}`
	entries := make([]ebtypes.PutEventsRequestEntry, 10)
	for i := range entries {
		entries[i] = ebtypes.PutEventsRequestEntry{EventBusName: aws.String(bus), Source: aws.String("bench"), DetailType: aws.String("Order.Created"), Detail: aws.String(detail)}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got atomic.Int64
	var cwg sync.WaitGroup
	for i, q := range queues {
		for k := 0; k < consumersPerQueue; k++ {
			cwg.Add(1)
			go func(c clients, url string) {
				defer cwg.Done()
				for ctx.Err() == nil {
					r, err := c.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
					if err != nil || len(r.Messages) == 0 {
						continue
					}
					del := make([]sqstypes.DeleteMessageBatchRequestEntry, len(r.Messages))
					for j, m := range r.Messages {
						del[j] = sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(fmt.Sprint(j)), ReceiptHandle: m.ReceiptHandle}
					}
					c.sqs.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url), Entries: del})
					got.Add(int64(len(r.Messages)))
				}
			}(consumers[i], q)
		}
	}
	work := make(chan int, calls)
	hists := make([]*report.Histogram, publishers)
	var pwg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	go func() { // the pacer: call n is due at start + n/rate
		for n := 0; n < calls; n++ {
			if rate > 0 {
				if d := time.Until(start.Add(time.Duration(float64(n) / rate * float64(time.Second)))); d > 0 {
					time.Sleep(d)
				}
			}
			work <- n
		}
		close(work)
	}()
	for p := 0; p < publishers; p++ {
		hists[p] = report.NewHistogram()
		pwg.Add(1)
		go func() {
			defer pwg.Done()
			for n := range work {
				c := senders[n%len(senders)]
				t0 := time.Now()
				out, err := c.eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: entries})
				hists[p].Record(time.Since(t0))
				if err != nil || out.FailedEntryCount != 0 {
					b.Errorf("PutEvents: %v %+v", err, out)
					return
				}
			}
		}()
	}
	pwg.Wait()
	deadline := time.Now().Add(5 * time.Minute)
	for got.Load() < want && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	cwg.Wait()
	if got.Load() < want {
		b.Fatalf("consumed %d of %d deliveries", got.Load(), want)
	}
	all := report.NewHistogram()
	for _, h := range hists {
		all.Merge(h)
	}
	return elapsed, all
}

func BenchmarkServe(b *testing.B) {
	s, err := serve.New(serve.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	t := &testing.T{}
	cs := backbone(t, s.URL())
	x := context.Background()
	for _, a := range []string{busAcct, ordersAcct, deliveryAcct} {
		cs[a].eb.PutRule(x, &eventbridge.PutRuleInput{Name: aws.String("catch-all"), EventBusName: aws.String(map[bool]string{true: "global", false: "local"}[a == busAcct]),
			EventPattern: aws.String(`{"source":[{"prefix":""}]}`)})
		cs[a].eb.PutTargets(x, &eventbridge.PutTargetsInput{Rule: aws.String("catch-all"), EventBusName: aws.String(map[bool]string{true: "global", false: "local"}[a == busAcct]),
			Targets: []ebtypes.Target{{Id: aws.String("log"), Arn: aws.String("arn:aws:logs:us-east-1:" + a + ":log-group:all")}}})
	}
	const publishers, rate = 32, 600
	senders := []clients{fastClients(s.URL(), ordersAcct, publishers), fastClients(s.URL(), deliveryAcct, publishers)}
	consumers := []clients{fastClients(s.URL(), ordersAcct, 4), fastClients(s.URL(), deliveryAcct, 4)}
	queues := []string{s.URL() + "/" + ordersAcct + "/all", s.URL() + "/" + deliveryAcct + "/all"}
	global := "arn:aws:events:us-east-1:" + busAcct + ":event-bus/global"
	elapsed, h := load(b, senders, global, b.N, publishers, rate, consumers, queues, int64(10*b.N))
	b.ReportMetric(float64(10*b.N)/elapsed.Seconds(), "entries/s")
	b.ReportMetric(float64(h.Quantile(0.5))/1e6, "p50-ms")
	b.ReportMetric(float64(h.Quantile(0.99))/1e6, "p99-ms")
}

// simpleBackbone is one account's bus with two rules to two queues,
// deployed by API calls (what moto and serve both run).
func simpleBackbone(b *testing.B, c clients, account string) []string {
	x := context.Background()
	var urls []string
	for _, q := range []string{"a", "b"} {
		out, err := c.sqs.CreateQueue(x, &sqs.CreateQueueInput{QueueName: aws.String(q)})
		if err != nil {
			b.Fatal(err)
		}
		urls = append(urls, aws.ToString(out.QueueUrl))
		if _, err := c.eb.PutRule(x, &eventbridge.PutRuleInput{Name: aws.String("to-" + q), EventPattern: aws.String(`{"source":["bench"]}`)}); err != nil {
			b.Fatal(err)
		}
		if _, err := c.eb.PutTargets(x, &eventbridge.PutTargetsInput{Rule: aws.String("to-" + q), Targets: []ebtypes.Target{{Id: aws.String("q"), Arn: aws.String("arn:aws:sqs:us-east-1:" + account + ":" + q)}}}); err != nil {
			b.Fatal(err)
		}
	}
	return urls
}

func BenchmarkServeVsMoto(b *testing.B) {
	const calls, publishers = 50, 4 // moto handles tens of entries per second
	rate := func(url, key, account string) float64 {
		c := fastClients(url, key, publishers)
		queues := simpleBackbone(b, c, account)
		elapsed, _ := load(b, []clients{c}, "default", calls, publishers, 0, []clients{c, c}, queues, 2*10*calls)
		return float64(10*calls) / elapsed.Seconds()
	}
	s, err := serve.New(serve.Options{Listen: "127.0.0.1:0"})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if ok, reason := motoserver.Available(); !ok {
		b.Skipf("moto is not installed (%s): no ratio", reason)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m, err := motoserver.Launch(ctx, motoserver.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	var serveRate, motoRate float64
	for i := 0; i < b.N; i++ {
		serveRate = rate(s.URL(), acctA, acctA)
		motoRate = rate(m.URL(), motoserver.TestAccessKeyID, "123456789012")
		m.Reset(ctx)
		s.Close()
		if s, err = serve.New(serve.Options{Listen: "127.0.0.1:0"}); err != nil {
			b.Fatal(err)
		}
		s.Start(context.Background())
	}
	b.ReportMetric(serveRate, "serve-entries/s")
	b.ReportMetric(motoRate, "moto-entries/s")
	b.ReportMetric(serveRate/motoRate, "serve/moto")
}

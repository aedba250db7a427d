package motoserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/busdrill/busdrill/internal/motoserver"
	"github.com/busdrill/busdrill/live/awsclients"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

// TestDeliveryThroughput measures PutEvents → rule → SQS delivery through
// moto with busdrill's caches (jsonpath, camelcase): 200 events, one rule, one SQS target, the
// queue drained concurrently. The rate is logged, not asserted. With
// BUSDRILL_MOTO_STOCK=1 it also measures stock moto (20 events: at about
// 230 ms per delivery, 200 would take most of a minute).
func TestDeliveryThroughput(t *testing.T) {
	motoserver.IsolateAWSEnv(t)
	patched := measureDelivery(t, motoserver.Options{}, 200)
	t.Logf("moto with busdrill's caches: %s", patched)
	if os.Getenv("BUSDRILL_MOTO_STOCK") == "1" {
		stock := measureDelivery(t, motoserver.Options{Stock: true}, 20)
		t.Logf("stock moto:                   %s", stock)
		t.Logf("speed-up: %.0fx", patched.perSecond()/stock.perSecond())
	}
}

type throughput struct {
	events  int
	publish time.Duration // all PutEvents calls returned (moto delivers inside them)
	total   time.Duration // every message received from SQS
}

func (r throughput) perSecond() float64 { return float64(r.events) / r.total.Seconds() }

func (r throughput) String() string {
	return fmt.Sprintf("%d events delivered in %s (publish %s): %.0f events/s, %.1f ms/event",
		r.events, r.total.Round(time.Millisecond), r.publish.Round(time.Millisecond),
		r.perSecond(), float64(r.total.Microseconds())/1000/float64(r.events))
}

func measureDelivery(t *testing.T, opts motoserver.Options, n int) throughput {
	t.Helper()
	srv := motoserver.StartWithOptions(t, opts)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	set, err := awsclients.New(ctx, awsclients.Options{
		Region:      motoserver.TestRegion,
		EndpointURL: srv.URL(),
		Credentials: credentials.NewStaticCredentialsProvider(motoserver.TestAccessKeyID, motoserver.TestSecretAccessKey, ""),
	}, livespec.Accounts{"a": {ID: "123456789012"}})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := set.Account("a")
	eb, q := c.EventBridge, c.SQS

	if _, err := eb.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String("drill")}); err != nil {
		t.Fatal(err)
	}
	cq, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("sink")})
	if err != nil {
		t.Fatal(err)
	}
	attrs, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: cq.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{
		Name: aws.String("to-sink"), EventBusName: aws.String("drill"),
		EventPattern: aws.String(`{"source":["busdrill.bench"],"detail-type":[{"prefix":"Order."}]}`),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{
		Rule: aws.String("to-sink"), EventBusName: aws.String("drill"),
		Targets: []ebtypes.Target{{Id: aws.String("sink"), Arn: aws.String(attrs.Attributes["QueueArn"])}},
	}); err != nil {
		t.Fatal(err)
	}

	var received atomic.Int64
	drained := make(chan error, 1)
	go func() {
		for received.Load() < int64(n) {
			out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
				QueueUrl: cq.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
			})
			if err != nil {
				drained <- err
				return
			}
			if len(out.Messages) == 0 {
				continue
			}
			var del []sqstypes.DeleteMessageBatchRequestEntry
			for i, m := range out.Messages {
				var ev struct {
					Source string `json:"source"`
				}
				if err := json.Unmarshal([]byte(aws.ToString(m.Body)), &ev); err != nil || ev.Source != "busdrill.bench" {
					drained <- fmt.Errorf("unexpected body %q", aws.ToString(m.Body))
					return
				}
				del = append(del, sqstypes.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle})
			}
			if _, err := q.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: cq.QueueUrl, Entries: del}); err != nil {
				drained <- err
				return
			}
			received.Add(int64(len(out.Messages)))
		}
		drained <- nil
	}()

	start := time.Now()
	for sent := 0; sent < n; {
		var entries []ebtypes.PutEventsRequestEntry
		for ; len(entries) < 10 && sent < n; sent++ {
			entries = append(entries, ebtypes.PutEventsRequestEntry{
				EventBusName: aws.String("drill"), Source: aws.String("busdrill.bench"),
				DetailType: aws.String("Order.Created"),
				Detail:     aws.String(fmt.Sprintf(`{"data":{"order":%d},"metadata":{"run":"bench"}}`, sent)),
			})
		}
		out, err := eb.PutEvents(ctx, &eventbridge.PutEventsInput{Entries: entries})
		if err != nil {
			t.Fatal(err)
		}
		if out.FailedEntryCount > 0 {
			t.Fatalf("%d entries failed", out.FailedEntryCount)
		}
	}
	publish := time.Since(start)
	if err := <-drained; err != nil {
		t.Fatal(err)
	}
	total := time.Since(start)
	if got := received.Load(); got != int64(n) {
		t.Fatalf("received %d messages, want %d", got, n)
	}
	return throughput{events: n, publish: publish, total: total}
}

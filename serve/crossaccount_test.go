package serve_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/busdrill/busdrill/serve"
)

const (
	busAcct      = "111111111111"
	ordersAcct   = "222222222222"
	deliveryAcct = "333333333333"
)

// backbone builds the reference backbone by API calls alone: a global bus
// in the bus account that both service accounts may put to, fanning out to
// each service's local bus except the sender's (with a role and a DLQ),
// and on each local bus a queue of everything.
func backbone(t *testing.T, url string) map[string]clients {
	t.Helper()
	x := ctx(t)
	cs := map[string]clients{busAcct: as(url, busAcct), ordersAcct: as(url, ordersAcct), deliveryAcct: as(url, deliveryAcct)}
	must := func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	b := cs[busAcct]
	must(b.eb.CreateEventBus(x, &eventbridge.CreateEventBusInput{Name: aws.String("global")}))
	must(b.sqs.CreateQueue(x, &sqs.CreateQueueInput{QueueName: aws.String("fanout-dlq")}))
	for _, svc := range []string{ordersAcct, deliveryAcct} {
		must(b.eb.PutPermission(x, &eventbridge.PutPermissionInput{EventBusName: aws.String("global"), Action: aws.String("events:PutEvents"),
			Principal: aws.String(svc), StatementId: aws.String("allow-" + svc)}))
		c := cs[svc]
		must(c.eb.CreateEventBus(x, &eventbridge.CreateEventBusInput{Name: aws.String("local")}))
		must(c.eb.PutPermission(x, &eventbridge.PutPermissionInput{EventBusName: aws.String("local"), Action: aws.String("events:PutEvents"),
			Principal: aws.String(busAcct), StatementId: aws.String("from-global")}))
		must(c.sqs.CreateQueue(x, &sqs.CreateQueueInput{QueueName: aws.String("all")}))
		must(c.eb.PutRule(x, &eventbridge.PutRuleInput{Name: aws.String("all"), EventBusName: aws.String("local"), EventPattern: aws.String(`{"source":[{"prefix":""}]}`)}))
		must(c.eb.PutTargets(x, &eventbridge.PutTargetsInput{Rule: aws.String("all"), EventBusName: aws.String("local"),
			Targets: []ebtypes.Target{{Id: aws.String("q"), Arn: aws.String("arn:aws:sqs:us-east-1:" + svc + ":all")}}}))
		must(b.eb.PutRule(x, &eventbridge.PutRuleInput{Name: aws.String("to-" + svc), EventBusName: aws.String("global"),
			EventPattern: aws.String(`{"account":[{"anything-but":"` + svc + `"}]}`)}))
		must(b.eb.PutTargets(x, &eventbridge.PutTargetsInput{Rule: aws.String("to-" + svc), EventBusName: aws.String("global"),
			Targets: []ebtypes.Target{{Id: aws.String("local"), Arn: aws.String("arn:aws:events:us-east-1:" + svc + ":event-bus/local"),
				RoleArn:          aws.String("arn:aws:iam::" + busAcct + ":role/fanout"),
				DeadLetterConfig: &ebtypes.DeadLetterConfig{Arn: aws.String("arn:aws:sqs:us-east-1:" + busAcct + ":fanout-dlq")}}}}))
	}
	return cs
}

func publish(t *testing.T, c clients, bus, detail string) *eventbridge.PutEventsOutput {
	t.Helper()
	out, err := c.eb.PutEvents(ctx(t), &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{{
		EventBusName: aws.String(bus), Source: aws.String("busdrill.test"), DetailType: aws.String("T"), Detail: aws.String(detail)}}})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// drain receives (and deletes) until want messages are there.
func drain(t *testing.T, c clients, queue string, want int) []sqstypes.Message {
	t.Helper()
	x := ctx(t)
	u, err := c.sqs.GetQueueUrl(x, &sqs.GetQueueUrlInput{QueueName: aws.String(queue)})
	if err != nil {
		t.Fatal(err)
	}
	var got []sqstypes.Message
	eventually(t, "messages in "+queue, func() bool {
		r, err := c.sqs.ReceiveMessage(x, &sqs.ReceiveMessageInput{QueueUrl: u.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: []string{"All"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range r.Messages {
			got = append(got, m)
			c.sqs.DeleteMessage(x, &sqs.DeleteMessageInput{QueueUrl: u.QueueUrl, ReceiptHandle: m.ReceiptHandle})
		}
		return len(got) >= want
	})
	return got
}

func TestCrossAccount(t *testing.T) {
	s := start(t, serve.Options{})
	cs := backbone(t, s.URL())
	global := "arn:aws:events:us-east-1:" + busAcct + ":event-bus/global"

	// Fan-out except the sender; the forwarded envelope keeps its id and
	// the sender's account.
	out := publish(t, cs[ordersAcct], global, `{"n":1}`)
	got := drain(t, cs[deliveryAcct], "all", 1)
	var env struct{ ID, Account string }
	json.Unmarshal([]byte(aws.ToString(got[0].Body)), &env)
	if env.Account != ordersAcct || env.ID != aws.ToString(out.Entries[0].EventId) {
		t.Fatalf("forwarded envelope: %s (event id %s)", aws.ToString(got[0].Body), aws.ToString(out.Entries[0].EventId))
	}
	publish(t, cs[deliveryAcct], global, `{"n":2}`)
	drain(t, cs[ordersAcct], "all", 1)
	q, _ := cs[ordersAcct].sqs.GetQueueUrl(ctx(t), &sqs.GetQueueUrlInput{QueueName: aws.String("all")})
	if r, _ := cs[ordersAcct].sqs.ReceiveMessage(ctx(t), &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 1}); len(r.Messages) != 0 {
		t.Fatalf("the sender's own event came back to it: %v", aws.ToString(r.Messages[0].Body))
	}

	// Without the bus policy's permission: AccessDeniedException per entry.
	out = publish(t, cs[ordersAcct], "arn:aws:events:us-east-1:"+deliveryAcct+":event-bus/local", `{"n":3}`)
	if out.FailedEntryCount != 1 || aws.ToString(out.Entries[0].ErrorCode) != "AccessDeniedException" {
		t.Fatalf("PutEvents without permission: %+v", out.Entries)
	}

	// The delivery account revokes the global bus's permission: the
	// forward fails, is not retried, and lands in the DLQ with its
	// attributes.
	if _, err := cs[deliveryAcct].eb.RemovePermission(ctx(t), &eventbridge.RemovePermissionInput{EventBusName: aws.String("local"), StatementId: aws.String("from-global")}); err != nil {
		t.Fatal(err)
	}
	publish(t, cs[ordersAcct], global, `{"n":4}`)
	dl := drain(t, cs[busAcct], "fanout-dlq", 1)
	attrs := map[string]string{}
	for k, v := range dl[0].MessageAttributes {
		attrs[k] = aws.ToString(v.StringValue)
	}
	want := map[string]string{
		"RULE_ARN":       "arn:aws:events:us-east-1:" + busAcct + ":rule/global/to-" + deliveryAcct,
		"TARGET_ARN":     "arn:aws:events:us-east-1:" + deliveryAcct + ":event-bus/local",
		"ERROR_CODE":     "NO_PERMISSIONS",
		"RETRY_ATTEMPTS": "0",
	}
	for k, v := range want {
		if attrs[k] != v {
			t.Errorf("DLQ attribute %s = %q, want %q (all: %v)", k, attrs[k], v, attrs)
		}
	}
	if attrs["ERROR_MESSAGE"] == "" {
		t.Errorf("no ERROR_MESSAGE: %v", attrs)
	}

	// The one-hop rule: a local bus forwarding what it received to a third
	// bus is refused with THIRD_ACCOUNT_HOP_DETECTED.
	x := ctx(t)
	o := cs[ordersAcct]
	o.sqs.CreateQueue(x, &sqs.CreateQueueInput{QueueName: aws.String("hop-dlq")})
	o.eb.PutRule(x, &eventbridge.PutRuleInput{Name: aws.String("up"), EventBusName: aws.String("local"), EventPattern: aws.String(`{"source":["busdrill.test"]}`)})
	if _, err := o.eb.PutTargets(x, &eventbridge.PutTargetsInput{Rule: aws.String("up"), EventBusName: aws.String("local"),
		Targets: []ebtypes.Target{{Id: aws.String("g"), Arn: aws.String(global), RoleArn: aws.String("arn:aws:iam::" + ordersAcct + ":role/up"),
			DeadLetterConfig: &ebtypes.DeadLetterConfig{Arn: aws.String("arn:aws:sqs:us-east-1:" + ordersAcct + ":hop-dlq")}}}}); err != nil {
		t.Fatal(err)
	}
	publish(t, cs[deliveryAcct], global, `{"n":5}`)
	dl = drain(t, o, "hop-dlq", 1)
	if c := aws.ToString(dl[0].MessageAttributes["ERROR_CODE"].StringValue); c != "THIRD_ACCOUNT_HOP_DETECTED" {
		t.Fatalf("hop: ERROR_CODE %q", c)
	}
}

package serve_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/serve"
)

// The SDK's own error types and retry logic work unchanged: modelled
// exceptions come back typed, and a throttled PutEvents is retried by the
// SDK's standard retryer.
func TestSDKErrorTypesAndRetries(t *testing.T) {
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	s := start(t, serve.Options{Scenario: sc})
	x := ctx(t)
	c := as(s.URL(), "222222222222")
	_, err = c.eb.DescribeRule(x, &eventbridge.DescribeRuleInput{Name: aws.String("nope")})
	var rnf *ebtypes.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("DescribeRule of an unknown rule: %T %v", err, err)
	}
	_, err = c.sqs.GetQueueUrl(x, &sqs.GetQueueUrlInput{QueueName: aws.String("nope")})
	var qdne *sqstypes.QueueDoesNotExist
	if !errors.As(err, &qdne) {
		t.Errorf("GetQueueUrl of an unknown queue: %T %v", err, err)
	}
	_, err = c.eb.PutRule(x, &eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"a":1}`)})
	var iep *ebtypes.InvalidEventPatternException
	if !errors.As(err, &iep) {
		t.Errorf("PutRule with an invalid pattern: %T %v", err, err)
	}

	// One PutEvents request per second for the orders account: the second
	// call is throttled (HTTP 400 ThrottlingException) and the SDK retries.
	if code, body := httpDo(t, "POST", s.URL()+"/_busdrill/faults", "kind: throttle\naccount: orders\nputevents: 1/s\n"); code != 200 {
		t.Fatalf("inject: %d %s", code, body)
	}
	put := func() (*eventbridge.PutEventsOutput, error) {
		return c.eb.PutEvents(x, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{{
			EventBusName: aws.String("arn:aws:events:us-east-1:111111111111:event-bus/global"),
			Source:       aws.String("s"), DetailType: aws.String("t"), Detail: aws.String(`{}`)}}})
	}
	if _, err := put(); err != nil {
		t.Fatal(err)
	}
	out, err := put()
	attempts := 0
	if err != nil {
		// The SDK gave up: it says after how many attempts.
		var max *retry.MaxAttemptsError
		if !errors.As(err, &max) || code(err) != "ThrottlingException" {
			t.Fatalf("second PutEvents: %v", err)
		}
		attempts = max.Attempt
	} else if r, ok := retry.GetAttemptResults(out.ResultMetadata); ok {
		attempts = len(r.Results)
	}
	if attempts < 2 {
		t.Fatalf("the throttled call was not retried by the SDK (attempts %d)", attempts)
	}
}

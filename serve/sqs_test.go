package serve_test

import (
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/busdrill/busdrill/serve"
)

// Every SQS operation through aws-sdk-go-v2 (whose MD5 checks of bodies
// run on every send and receive), and the errors it must recognise.
func TestSQSOperations(t *testing.T) {
	s := start(t, serve.Options{})
	c := as(s.URL(), acctA)
	x := ctx(t)

	dlq, err := c.sqs.CreateQueue(x, &sqs.CreateQueueInput{QueueName: aws.String("dead")})
	if err != nil {
		t.Fatal(err)
	}
	q, err := c.sqs.CreateQueue(x, &sqs.CreateQueueInput{QueueName: aws.String("work"),
		Attributes: map[string]string{"VisibilityTimeout": "30"}, Tags: map[string]string{"team": "t"}})
	if err != nil || aws.ToString(q.QueueUrl) != s.URL()+"/111111111111/work" {
		t.Fatalf("CreateQueue: %v %v", q, err)
	}
	// Same name, same attributes: the same queue; different: an error.
	if _, err := c.sqs.CreateQueue(x, &sqs.CreateQueueInput{QueueName: aws.String("work"), Attributes: map[string]string{"VisibilityTimeout": "30"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.sqs.CreateQueue(x, &sqs.CreateQueueInput{QueueName: aws.String("work"), Attributes: map[string]string{"VisibilityTimeout": "31"}}); code(err) != "QueueAlreadyExists" {
		t.Fatalf("CreateQueue with other attributes: %v", err)
	}
	u, err := c.sqs.GetQueueUrl(x, &sqs.GetQueueUrlInput{QueueName: aws.String("work")})
	if err != nil || aws.ToString(u.QueueUrl) != aws.ToString(q.QueueUrl) {
		t.Fatalf("GetQueueUrl: %v %v", u, err)
	}
	redrive := `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:111111111111:dead","maxReceiveCount":"2"}`
	if _, err := c.sqs.SetQueueAttributes(x, &sqs.SetQueueAttributesInput{QueueUrl: q.QueueUrl, Attributes: map[string]string{
		"RedrivePolicy": redrive, "Policy": `{"Version":"2012-10-17","Statement":[]}`, "VisibilityTimeout": "1"}}); err != nil {
		t.Fatal(err)
	}
	ga, err := c.sqs.GetQueueAttributes(x, &sqs.GetQueueAttributesInput{QueueUrl: q.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"All"}})
	if err != nil || ga.Attributes["RedrivePolicy"] != redrive || ga.Attributes["VisibilityTimeout"] != "1" || ga.Attributes["QueueArn"] != "arn:aws:sqs:us-east-1:111111111111:work" {
		t.Fatalf("GetQueueAttributes: %v %v", ga.Attributes, err)
	}

	sm, err := c.sqs.SendMessage(x, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String("one"),
		MessageAttributes: map[string]sqstypes.MessageAttributeValue{"k": {DataType: aws.String("String"), StringValue: aws.String("v")}}})
	if err != nil || aws.ToString(sm.MD5OfMessageAttributes) == "" {
		t.Fatalf("SendMessage: %+v %v", sm, err)
	}
	sb, err := c.sqs.SendMessageBatch(x, &sqs.SendMessageBatchInput{QueueUrl: q.QueueUrl, Entries: []sqstypes.SendMessageBatchRequestEntry{
		{Id: aws.String("a"), MessageBody: aws.String("two")}, {Id: aws.String("b"), MessageBody: aws.String("three")}}})
	if err != nil || len(sb.Successful) != 2 {
		t.Fatalf("SendMessageBatch: %+v %v", sb, err)
	}
	r, err := c.sqs.ReceiveMessage(x, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
		MessageAttributeNames: []string{"All"}, MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"ApproximateReceiveCount"}, VisibilityTimeout: 60})
	if err != nil || len(r.Messages) != 3 || aws.ToString(r.Messages[0].Body) != "one" ||
		aws.ToString(r.Messages[0].MessageAttributes["k"].StringValue) != "v" || r.Messages[0].Attributes["ApproximateReceiveCount"] != "1" {
		t.Fatalf("ReceiveMessage: %+v %v", r, err)
	}
	if _, err := c.sqs.ChangeMessageVisibility(x, &sqs.ChangeMessageVisibilityInput{QueueUrl: q.QueueUrl, ReceiptHandle: r.Messages[2].ReceiptHandle, VisibilityTimeout: 0}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.sqs.DeleteMessage(x, &sqs.DeleteMessageInput{QueueUrl: q.QueueUrl, ReceiptHandle: r.Messages[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	db, err := c.sqs.DeleteMessageBatch(x, &sqs.DeleteMessageBatchInput{QueueUrl: q.QueueUrl, Entries: []sqstypes.DeleteMessageBatchRequestEntry{
		{Id: aws.String("1"), ReceiptHandle: r.Messages[1].ReceiptHandle}, {Id: aws.String("2"), ReceiptHandle: aws.String("garbage")}}})
	if err != nil || len(db.Successful) != 1 || len(db.Failed) != 1 || aws.ToString(db.Failed[0].Code) != "ReceiptHandleIsInvalid" {
		t.Fatalf("DeleteMessageBatch: %+v %v", db, err)
	}
	// "three" is visible again (visibility 0): received a second time.
	r, err = c.sqs.ReceiveMessage(x, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 1,
		MessageSystemAttributeNames: []sqstypes.MessageSystemAttributeName{"ApproximateReceiveCount"}})
	if err != nil || len(r.Messages) != 1 || aws.ToString(r.Messages[0].Body) != "three" || r.Messages[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("second receive: %+v %v", r, err)
	}
	// After maxReceiveCount receives, the next receive moves it to the DLQ.
	eventually(t, "the message redriven to the DLQ", func() bool {
		c.sqs.ReceiveMessage(x, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 1})
		a, _ := c.sqs.GetQueueAttributes(x, &sqs.GetQueueAttributesInput{QueueUrl: dlq.QueueUrl, AttributeNames: []sqstypes.QueueAttributeName{"ApproximateNumberOfMessages"}})
		return a.Attributes["ApproximateNumberOfMessages"] == "1"
	})
	if _, err := c.sqs.PurgeQueue(x, &sqs.PurgeQueueInput{QueueUrl: dlq.QueueUrl}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.sqs.TagQueue(x, &sqs.TagQueueInput{QueueUrl: q.QueueUrl, Tags: map[string]string{"x": "1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.sqs.UntagQueue(x, &sqs.UntagQueueInput{QueueUrl: q.QueueUrl, TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	lt, err := c.sqs.ListQueueTags(x, &sqs.ListQueueTagsInput{QueueUrl: q.QueueUrl})
	if err != nil || len(lt.Tags) != 1 || lt.Tags["x"] != "1" {
		t.Fatalf("ListQueueTags: %v %v", lt, err)
	}
	lq, err := c.sqs.ListQueues(x, &sqs.ListQueuesInput{QueueNamePrefix: aws.String("wo")})
	if err != nil || len(lq.QueueUrls) != 1 {
		t.Fatalf("ListQueues: %v %v", lq, err)
	}
	if _, err := c.sqs.DeleteQueue(x, &sqs.DeleteQueueInput{QueueUrl: q.QueueUrl}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		call func() error
		code string
	}{
		{"unknown queue", func() error {
			_, err := c.sqs.SendMessage(x, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String("x")})
			return err
		}, "AWS.SimpleQueueService.NonExistentQueue"},
		{"unknown queue name", func() error {
			_, err := c.sqs.GetQueueUrl(x, &sqs.GetQueueUrlInput{QueueName: aws.String("work")})
			return err
		}, "AWS.SimpleQueueService.NonExistentQueue"},
		{"bad name", func() error {
			_, err := c.sqs.CreateQueue(x, &sqs.CreateQueueInput{QueueName: aws.String("no spaces")})
			return err
		}, "InvalidParameterValue"},
		{"bad attribute", func() error {
			_, err := c.sqs.SetQueueAttributes(x, &sqs.SetQueueAttributesInput{QueueUrl: dlq.QueueUrl, Attributes: map[string]string{"VisibilityTimeout": "99999"}})
			return err
		}, "InvalidAttributeValue"},
		{"too many messages asked", func() error {
			_, err := c.sqs.ReceiveMessage(x, &sqs.ReceiveMessageInput{QueueUrl: dlq.QueueUrl, MaxNumberOfMessages: 11})
			return err
		}, "InvalidParameterValue"},
		{"empty batch", func() error {
			_, err := c.sqs.SendMessageBatch(x, &sqs.SendMessageBatchInput{QueueUrl: dlq.QueueUrl, Entries: []sqstypes.SendMessageBatchRequestEntry{}})
			return err
		}, "AWS.SimpleQueueService.EmptyBatchRequest"},
		{"eleven in a batch", func() error {
			var es []sqstypes.SendMessageBatchRequestEntry
			for i := 0; i < 11; i++ {
				es = append(es, sqstypes.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), MessageBody: aws.String("x")})
			}
			_, err := c.sqs.SendMessageBatch(x, &sqs.SendMessageBatchInput{QueueUrl: dlq.QueueUrl, Entries: es})
			return err
		}, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"},
		{"bad receipt handle", func() error {
			_, err := c.sqs.DeleteMessage(x, &sqs.DeleteMessageInput{QueueUrl: dlq.QueueUrl, ReceiptHandle: aws.String("x")})
			return err
		}, "ReceiptHandleIsInvalid"},
	} {
		if got := code(tc.call()); got != tc.code {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.code)
		}
	}
}

// STS: the caller's identity, and AssumeRole's credentials acting as the
// role's account.
func TestSTS(t *testing.T) {
	s := start(t, serve.Options{})
	x := ctx(t)
	base := as(s.URL(), "AKIANOTANACCOUNT")
	id, err := base.sts.GetCallerIdentity(x, nil)
	if err != nil || aws.ToString(id.Account) != serve.DefaultAccount {
		t.Fatalf("GetCallerIdentity of a non-numeric key: %+v %v", id, err)
	}
	ar, err := base.sts.AssumeRole(x, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::333333333333:role/drill"), RoleSessionName: aws.String("busdrill-test")})
	if err != nil {
		t.Fatal(err)
	}
	role := as(s.URL(), aws.ToString(ar.Credentials.AccessKeyId))
	id, err = role.sts.GetCallerIdentity(x, nil)
	if err != nil || aws.ToString(id.Account) != "333333333333" || aws.ToString(id.Arn) != "arn:aws:sts::333333333333:assumed-role/drill/busdrill-test" {
		t.Fatalf("GetCallerIdentity as the role: %+v %v", id, err)
	}
	q, err := role.sqs.CreateQueue(x, &sqs.CreateQueueInput{QueueName: aws.String("mine")})
	if err != nil || aws.ToString(q.QueueUrl) != s.URL()+"/333333333333/mine" {
		t.Fatalf("CreateQueue as the role: %v %v", q, err)
	}
	if _, err := base.sts.AssumeRole(x, &sts.AssumeRoleInput{RoleArn: aws.String("not-a-role"), RoleSessionName: aws.String("s")}); code(err) != "ValidationError" {
		t.Fatalf("AssumeRole of a bad ARN: %v", err)
	}
}

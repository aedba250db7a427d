package serve_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/busdrill/busdrill/serve"
)

const acctA = "111111111111"

// Every EventBridge operation through aws-sdk-go-v2, in the order a
// deployment makes them, each checked by what the next call sees.
func TestEventBridgeOperations(t *testing.T) {
	s := start(t, serve.Options{})
	c := as(s.URL(), acctA)
	x := ctx(t)

	bus, err := c.eb.CreateEventBus(x, &eventbridge.CreateEventBusInput{Name: aws.String("orders"),
		Tags: []ebtypes.Tag{{Key: aws.String("team"), Value: aws.String("o")}}})
	if err != nil || aws.ToString(bus.EventBusArn) != "arn:aws:events:us-east-1:111111111111:event-bus/orders" {
		t.Fatalf("CreateEventBus: %v %v", bus, err)
	}
	d, err := c.eb.DescribeEventBus(x, &eventbridge.DescribeEventBusInput{Name: aws.String("orders")})
	if err != nil || aws.ToString(d.Name) != "orders" || d.Policy != nil {
		t.Fatalf("DescribeEventBus: %+v %v", d, err)
	}
	lb, err := c.eb.ListEventBuses(x, &eventbridge.ListEventBusesInput{})
	if err != nil || len(lb.EventBuses) != 2 || aws.ToString(lb.EventBuses[0].Name) != "default" {
		t.Fatalf("ListEventBuses: %+v %v", lb, err)
	}
	if _, err := c.eb.PutPermission(x, &eventbridge.PutPermissionInput{EventBusName: aws.String("orders"), Action: aws.String("events:PutEvents"),
		Principal: aws.String("222222222222"), StatementId: aws.String("from-b")}); err != nil {
		t.Fatal(err)
	}
	d, _ = c.eb.DescribeEventBus(x, &eventbridge.DescribeEventBusInput{Name: aws.String("orders")})
	if !strings.Contains(aws.ToString(d.Policy), `"AWS":"arn:aws:iam::222222222222:root"`) || !strings.Contains(aws.ToString(d.Policy), `"Sid":"from-b"`) {
		t.Fatalf("policy after PutPermission: %s", aws.ToString(d.Policy))
	}
	// The Policy form replaces the whole document.
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"all","Effect":"Allow","Principal":"*","Action":"events:PutEvents","Resource":"arn:aws:events:us-east-1:111111111111:event-bus/orders","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}`
	if _, err := c.eb.PutPermission(x, &eventbridge.PutPermissionInput{EventBusName: aws.String("orders"), Policy: aws.String(doc)}); err != nil {
		t.Fatal(err)
	}
	d, _ = c.eb.DescribeEventBus(x, &eventbridge.DescribeEventBusInput{Name: aws.String("orders")})
	if p := aws.ToString(d.Policy); strings.Contains(p, "from-b") || !strings.Contains(p, "o-1") {
		t.Fatalf("policy after PutPermission Policy=: %s", p)
	}
	if _, err := c.eb.RemovePermission(x, &eventbridge.RemovePermissionInput{EventBusName: aws.String("orders"), StatementId: aws.String("all")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.eb.RemovePermission(x, &eventbridge.RemovePermissionInput{EventBusName: aws.String("orders"), StatementId: aws.String("all")}); code(err) != "ResourceNotFoundException" {
		t.Fatalf("second RemovePermission: %v", err)
	}
	if _, err := c.eb.RemovePermission(x, &eventbridge.RemovePermissionInput{EventBusName: aws.String("orders"), RemoveAllPermissions: true}); err != nil {
		t.Fatal(err)
	}

	q, err := c.sqs.CreateQueue(x, &sqs.CreateQueueInput{QueueName: aws.String("inbox")})
	if err != nil {
		t.Fatal(err)
	}
	pattern := `{"source":["shop"],"detail":{"kind":["order"]}}`
	pr, err := c.eb.PutRule(x, &eventbridge.PutRuleInput{Name: aws.String("orders-in"), EventBusName: aws.String("orders"), EventPattern: aws.String(pattern),
		Description: aws.String("orders"), Tags: []ebtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
	if err != nil || aws.ToString(pr.RuleArn) != "arn:aws:events:us-east-1:111111111111:rule/orders/orders-in" {
		t.Fatalf("PutRule: %v %v", pr, err)
	}
	pt, err := c.eb.PutTargets(x, &eventbridge.PutTargetsInput{Rule: aws.String("orders-in"), EventBusName: aws.String("orders"), Targets: []ebtypes.Target{
		{Id: aws.String("q"), Arn: aws.String("arn:aws:sqs:us-east-1:111111111111:inbox")},
		{Id: aws.String("log"), Arn: aws.String("arn:aws:logs:us-east-1:111111111111:log-group:audit"),
			RetryPolicy: &ebtypes.RetryPolicy{MaximumRetryAttempts: aws.Int32(3)}},
	}})
	if err != nil || pt.FailedEntryCount != 0 {
		t.Fatalf("PutTargets: %+v %v", pt, err)
	}
	dr, err := c.eb.DescribeRule(x, &eventbridge.DescribeRuleInput{Name: aws.String("orders-in"), EventBusName: aws.String("orders")})
	if err != nil || aws.ToString(dr.EventPattern) != pattern || dr.State != ebtypes.RuleStateEnabled || aws.ToString(dr.Description) != "orders" {
		t.Fatalf("DescribeRule: %+v %v", dr, err)
	}
	lr, err := c.eb.ListRules(x, &eventbridge.ListRulesInput{EventBusName: aws.String("orders"), NamePrefix: aws.String("orders")})
	if err != nil || len(lr.Rules) != 1 {
		t.Fatalf("ListRules: %+v %v", lr, err)
	}
	lt, err := c.eb.ListTargetsByRule(x, &eventbridge.ListTargetsByRuleInput{Rule: aws.String("orders-in"), EventBusName: aws.String("orders")})
	if err != nil || len(lt.Targets) != 2 || aws.ToInt32(lt.Targets[1].RetryPolicy.MaximumRetryAttempts) != 3 {
		t.Fatalf("ListTargetsByRule: %+v %v", lt, err)
	}
	ln, err := c.eb.ListRuleNamesByTarget(x, &eventbridge.ListRuleNamesByTargetInput{EventBusName: aws.String("orders"), TargetArn: aws.String("arn:aws:sqs:us-east-1:111111111111:inbox")})
	if err != nil || len(ln.RuleNames) != 1 || ln.RuleNames[0] != "orders-in" {
		t.Fatalf("ListRuleNamesByTarget: %+v %v", ln, err)
	}
	tags, err := c.eb.ListTagsForResource(x, &eventbridge.ListTagsForResourceInput{ResourceARN: pr.RuleArn})
	if err != nil || len(tags.Tags) != 1 {
		t.Fatalf("ListTagsForResource: %+v %v", tags, err)
	}
	if _, err := c.eb.TagResource(x, &eventbridge.TagResourceInput{ResourceARN: bus.EventBusArn, Tags: []ebtypes.Tag{{Key: aws.String("x"), Value: aws.String("1")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.eb.UntagResource(x, &eventbridge.UntagResourceInput{ResourceARN: bus.EventBusArn, TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	tags, _ = c.eb.ListTagsForResource(x, &eventbridge.ListTagsForResourceInput{ResourceARN: bus.EventBusArn})
	if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "x" {
		t.Fatalf("bus tags: %+v", tags.Tags)
	}

	// Matching, disabled rules, and the queue target's body.
	put := func(kind string) {
		out, err := c.eb.PutEvents(x, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{{
			EventBusName: aws.String("orders"), Source: aws.String("shop"), DetailType: aws.String("Order.Created"),
			Detail: aws.String(`{"kind":"` + kind + `"}`)}}})
		if err != nil || out.FailedEntryCount != 0 || aws.ToString(out.Entries[0].EventId) == "" {
			t.Fatalf("PutEvents: %+v %v", out, err)
		}
	}
	put("order")
	put("refund") // does not match
	var bodies []string
	eventually(t, "the matching event in the queue", func() bool {
		r, err := c.sqs.ReceiveMessage(x, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range r.Messages {
			bodies = append(bodies, aws.ToString(m.Body))
			c.sqs.DeleteMessage(x, &sqs.DeleteMessageInput{QueueUrl: q.QueueUrl, ReceiptHandle: m.ReceiptHandle})
		}
		return len(bodies) > 0
	})
	var env map[string]any
	if err := json.Unmarshal([]byte(bodies[0]), &env); err != nil || env["account"] != acctA || env["source"] != "shop" || env["detail"].(map[string]any)["kind"] != "order" {
		t.Fatalf("delivered body: %s (%v)", bodies[0], err)
	}
	if _, err := c.eb.DisableRule(x, &eventbridge.DisableRuleInput{Name: aws.String("orders-in"), EventBusName: aws.String("orders")}); err != nil {
		t.Fatal(err)
	}
	dr, _ = c.eb.DescribeRule(x, &eventbridge.DescribeRuleInput{Name: aws.String("orders-in"), EventBusName: aws.String("orders")})
	if dr.State != ebtypes.RuleStateDisabled {
		t.Fatalf("state after DisableRule: %s", dr.State)
	}
	put("order") // dropped: the rule is disabled, nothing is kept for later
	// The event reaches the rules after the model's ingest latency (tens
	// of milliseconds on the model's clock, which is the wall clock): wait
	// a full second of wall time so that it is matched before the rule is
	// enabled again. The order of the two is then fixed by the model's
	// clock, not by luck.
	time.Sleep(time.Second)
	if _, err := c.eb.EnableRule(x, &eventbridge.EnableRuleInput{Name: aws.String("orders-in"), EventBusName: aws.String("orders")}); err != nil {
		t.Fatal(err)
	}
	put("order")
	got := 0
	eventually(t, "one more event, not two", func() bool {
		r, _ := c.sqs.ReceiveMessage(x, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10})
		got += len(r.Messages)
		for _, m := range r.Messages {
			c.sqs.DeleteMessage(x, &sqs.DeleteMessageInput{QueueUrl: q.QueueUrl, ReceiptHandle: m.ReceiptHandle})
		}
		return got > 0
	})
	time.Sleep(200 * time.Millisecond) // a second delivery would be here by now; generous, and not a timing assertion
	r, _ := c.sqs.ReceiveMessage(x, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 1})
	if got+len(r.Messages) != 1 {
		t.Fatalf("after disable/enable: %d deliveries, want 1 (the event sent while disabled is lost)", got+len(r.Messages))
	}

	tp, err := c.eb.TestEventPattern(x, &eventbridge.TestEventPatternInput{EventPattern: aws.String(pattern),
		Event: aws.String(`{"id":"1","account":"111111111111","source":"shop","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail-type":"x","detail":{"kind":"order"}}`)})
	if err != nil || !tp.Result {
		t.Fatalf("TestEventPattern: %+v %v", tp, err)
	}

	// Archives and replays.
	ar, err := c.eb.CreateArchive(x, &eventbridge.CreateArchiveInput{ArchiveName: aws.String("all"), EventSourceArn: bus.EventBusArn})
	if err != nil || ar.State != ebtypes.ArchiveStateEnabled {
		t.Fatalf("CreateArchive: %+v %v", ar, err)
	}
	da, err := c.eb.DescribeArchive(x, &eventbridge.DescribeArchiveInput{ArchiveName: aws.String("all")})
	if err != nil || aws.ToString(da.EventSourceArn) != aws.ToString(bus.EventBusArn) {
		t.Fatalf("DescribeArchive: %+v %v", da, err)
	}
	la, err := c.eb.ListArchives(x, &eventbridge.ListArchivesInput{})
	if err != nil || len(la.Archives) != 1 {
		t.Fatalf("ListArchives: %+v %v", la, err)
	}
	now := time.Now()
	sr, err := c.eb.StartReplay(x, &eventbridge.StartReplayInput{ReplayName: aws.String("r1"), EventSourceArn: ar.ArchiveArn,
		EventStartTime: aws.Time(now.Add(-time.Hour)), EventEndTime: aws.Time(now),
		Destination: &ebtypes.ReplayDestination{Arn: bus.EventBusArn}})
	if err != nil || sr.State != ebtypes.ReplayStateStarting {
		t.Fatalf("StartReplay: %+v %v", sr, err)
	}
	drp, err := c.eb.DescribeReplay(x, &eventbridge.DescribeReplayInput{ReplayName: aws.String("r1")})
	if err != nil || aws.ToString(drp.ReplayArn) != aws.ToString(sr.ReplayArn) {
		t.Fatalf("DescribeReplay: %+v %v", drp, err)
	}
	if _, err := c.eb.DeleteArchive(x, &eventbridge.DeleteArchiveInput{ArchiveName: aws.String("all")}); err != nil {
		t.Fatal(err)
	}

	// Tearing down: a rule with targets cannot be deleted.
	if _, err := c.eb.DeleteRule(x, &eventbridge.DeleteRuleInput{Name: aws.String("orders-in"), EventBusName: aws.String("orders")}); code(err) != "ValidationException" || message(err) != "Rule can't be deleted since it has targets." {
		t.Fatalf("DeleteRule with targets: %v", err)
	}
	if _, err := c.eb.RemoveTargets(x, &eventbridge.RemoveTargetsInput{Rule: aws.String("orders-in"), EventBusName: aws.String("orders"), Ids: []string{"q", "log"}}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // a repeated delete succeeds
		if _, err := c.eb.DeleteRule(x, &eventbridge.DeleteRuleInput{Name: aws.String("orders-in"), EventBusName: aws.String("orders")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.eb.DeleteEventBus(x, &eventbridge.DeleteEventBusInput{Name: aws.String("orders")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.eb.DescribeEventBus(x, &eventbridge.DescribeEventBusInput{Name: aws.String("orders")}); code(err) != "ResourceNotFoundException" {
		t.Fatalf("DescribeEventBus after delete: %v", err)
	}
}

// The EventBridge errors the SDK must see as AWS sends them: codes,
// messages, and (for throttling) retries.
func TestEventBridgeErrors(t *testing.T) {
	s := start(t, serve.Options{})
	c := as(s.URL(), acctA)
	x := ctx(t)
	entry := ebtypes.PutEventsRequestEntry{Source: aws.String("s"), DetailType: aws.String("t"), Detail: aws.String(`{}`)}
	eleven := make([]ebtypes.PutEventsRequestEntry, 11)
	for i := range eleven {
		eleven[i] = entry
	}
	big := entry
	big.Detail = aws.String(`{"x":"` + strings.Repeat("a", 1<<20) + `"}`)
	for _, tc := range []struct {
		name       string
		call       func() error
		code, text string
	}{
		{"unknown bus", func() error {
			_, err := c.eb.DescribeEventBus(x, &eventbridge.DescribeEventBusInput{Name: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", "Event bus nope does not exist."},
		{"rule on an unknown bus", func() error {
			_, err := c.eb.PutRule(x, &eventbridge.PutRuleInput{Name: aws.String("r"), EventBusName: aws.String("nope"), EventPattern: aws.String(`{"source":["s"]}`)})
			return err
		}, "ResourceNotFoundException", "Event bus nope does not exist."},
		{"invalid pattern", func() error {
			_, err := c.eb.PutRule(x, &eventbridge.PutRuleInput{Name: aws.String("r"), EventPattern: aws.String(`{"source":[]}`)})
			return err
		}, "InvalidEventPatternException", "Event pattern is not valid. Reason: Empty arrays are not allowed"},
		{"neither pattern nor schedule", func() error {
			_, err := c.eb.PutRule(x, &eventbridge.PutRuleInput{Name: aws.String("r")})
			return err
		}, "ValidationException", "Parameter(s) EventPattern or ScheduleExpression must be specified."},
		{"more than 10 entries", func() error {
			_, err := c.eb.PutEvents(x, &eventbridge.PutEventsInput{Entries: eleven})
			return err
		}, "ValidationException", "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10"},
		{"oversized entries", func() error {
			_, err := c.eb.PutEvents(x, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{big}})
			return err
		}, "ValidationException", "Total size of the entries in the request is over the limit."},
		{"another account's bus by ARN", func() error {
			_, err := c.eb.DescribeEventBus(x, &eventbridge.DescribeEventBusInput{Name: aws.String("arn:aws:events:us-east-1:222222222222:event-bus/default")})
			return err
		}, "AccessDeniedException", ""},
		{"unknown rule", func() error {
			_, err := c.eb.EnableRule(x, &eventbridge.EnableRuleInput{Name: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", "Rule nope does not exist on EventBus default."},
		{"a sixth target", func() error {
			c.eb.PutRule(x, &eventbridge.PutRuleInput{Name: aws.String("five"), EventPattern: aws.String(`{"source":["s"]}`)})
			var ts []ebtypes.Target
			for _, id := range []string{"a", "b", "c", "d", "e", "f"} {
				ts = append(ts, ebtypes.Target{Id: aws.String(id), Arn: aws.String("arn:aws:logs:us-east-1:111111111111:log-group:" + id)})
			}
			_, err := c.eb.PutTargets(x, &eventbridge.PutTargetsInput{Rule: aws.String("five"), Targets: ts})
			return err
		}, "LimitExceededException", "The requested resource exceeds the maximum number allowed."},
		{"two inputs", func() error {
			_, err := c.eb.PutTargets(x, &eventbridge.PutTargetsInput{Rule: aws.String("five"), Targets: []ebtypes.Target{{Id: aws.String("x"),
				Arn: aws.String("arn:aws:logs:us-east-1:111111111111:log-group:x"), Input: aws.String("{}"), InputPath: aws.String("$.detail")}}})
			return err
		}, "ValidationException", "Only one of Input, InputPath, or InputTransformer must be provided for target x."},
		{"bad event for TestEventPattern", func() error {
			_, err := c.eb.TestEventPattern(x, &eventbridge.TestEventPatternInput{EventPattern: aws.String(`{"source":["s"]}`), Event: aws.String(`{"source":"s"}`)})
			return err
		}, "ValidationException", "Parameter Event is not valid."},
		{"existing bus", func() error {
			_, err := c.eb.CreateEventBus(x, &eventbridge.CreateEventBusInput{Name: aws.String("default")})
			return err
		}, "ResourceAlreadyExistsException", "Event bus default already exists."},
		{"delete default", func() error {
			_, err := c.eb.DeleteEventBus(x, &eventbridge.DeleteEventBusInput{Name: aws.String("default")})
			return err
		}, "ValidationException", "Cannot delete event bus default."},
		{"unknown archive", func() error {
			_, err := c.eb.DescribeArchive(x, &eventbridge.DescribeArchiveInput{ArchiveName: aws.String("nope")})
			return err
		}, "ResourceNotFoundException", "Archive nope does not exist."},
	} {
		err := tc.call()
		if code(err) != tc.code || (tc.text != "" && message(err) != tc.text) {
			t.Errorf("%s: got %q %q, want %q %q", tc.name, code(err), message(err), tc.code, tc.text)
		}
	}
	// Per-entry errors come back with HTTP 200.
	out, err := c.eb.PutEvents(x, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{
		{DetailType: aws.String("t"), Detail: aws.String(`{}`)},
		{Source: aws.String("s"), DetailType: aws.String("t"), Detail: aws.String(`[1]`)},
		entry,
	}})
	if err != nil || out.FailedEntryCount != 2 || aws.ToString(out.Entries[0].ErrorCode) != "InvalidArgument" ||
		aws.ToString(out.Entries[1].ErrorCode) != "MalformedDetail" || out.Entries[2].EventId == nil {
		t.Fatalf("per-entry errors: %+v %v", out, err)
	}
}

// An unknown operation gets the service's "unknown operation" error,
// never a crash.
func TestUnknownOperation(t *testing.T) {
	s := start(t, serve.Options{})
	c := as(s.URL(), acctA)
	_, err := c.eb.ListEndpoints(ctx(t), &eventbridge.ListEndpointsInput{})
	if code(err) != "UnknownOperationException" {
		t.Fatalf("ListEndpoints: %v", err)
	}
}

package journal_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/busdrill/busdrill/internal/motoserver"
	"github.com/busdrill/busdrill/live/awsclients"
	"github.com/busdrill/busdrill/live/journal"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

func TestMain(m *testing.M) { os.Exit(motoserver.RunTests(m)) }

const (
	busID    = "111111111111"
	ordersID = "222222222222"
	region   = motoserver.TestRegion
)

// world is a moto server with two accounts reached by AssumeRole, and a
// journal to drill with.
type world struct {
	t      *testing.T
	ctx    context.Context
	set    *awsclients.Set
	bus    *awsclients.Clients
	orders *awsclients.Clients
	j      *journal.Journal
	path   string
	exec   journal.AWSExecutor
}

func newWorld(t *testing.T) *world {
	t.Helper()
	srv := motoserver.Shared(t)
	motoserver.IsolateAWSEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	set, err := awsclients.New(ctx, awsclients.Options{
		Region: region, EndpointURL: srv.URL(), RunID: "journal-test",
		Credentials: credentials.NewStaticCredentialsProvider(motoserver.TestAccessKeyID, motoserver.TestSecretAccessKey, ""),
	}, livespec.Accounts{
		"bus":    {ID: busID, RoleARN: "arn:aws:iam::" + busID + ":role/busdrill"},
		"orders": {ID: ordersID, RoleARN: "arn:aws:iam::" + ordersID + ":role/busdrill"},
	})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, ctx: ctx, set: set}
	w.bus, _ = set.Account("bus")
	w.orders, _ = set.Account("orders")
	w.path = filepath.Join(t.TempDir(), "journal.jsonl")
	w.j, err = journal.Open(w.path, journal.Options{RunID: "journal-test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.j.Close() })
	w.exec = journal.AWSExecutor{Resolve: func(name string) (journal.AccountClients, error) {
		c, err := set.Account(name)
		if err != nil {
			return journal.AccountClients{}, err
		}
		return journal.AccountClients{AccountID: c.Account.ID, Region: c.Region, EventBridge: c.EventBridge, SQS: c.SQS}, nil
	}}
	return w
}

// intent journals a mutation (write-ahead) and returns its seq.
func (w *world) intent(c *awsclients.Clients, action, resource string, inverse journal.Call) int64 {
	w.t.Helper()
	rec, err := w.j.Append(journal.Record{
		Account: c.Name, AccountID: c.Account.ID, Region: c.Region,
		Action: action, Resource: resource, Inverse: &inverse,
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return rec.Seq
}

func (w *world) must(_ any, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) restore() journal.Report {
	w.t.Helper()
	rep, err := w.j.Restore(w.ctx, w.exec, journal.RestoreOptions{})
	if err != nil {
		w.t.Fatalf("restore: %v\n%s", err, rep)
	}
	return rep
}

func (w *world) ruleState(c *awsclients.Clients, bus, rule string) ebtypes.RuleState {
	w.t.Helper()
	d, err := c.EventBridge.DescribeRule(w.ctx, &eventbridge.DescribeRuleInput{Name: aws.String(rule), EventBusName: aws.String(bus)})
	if err != nil {
		w.t.Fatal(err)
	}
	return d.State
}

func (w *world) policy(c *awsclients.Clients, bus string) *string {
	w.t.Helper()
	d, err := c.EventBridge.DescribeEventBus(w.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String(bus)})
	if err != nil {
		w.t.Fatal(err)
	}
	return d.Policy
}

func (w *world) createRule(c *awsclients.Clients, bus, rule string) string {
	w.t.Helper()
	out, err := c.EventBridge.PutRule(w.ctx, &eventbridge.PutRuleInput{
		Name: aws.String(rule), EventBusName: aws.String(bus),
		EventPattern: aws.String(`{"detail-type":["Order.Created"]}`),
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return aws.ToString(out.RuleArn)
}

// (b) Disable a rule with a journal entry; restore enables it; restoring
// again does nothing; a second journal with the same intent finds the rule
// already enabled.
func TestRestoreDisabledRule(t *testing.T) {
	w := newWorld(t)
	w.must(w.orders.EventBridge.CreateEventBus(w.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("local")}))
	arn := w.createRule(w.orders, "local", "consume-orders")
	if !strings.Contains(arn, ordersID) {
		t.Fatalf("rule ARN %s not in the orders account", arn)
	}

	// The actuator: observe, journal, mutate.
	if s := w.ruleState(w.orders, "local", "consume-orders"); s != ebtypes.RuleStateEnabled {
		t.Fatalf("rule starts %s", s)
	}
	seq := w.intent(w.orders, "events:DisableRule", arn, journal.EnableRuleCall("local", "consume-orders"))
	w.must(w.orders.EventBridge.DisableRule(w.ctx, &eventbridge.DisableRuleInput{Name: aws.String("consume-orders"), EventBusName: aws.String("local")}))
	if err := w.j.MarkApplied(seq, ""); err != nil {
		t.Fatal(err)
	}
	if s := w.ruleState(w.orders, "local", "consume-orders"); s != ebtypes.RuleStateDisabled {
		t.Fatalf("rule is %s after DisableRule", s)
	}

	rep := w.restore()
	if got := statuses(rep); got != "#1 restored" {
		t.Errorf("restore: %s", got)
	}
	if s := w.ruleState(w.orders, "local", "consume-orders"); s != ebtypes.RuleStateEnabled {
		t.Errorf("rule is %s after restore, want ENABLED", s)
	}
	if got := statuses(w.restore()); got != "#1 done-earlier" {
		t.Errorf("second restore: %s", got)
	}

	// Same intent, new journal (no markers): the executor sees ENABLED.
	copyPath := filepath.Join(t.TempDir(), "copy.jsonl")
	j2, err := journal.Open(copyPath, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := w.j.Records()[0]
	if _, err := j2.Append(journal.Record{Account: in.Account, AccountID: in.AccountID, Region: in.Region,
		Action: in.Action, Resource: in.Resource, Inverse: in.Inverse}); err != nil {
		t.Fatal(err)
	}
	rep, err = j2.Restore(w.ctx, w.exec, journal.RestoreOptions{})
	j2.Close()
	if err != nil || statuses(rep) != "#1 unchanged" {
		t.Errorf("restore on an enabled rule: %s, %v", statuses(rep), err)
	}
}

// (b) Bus policy changes are undone to the exact prior policy, or to no
// policy when there was none, including through moto's merging
// PutPermission; restoring twice is harmless.
func TestRestoreBusPolicy(t *testing.T) {
	w := newWorld(t)
	eb := w.bus.EventBridge
	for _, name := range []string{"global", "fresh"} {
		w.must(eb.CreateEventBus(w.ctx, &eventbridge.CreateEventBusInput{Name: aws.String(name)}))
	}
	globalARN := "arn:aws:events:" + region + ":" + busID + ":event-bus/global"
	freshARN := "arn:aws:events:" + region + ":" + busID + ":event-bus/fresh"
	// The backbone's own policy: orders may PutEvents to global.
	w.must(eb.PutPermission(w.ctx, &eventbridge.PutPermissionInput{EventBusName: aws.String("global"),
		Action: aws.String("events:PutEvents"), Principal: aws.String(ordersID), StatementId: aws.String("orders")}))
	prior := w.policy(w.bus, "global")
	if prior == nil {
		t.Fatal("no policy on global after PutPermission")
	}

	// Chaos 1: an intruder statement is added (merged into the policy).
	w.intent(w.bus, "events:PutPermission", globalARN, journal.RestorePolicyCall("global", w.policy(w.bus, "global")))
	w.must(eb.PutPermission(w.ctx, &eventbridge.PutPermissionInput{EventBusName: aws.String("global"),
		Action: aws.String("events:PutEvents"), Principal: aws.String("333333333333"), StatementId: aws.String("intruder")}))
	// Chaos 2: permission loss: the orders statement is removed.
	w.intent(w.bus, "events:RemovePermission", globalARN, journal.RestorePolicyCall("global", w.policy(w.bus, "global")))
	w.must(eb.RemovePermission(w.ctx, &eventbridge.RemovePermissionInput{EventBusName: aws.String("global"), StatementId: aws.String("orders")}))
	// Chaos 3: a bus with no policy gets one.
	if w.policy(w.bus, "fresh") != nil {
		t.Fatal("fresh bus has a policy")
	}
	w.intent(w.bus, "events:PutPermission", freshARN, journal.RestorePolicyCall("fresh", nil))
	w.must(eb.PutPermission(w.ctx, &eventbridge.PutPermissionInput{EventBusName: aws.String("fresh"),
		Action: aws.String("events:PutEvents"), Principal: aws.String("*"), StatementId: aws.String("everyone")}))

	if eq, _ := journal.PoliciesEqual(aws.ToString(w.policy(w.bus, "global")), *prior); eq {
		t.Fatal("chaos did not change the global policy")
	}
	rep := w.restore()
	if got, want := statuses(rep), "#3 restored, #2 restored, #1 restored"; got != want {
		t.Errorf("restore: %s, want %s", got, want)
	}
	got := w.policy(w.bus, "global")
	if eq, err := journal.PoliciesEqual(aws.ToString(got), *prior); err != nil || !eq {
		t.Errorf("global policy after restore:\n%s\nwant:\n%s", aws.ToString(got), *prior)
	}
	if aws.ToString(got) != *prior {
		t.Logf("policy equal as JSON but not byte for byte:\n%s\n%s", aws.ToString(got), *prior)
	}
	if p := w.policy(w.bus, "fresh"); p != nil {
		t.Errorf("fresh bus has a policy after restore: %s", *p)
	}
	if got := statuses(w.restore()); got != "#3 done-earlier, #2 done-earlier, #1 done-earlier" {
		t.Errorf("second restore: %s", got)
	}
}

// Resources busdrill created (bus, rule, target, queue) are deleted by
// restore, target before rule; restoring them again finds them gone.
func TestRestoreCreatedResources(t *testing.T) {
	w := newWorld(t)
	eb, q := w.orders.EventBridge, w.orders.SQS
	busARN := "arn:aws:events:" + region + ":" + ordersID + ":event-bus/drill"
	w.intent(w.orders, "events:CreateEventBus", busARN, journal.DeleteEventBusCall("drill"))
	w.must(eb.CreateEventBus(w.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("drill")}))
	// The URL is only known after CreateQueue: journal by name first.
	queueARN := "arn:aws:sqs:" + region + ":" + ordersID + ":drill-sink"
	w.intent(w.orders, "sqs:CreateQueue", queueARN, journal.DeleteQueueByNameCall("drill-sink"))
	w.must(q.CreateQueue(w.ctx, &sqs.CreateQueueInput{QueueName: aws.String("drill-sink")}))
	// A second queue, journaled by URL after the fact.
	cq, err := q.CreateQueue(w.ctx, &sqs.CreateQueueInput{QueueName: aws.String("drill-dlq")})
	if err != nil {
		t.Fatal(err)
	}
	w.intent(w.orders, "sqs:CreateQueue", queueARN+"-dlq", journal.DeleteQueueCall(aws.ToString(cq.QueueUrl)))
	ruleARN := "arn:aws:events:" + region + ":" + ordersID + ":rule/drill/observe"
	w.intent(w.orders, "events:PutRule", ruleARN, journal.DeleteRuleCall("drill", "observe"))
	w.createRule(w.orders, "drill", "observe")
	w.intent(w.orders, "events:PutTargets", ruleARN, journal.RemoveTargetsCall("drill", "observe", "sink"))
	w.must(eb.PutTargets(w.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("observe"), EventBusName: aws.String("drill"),
		Targets: []ebtypes.Target{{Id: aws.String("sink"), Arn: aws.String(queueARN)}}}))

	rep := w.restore()
	if got, want := statuses(rep), "#5 restored, #4 restored, #3 restored, #2 restored, #1 restored"; got != want {
		t.Errorf("restore: %s, want %s", got, want)
	}
	if _, err := eb.DescribeEventBus(w.ctx, &eventbridge.DescribeEventBusInput{Name: aws.String("drill")}); err == nil {
		t.Error("bus drill still exists")
	}
	qs, err := q.ListQueues(w.ctx, &sqs.ListQueuesInput{})
	if err != nil || len(qs.QueueUrls) != 0 {
		t.Errorf("queues after restore: %v, %v", qs.QueueUrls, err)
	}

	// The same intents without markers: everything is already gone.
	j2path := filepath.Join(t.TempDir(), "again.jsonl")
	j2, err := journal.Open(j2path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	for _, r := range w.j.Records() {
		if r.Kind == journal.Intent {
			r.Seq, r.V = 0, 0
			if _, err := j2.Append(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	rep, err = j2.Restore(w.ctx, w.exec, journal.RestoreOptions{})
	if err != nil {
		t.Fatalf("%v\n%s", err, rep)
	}
	if got, want := statuses(rep), "#5 unchanged, #4 unchanged, #3 unchanged, #2 unchanged, #1 unchanged"; got != want {
		t.Errorf("restore of gone resources: %s, want %s", got, want)
	}
}

// (b) A restore interrupted midway (context cancelled after the first
// inverse, as by ^C) resumes: the second run does only the rest.
func TestRestoreInterruptedResumesAgainstMoto(t *testing.T) {
	w := newWorld(t)
	eb := w.orders.EventBridge
	w.must(eb.CreateEventBus(w.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("local")}))
	rules := []string{"r1", "r2", "r3"}
	for _, r := range rules {
		arn := w.createRule(w.orders, "local", r)
		w.intent(w.orders, "events:DisableRule", arn, journal.EnableRuleCall("local", r))
		w.must(eb.DisableRule(w.ctx, &eventbridge.DisableRuleInput{Name: aws.String(r), EventBusName: aws.String("local")}))
	}
	ctx, cancel := context.WithCancel(w.ctx)
	calls := 0
	interrupting := journal.ExecutorFunc(func(ctx context.Context, in journal.Record) (journal.Outcome, error) {
		calls++
		out, err := w.exec.Execute(ctx, in)
		cancel()
		return out, err
	})
	rep, err := w.j.Restore(ctx, interrupting, journal.RestoreOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted restore: %v", err)
	}
	if got, want := statuses(rep), "#3 restored, #2 not-run, #1 not-run"; got != want {
		t.Errorf("interrupted: %s, want %s", got, want)
	}
	if s := w.ruleState(w.orders, "local", "r1"); s != ebtypes.RuleStateDisabled {
		t.Errorf("r1 is %s after the interrupted restore, want still DISABLED", s)
	}
	j := w.j
	j.Close()
	// A new process resumes from the file.
	rep, err = journal.Restore(w.ctx, w.path, w.exec, journal.RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := statuses(rep), "#3 done-earlier, #2 restored, #1 restored"; got != want {
		t.Errorf("resumed: %s, want %s", got, want)
	}
	for _, r := range rules {
		if s := w.ruleState(w.orders, "local", r); s != ebtypes.RuleStateEnabled {
			t.Errorf("%s is %s after restore", r, s)
		}
	}
	if calls != 1 {
		t.Errorf("interrupting executor ran %d times", calls)
	}
}

// The executor refuses a record whose account id does not match the
// credentials it resolves.
func TestExecutorRefusesWrongAccount(t *testing.T) {
	w := newWorld(t)
	_, err := w.j.Append(journal.Record{Account: "orders", AccountID: "999999999999", Region: region,
		Action: "events:DisableRule", Resource: "arn:aws:events:eu-west-1:999999999999:rule/x",
		Inverse: ptr(journal.EnableRuleCall("local", "x"))})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := w.j.Restore(w.ctx, w.exec, journal.RestoreOptions{})
	if err == nil || !strings.Contains(err.Error(), "refusing") || statuses(rep) != "#1 failed" {
		t.Errorf("restore = %s, %v; want a refusal", statuses(rep), err)
	}
}

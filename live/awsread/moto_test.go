package awsread

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"slices"
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
	"github.com/busdrill/busdrill/live/session"
	"github.com/busdrill/busdrill/scenarios/livespec"
	"github.com/busdrill/busdrill/topology"
	"github.com/busdrill/busdrill/topology/lint"
)

func TestMain(m *testing.M) { os.Exit(motoserver.RunTests(m)) }

// backbone is the reference backbone with what a team deploys around it:
// a DLQ on each fan-out target, a disabled consumer rule with a queue and
// a Lambda target, retry policies.
func backbone() *topology.Topology {
	t := topology.Reference(2, topology.Service{Name: "orders"}, topology.Service{
		Name: "delivery", Queues: []string{"inbox", "dlq"}, Handlers: []string{"worker"},
		Rules: []topology.Rule{{Name: "created", Pattern: `{"detail-type":["Order.Created"]}`, State: topology.Disabled, Description: "to the worker", Targets: []topology.Target{
			{ID: "fn", Kind: topology.KindHandler, Handler: "delivery/worker", DLQ: "delivery/dlq", Retry: topology.RetryPolicy{MaximumRetryAttempts: topology.Int(3)}},
			{ID: "q", Kind: topology.KindQueue, Queue: "delivery/inbox", DLQ: "delivery/dlq", Retry: topology.RetryPolicy{MaximumEventAgeInSeconds: topology.Int(600)}},
		}}},
	})
	t.Region = motoserver.TestRegion
	t.Queues = append([]topology.Queue{{Account: "bus", Name: "fanout-dlq"}}, t.Queues...)
	for j := range t.Buses[0].Rules {
		for k := range t.Buses[0].Rules[j].Targets {
			if tg := &t.Buses[0].Rules[j].Targets[k]; tg.Kind == topology.KindBus {
				tg.DLQ = "bus/fanout-dlq"
			}
		}
	}
	return t
}

// deploy creates the topology with the control-plane calls a deployment
// makes (CreateEventBus, PutPermission, PutRule, PutTargets, CreateQueue).
func deploy(ctx context.Context, t *testing.T, set *awsclients.Set, topo *topology.Topology) {
	t.Helper()
	id := map[string]string{}
	for _, a := range topo.Accounts {
		id[a.Name] = a.ID
	}
	arnOf := func(kind, ref, owner string) string {
		acct, name, _ := topology.SplitRef(ref)
		switch kind {
		case "bus":
			return topology.BusARN(topo.Region, id[acct], name)
		case "queue":
			return topology.QueueARN(topo.Region, id[acct], name)
		case "handler":
			return topology.FunctionARN(topo.Region, id[acct], name)
		}
		return topology.LogARN(topo.Region, id[owner], ref) + ":*"
	}
	for _, q := range topo.Queues {
		c, _ := set.Account(q.Account)
		if _, err := c.SQS.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(q.Name)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, b := range topo.Buses {
		c, _ := set.Account(b.Account)
		eb := c.EventBridge
		if _, err := eb.CreateEventBus(ctx, &eventbridge.CreateEventBusInput{Name: aws.String(b.Name)}); err != nil {
			t.Fatal(err)
		}
		for _, s := range b.Policy {
			if _, err := eb.PutPermission(ctx, &eventbridge.PutPermissionInput{EventBusName: aws.String(b.Name), StatementId: aws.String(s.Sid),
				Action: aws.String(topology.ActionPutEvents), Principal: aws.String(id[s.Principal])}); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range b.Rules {
			if _, err := eb.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(r.Name), EventBusName: aws.String(b.Name),
				EventPattern: aws.String(r.Pattern), State: ebtypes.RuleState(r.State), Description: aws.String(r.Description)}); err != nil {
				t.Fatal(err)
			}
			var targets []ebtypes.Target
			for _, tg := range r.Targets {
				ref := tg.Bus + tg.Queue + tg.Handler + tg.Log
				et := ebtypes.Target{Id: aws.String(tg.ID), Arn: aws.String(arnOf(string(tg.Kind), ref, b.Account))}
				if tg.Role != "" {
					et.RoleArn = aws.String(topology.RoleARN(id[b.Account], tg.Role))
				}
				if tg.DLQ != "" {
					et.DeadLetterConfig = &ebtypes.DeadLetterConfig{Arn: aws.String(arnOf("queue", tg.DLQ, ""))}
				}
				if p := tg.Retry; p.MaximumRetryAttempts != nil || p.MaximumEventAgeInSeconds != nil {
					et.RetryPolicy = &ebtypes.RetryPolicy{MaximumRetryAttempts: int32p(p.MaximumRetryAttempts), MaximumEventAgeInSeconds: int32p(p.MaximumEventAgeInSeconds)}
				}
				targets = append(targets, et)
			}
			if _, err := eb.PutTargets(ctx, &eventbridge.PutTargetsInput{Rule: aws.String(r.Name), EventBusName: aws.String(b.Name), Targets: targets}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func int32p(v *int) *int32 {
	if v == nil {
		return nil
	}
	n := int32(*v)
	return &n
}

// TestImportFromMoto checks the reader's request shapes against moto, an
// implementation of the AWS wire protocols nobody here wrote: a backbone
// deployed with the SDK's control-plane calls imports back to the same
// topology, with only the calls of the plan.
func TestImportFromMoto(t *testing.T) {
	srv := motoserver.Shared(t)
	motoserver.IsolateAWSEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	want := backbone()
	cfg := &livespec.Config{Region: want.Region, EndpointURL: srv.URL(), Accounts: livespec.Accounts{}}
	for _, a := range want.Accounts {
		cfg.AllowedAccounts = append(cfg.AllowedAccounts, a.ID)
		cfg.Accounts[a.Name] = livespec.Account{ID: a.ID, RoleARN: topology.RoleARN(a.ID, "busdrill")}
	}
	creds := credentials.NewStaticCredentialsProvider(motoserver.TestAccessKeyID, motoserver.TestSecretAccessKey, "")
	set, err := session.Clients(ctx, cfg, "", "deploy", creds)
	if err != nil {
		t.Fatal(err)
	}
	deploy(ctx, t, set, want)

	res, err := Import(ctx, cfg, Options{OrgID: topology.RefOrgID, Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) > 0 || len(res.Notes) > 0 {
		t.Fatalf("problems %v notes %v", res.Problems, res.Notes)
	}
	got := res.Topology
	slices.SortFunc(got.Queues, func(a, b topology.Queue) int { return strings.Compare(a.Ref(), b.Ref()) })
	slices.SortFunc(want.Queues, func(a, b topology.Queue) int { return strings.Compare(a.Ref(), b.Ref()) })
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("the topology read back from moto differs:\n--- got\n%s\n--- want\n%s", g, w)
	}
	if q := res.Facts.Queues["delivery/inbox"]; !q.Exists || q.FIFO || q.Messages != 0 {
		t.Errorf("inbox facts %+v", q)
	}

	// A DLQ deleted since: the import says so (a fact for the lint).
	c, _ := set.Account("delivery")
	u, err := c.SQS.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("dlq")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SQS.DeleteQueue(ctx, &sqs.DeleteQueueInput{QueueUrl: u.QueueUrl}); err != nil {
		t.Fatal(err)
	}
	res, err = Import(ctx, cfg, Options{OrgID: topology.RefOrgID, Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	if q, ok := res.Facts.Queues["delivery/dlq"]; !ok || q.Exists {
		t.Errorf("deleted DLQ facts %+v (%v)", q, ok)
	}
	// ... and the lint of what is deployed reports it.
	r := lint.Run(lint.FromImport(res, "moto"))
	var unusable []string
	for _, f := range r.Findings {
		if f.Check == "queue-unusable" {
			unusable = append(unusable, f.Resource)
		}
	}
	if want := []string{"delivery/local/created/fn", "delivery/local/created/q"}; !slices.Equal(unusable, want) {
		t.Errorf("queue-unusable on %v, want %v", unusable, want)
	}
}

// TestImportRefusesOutsideTheAllowlist: nothing is called for an account
// the allowlist does not name (the endpoint is a closed port).
func TestImportRefusesOutsideTheAllowlist(t *testing.T) {
	motoserver.IsolateAWSEnv(t)
	cfg := &livespec.Config{Region: "eu-west-1", EndpointURL: "http://127.0.0.1:1", AllowedAccounts: []string{"111111111111"},
		Accounts: livespec.Accounts{"bus": {ID: "111111111111"}, "orders": {ID: "222222222222"}}}
	_, err := Import(context.Background(), cfg, Options{})
	if err == nil || !strings.Contains(err.Error(), "refusing: account 222222222222 (orders) not in allowed_accounts") {
		t.Fatalf("error %v", err)
	}
	p := Plan(cfg, Options{})
	var calls []string
	for _, s := range p.Steps {
		if s.Mutates {
			t.Errorf("%s mutates", s.Call)
		}
		calls = append(calls, s.Account+" "+s.Call)
	}
	if len(calls) != 2+2*7 || calls[0] != "bus sts:GetCallerIdentity" || calls[2] != "bus events:ListEventBuses" {
		t.Errorf("plan %v", calls)
	}
}

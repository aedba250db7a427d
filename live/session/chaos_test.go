package session_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/busdrill/busdrill/live/actuators"
	"github.com/busdrill/busdrill/live/journal"
	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/live/schedule"
	"github.com/busdrill/busdrill/live/session"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios/livespec"
)

func (e *env) ruleState(t *testing.T, acct, bus, rule string) ebtypes.RuleState {
	t.Helper()
	c, _ := e.set.Account(acct)
	d, err := c.EventBridge.DescribeRule(context.Background(), &eventbridge.DescribeRuleInput{Name: aws.String(rule), EventBusName: aws.String(bus)})
	if err != nil {
		t.Fatal(err)
	}
	return d.State
}

func (e *env) policy(t *testing.T, acct, bus string) string {
	t.Helper()
	c, _ := e.set.Account(acct)
	d, err := c.EventBridge.DescribeEventBus(context.Background(), &eventbridge.DescribeEventBusInput{Name: aws.String(bus)})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(d.Policy)
}

// Chaos during a run: a rule disabled and re-enabled inside the run, a
// bus policy statement removed and left for the end-of-run rollback, and
// client-side entry throttling and duplicates. serve enforces the
// control-plane faults; their effect is also checked on its control plane
// and in the journal; the client-side faults show in the results.
func TestChaosActuatorsDuringRun(t *testing.T) {
	sc := reference(t, 20, 5*time.Second)
	e := deployed(t, sc)
	priorPolicy := e.policy(t, "bus", "global")
	if !strings.Contains(priorPolicy, "allow-orders") {
		t.Fatalf("fixture policy %s has no allow-orders", priorPolicy)
	}
	opts := e.options(t, sc)
	var seenDisabled, seenReenabled atomic.Value
	var seenPolicy atomic.Value
	chaosErr := make(chan error, 1)
	session.WithChaos(&opts, func(_ context.Context, env *schedule.Env) error {
		chaosErr <- func() error {
			ctx := context.Background()
			bus, err := env.Target("bus")
			if err != nil {
				return err
			}
			env.Faults.Set(0, 0.2, 0.2)
			ch, err := actuators.DisableRule(ctx, env.Journal, bus, "global", "to-delivery")
			if err != nil || ch.Noop() {
				return errors.Join(err, errors.New("disable was a no-op"))
			}
			seenDisabled.Store(e.ruleState(t, "bus", "global", "to-delivery"))
			time.Sleep(time.Second)
			if err := actuators.Revert(ctx, env.Journal, bus, ch); err != nil {
				return err
			}
			seenReenabled.Store(e.ruleState(t, "bus", "global", "to-delivery"))
			if _, err := actuators.RemovePolicyStatement(ctx, env.Journal, bus, "global", "allow-orders"); err != nil {
				return err
			}
			seenPolicy.Store(e.policy(t, "bus", "global"))
			time.Sleep(2 * time.Second)
			env.Faults.Off()
			return nil
		}()
		return nil
	})
	out, err := session.Run(testCtx(t, 60*time.Second), opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-chaosErr; err != nil {
		t.Fatal(err)
	}
	if got := seenDisabled.Load(); got != ebtypes.RuleStateDisabled {
		t.Errorf("during the fault the rule was %v", got)
	}
	if got := seenReenabled.Load(); got != ebtypes.RuleStateEnabled {
		t.Errorf("after Revert the rule was %v", got)
	}
	if p, _ := seenPolicy.Load().(string); strings.Contains(p, "allow-orders") {
		t.Errorf("statement still there during the fault: %s", p)
	}
	if eq, err := journal.PoliciesEqual(e.policy(t, "bus", "global"), priorPolicy); err != nil || !eq {
		t.Errorf("policy after the run differs from before (%v):\n%s\n%s", err, e.policy(t, "bus", "global"), priorPolicy)
	}
	if !out.Restore.OK() {
		t.Errorf("restore: %v", out.Restore)
	}
	recs, err := journal.Read(opts.JournalPath)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range recs {
		if r.Kind == journal.Intent {
			actions = append(actions, r.Action+" "+r.Inverse.Action)
		}
	}
	if got := strings.Join(actions, ", "); !strings.Contains(got, "events:DisableRule events:EnableRule") ||
		!strings.Contains(got, "events:RemovePermission events:PutPermission") {
		t.Errorf("journal intents: %s", got)
	}
	r := out.Results
	if r.Metrics["live:resent_entries"] == 0 {
		t.Errorf("entry throttling caused no resend: %v", r.Metrics)
	}
	var byKey int64
	for _, d := range r.Duplicates {
		byKey += d.ByKey
	}
	if byKey == 0 {
		t.Errorf("duplicates fault caused no duplicate: %+v", r.Duplicates)
	}
	if r.Idempotency.Violations != 0 {
		t.Errorf("business-key stand-ins let duplicates through: %+v", r.Idempotency)
	}
	// serve enforces the faults: orders published without the policy
	// statement are refused, those the disabled rule held from the
	// delivery account never complete; the ledger still balances.
	if !r.Ledger.Balanced || r.Orders.NotSentCauses["AccessDeniedException"] == 0 || r.Orders.Completed >= r.Orders.Sent {
		t.Errorf("ledger balanced %v, orders %+v: want refused and incomplete orders, balanced", r.Ledger.Balanced, r.Orders)
	}
	if left := e.leftovers(t, sc); len(left) > 0 {
		t.Errorf("left behind: %+v", left)
	}
}

// An interrupted run (SIGINT: the context is cancelled) that kept its
// probes: the results are partial and marked interrupted, the chaos change
// is rolled back at once, and 'busdrill aws restore' (journal.Restore with
// the AWS executor) removes the rest from the journal, idempotently.
func TestInterruptedRunRestoredFromJournal(t *testing.T) {
	sc := reference(t, 20, 30*time.Second)
	e := deployed(t, sc)
	opts := e.options(t, sc)
	opts.Keep = true
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	session.WithChaos(&opts, func(_ context.Context, env *schedule.Env) error {
		bus, _ := env.Target("bus")
		actuators.DisableRule(context.Background(), env.Journal, bus, "global", "to-orders")
		time.Sleep(3 * time.Second)
		cancel() // what SIGINT does
		return nil
	})
	started := time.Now()
	out, err := session.Run(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(started) > 20*time.Second {
		t.Errorf("interrupt took %v to stop the run", time.Since(started))
	}
	r := out.Results
	if !r.Interrupted || r.Orders.Sent == 0 || r.Orders.Sent >= r.Orders.Planned {
		t.Errorf("interrupted %v, orders %+v: want partial results marked interrupted", r.Interrupted, r.Orders)
	}
	if got := e.ruleState(t, "bus", "global", "to-orders"); got != ebtypes.RuleStateEnabled {
		t.Errorf("chaos change not rolled back on interrupt: rule %v", got)
	}
	if left := e.leftovers(t, sc); len(left) != 6 {
		t.Fatalf("kept probes: %+v, want 3 rules and 3 queues", left)
	}
	rep, err := journal.Restore(context.Background(), opts.JournalPath, session.Executor(e.set), journal.RestoreOptions{})
	if err != nil || !rep.OK() {
		t.Fatalf("restore: %v\n%v", err, rep)
	}
	if left := e.leftovers(t, sc); len(left) > 0 {
		t.Errorf("left behind after restore: %+v", left)
	}
	again, err := journal.Restore(context.Background(), opts.JournalPath, session.Executor(e.set), journal.RestoreOptions{})
	if err != nil || again.Count(journal.StatusChanged) != 0 {
		t.Errorf("second restore changed something: %v\n%v", err, again)
	}
}

// An account outside the allowlist is refused before any call: the
// endpoint sees no request at all.
func TestAllowlistRefusesBeforeAnyCall(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Error(w, "no", http.StatusInternalServerError)
	}))
	defer srv.Close()
	cfg, err := livespec.Parse("live.yaml", []byte(strings.Replace(liveYAML, `, "333333333333"]`, `]`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	sc := reference(t, 20, time.Second)
	_, err = session.Run(context.Background(), session.Options{
		Scenario: sc, Config: cfg, EndpointURL: srv.URL, JournalPath: filepath.Join(t.TempDir(), "j.jsonl"),
	})
	if err == nil || !strings.Contains(err.Error(), "refusing: account 333333333333 (delivery) not in allowed_accounts") {
		t.Fatalf("err = %v", err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests reached the endpoint", n)
	}
	if _, err := provision.NewLayout(sc, cfg, "r", loadgen.Shard{}); err == nil {
		t.Error("NewLayout (plan, provision, teardown) accepted the account too")
	}
}

// Provision creates tagged probes; teardown removes exactly what carries
// busdrill's tags (an untagged look-alike survives) and is idempotent.
func TestProvisionTeardown(t *testing.T) {
	sc := reference(t, 20, time.Second)
	e := deployed(t, sc)
	ctx := testCtx(t, 30*time.Second)
	layout, err := provision.NewLayout(sc, e.cfg, "pt-1", loadgen.Shard{})
	if err != nil {
		t.Fatal(err)
	}
	j, err := journal.Open(filepath.Join(t.TempDir(), "j.jsonl"), journal.Options{RunID: "pt-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	prov, err := provision.Provision(ctx, e.set, j, layout)
	if err != nil {
		t.Fatal(err)
	}
	if len(prov.QueueURLs) != 3 {
		t.Fatalf("queues %v", prov.QueueURLs)
	}
	orders, _ := e.set.Account("orders")
	// An untagged queue and rule that look like busdrill's.
	if _, err := orders.SQS.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("busdrill-not-ours")}); err != nil {
		t.Fatal(err)
	}
	if _, err := orders.EventBridge.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String("busdrill-not-ours"),
		EventBusName: aws.String("local"), EventPattern: aws.String(`{"source":["x"]}`)}); err != nil {
		t.Fatal(err)
	}
	for _, url := range prov.QueueURLs {
		tags, err := orders.SQS.ListQueueTags(ctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(url)})
		if err == nil && tags.Tags[provision.TagRunID] != "pt-1" && strings.Contains(url, "222222222222") {
			t.Errorf("queue %s tags %v", url, tags.Tags)
		}
	}
	removed, err := provision.Teardown(ctx, e.set, layout, provision.TeardownOptions{RunID: "pt-1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 6 {
		t.Errorf("removed %+v, want 3 rules and 3 queues", removed)
	}
	if again, err := provision.Teardown(ctx, e.set, layout, provision.TeardownOptions{}); err != nil || len(again) != 0 {
		t.Errorf("second teardown: %v %+v", err, again)
	}
	if _, err := orders.SQS.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("busdrill-not-ours")}); err != nil {
		t.Errorf("untagged queue removed: %v", err)
	}
	if got := e.ruleState(t, "orders", "local", "busdrill-not-ours"); got != ebtypes.RuleStateEnabled {
		t.Errorf("untagged rule: %v", got)
	}
}

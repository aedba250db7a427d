package session_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/busdrill/busdrill/internal/motoserver"
	"github.com/busdrill/busdrill/live/awsclients"
	"github.com/busdrill/busdrill/live/provision"
	"github.com/busdrill/busdrill/live/session"
	"github.com/busdrill/busdrill/loadgen"
	"github.com/busdrill/busdrill/scenarios"
	"github.com/busdrill/busdrill/scenarios/livespec"
	"github.com/busdrill/busdrill/serve"
)

const liveYAML = `region: eu-west-1
allowed_accounts: ["111111111111", "222222222222", "333333333333"]
accounts:
  bus: {id: "111111111111", role_arn: "arn:aws:iam::111111111111:role/busdrill"}
  orders: {id: "222222222222", role_arn: "arn:aws:iam::222222222222:role/busdrill"}
  delivery: {id: "333333333333", role_arn: "arn:aws:iam::333333333333:role/busdrill"}
stop:
  max_error_rate: 0.5
publisher:
  concurrency: 4
probes:
  pollers: 1
`

func liveConfig(t *testing.T) *livespec.Config {
	t.Helper()
	cfg, err := livespec.Parse("live.yaml", []byte(liveYAML))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// reference is the built-in reference scenario, small: 20 orders/s for
// 10 s, 10 s of drain.
func reference(t *testing.T, rate float64, d time.Duration) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatal(err)
	}
	sc.Traffic.Arrivals.Shape = loadgen.Constant{Rate: rate, Duration: d}
	sc.Drain = 10 * time.Second
	// Wall-clock latency depends on the machine's load:
	// the live tests check completion, loss, the ledger and idempotency,
	// never a latency.
	sc.Expect = slices.DeleteFunc(sc.Expect, func(e scenarios.Expectation) bool {
		return strings.HasPrefix(e.Cond.Metric, "e2e.") || strings.HasPrefix(e.Cond.Metric, "hop.")
	})
	return sc
}

type env struct {
	url   string
	creds aws.CredentialsProvider
	cfg   *livespec.Config
	set   *awsclients.Set
}

// deployed starts a busdrill serve on loopback with the scenario's
// backbone (a faithful local EventBridge: disabled rules, policies and
// the one-hop rule take effect, with no control-plane lag).
func deployed(t *testing.T, sc *scenarios.Scenario) *env {
	t.Helper()
	motoserver.IsolateAWSEnv(t)
	srv, err := serve.New(serve.Options{Listen: "127.0.0.1:0", Scenario: sc, Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	e := &env{url: srv.URL(), cfg: liveConfig(t),
		creds: credentials.NewStaticCredentialsProvider("AKIASESSIONTEST", "secret", "")}
	e.set, err = session.Clients(testCtx(t, 30*time.Second), e.cfg, e.url, "fixture", e.creds)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func testCtx(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func (e *env) options(t *testing.T, sc *scenarios.Scenario) session.Options {
	return session.Options{
		Scenario: sc, Config: e.cfg, EndpointURL: e.url, Credentials: e.creds,
		JournalPath: filepath.Join(t.TempDir(), "journal.jsonl"), Version: "test", SettleEarly: true,
	}
}

// leftovers lists what busdrill created and left behind, by its tags.
func (e *env) leftovers(t *testing.T, sc *scenarios.Scenario) []provision.Removed {
	t.Helper()
	layout, err := provision.NewLayout(sc, e.cfg, "any", loadgen.Shard{})
	if err != nil {
		t.Fatal(err)
	}
	rm, err := provision.Teardown(testCtx(t, 30*time.Second), e.set, layout, provision.TeardownOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	return rm
}

// The reference scenario against serve, end to end: every order completes,
// the ledger balances with nothing in flight, the expectations pass, and
// the run leaves nothing tagged behind.
func TestReferenceRun(t *testing.T) {
	sc := reference(t, 20, 10*time.Second)
	e := deployed(t, sc)
	started := time.Now()
	out, err := session.Run(testCtx(t, 60*time.Second), e.options(t, sc))
	if err != nil {
		t.Fatal(err)
	}
	r := out.Results
	t.Logf("wall %v; orders %+v; stats %+v", time.Since(started).Round(time.Millisecond), r.Orders, *out.Stats)
	for _, h := range []string{"e2e", "put_ack", "ingest_to_delivery", "handler", "delivery_to_order_updated"} {
		t.Logf("%s: %+v", h, r.Latency[h])
	}
	if r.Target != "aws" || r.Interrupted {
		t.Errorf("target %q interrupted %v", r.Target, r.Interrupted)
	}
	if r.Orders.Planned == 0 || r.Orders.Sent != r.Orders.Planned || r.Orders.Completed != r.Orders.Sent {
		t.Errorf("orders %+v: want every planned order sent and completed", r.Orders)
	}
	if !r.Ledger.Balanced {
		t.Errorf("ledger not balanced: %+v", r.Ledger.Routes)
	}
	var expected, delivered int64
	for _, rt := range r.Ledger.Routes {
		expected += rt.Expected
		delivered += rt.Delivered
		if rt.InFlight != 0 || !strings.Contains(rt.To, "/busdrill-probe/probe") {
			t.Errorf("route %+v", rt)
		}
	}
	// Each journey's three events each reach two probes: the global bus's
	// and the local bus of the account that did not send it.
	if want := 6 * r.Orders.Sent; expected != want || delivered != want {
		t.Errorf("ledger expected %d delivered %d, want %d", expected, delivered, want)
	}
	if r.Verdict != "pass" {
		t.Errorf("verdict %s: %+v", r.Verdict, r.Expectations)
	}
	if out.Restore == nil || !out.Restore.OK() {
		t.Errorf("restore: %v", out.Restore)
	}
	if left := e.leftovers(t, sc); len(left) > 0 {
		t.Errorf("left behind: %+v", left)
	}
}
